package io.telesignal.core.groupchat;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Rooms in memory: the tests' store. */
public final class InMemoryRoomStore implements RoomStore {
    private final Map<String, GroupRoom> rooms = new HashMap<>();
    private final Map<String, LinkedHashMap<UserId, Affiliation>> affiliations = new HashMap<>();
    private final Map<String, ArrayDeque<RoomMessage>> history = new HashMap<>();

    @Override
    public synchronized Optional<GroupRoom> find(String name) {
        return Optional.ofNullable(rooms.get(name));
    }

    @Override
    public synchronized boolean create(GroupRoom room, UserId owner) {
        if (rooms.containsKey(room.name())) {
            return false;
        }
        rooms.put(room.name(), room);
        affiliations.computeIfAbsent(room.name(), r -> new LinkedHashMap<>()).put(owner, Affiliation.OWNER);
        return true;
    }

    @Override
    public synchronized boolean update(GroupRoom room) {
        return rooms.replace(room.name(), room) != null;
    }

    @Override
    public synchronized boolean delete(String name) {
        affiliations.remove(name);
        history.remove(name);
        return rooms.remove(name) != null;
    }

    @Override
    public synchronized List<GroupRoom> listed() {
        return rooms.values().stream().filter(r -> r.listed() && !r.locked())
                .sorted(Comparator.comparing(GroupRoom::name)).toList();
    }

    @Override
    public synchronized int ownedBy(UserId user) {
        return (int) affiliations.values().stream().filter(a -> a.get(user) == Affiliation.OWNER).count();
    }

    @Override
    public synchronized Map<UserId, Affiliation> affiliations(String room) {
        return Map.copyOf(affiliations.getOrDefault(room, new LinkedHashMap<>()));
    }

    @Override
    public synchronized Affiliation affiliation(String room, UserId user) {
        return affiliations.getOrDefault(room, new LinkedHashMap<>()).getOrDefault(user, Affiliation.NONE);
    }

    @Override
    public synchronized Changed setAffiliation(String room, UserId user, Affiliation affiliation) {
        if (!rooms.containsKey(room)) {
            return Changed.NO_ROOM;
        }
        LinkedHashMap<UserId, Affiliation> all = affiliations.computeIfAbsent(room, r -> new LinkedHashMap<>());
        if (all.get(user) == Affiliation.OWNER && affiliation != Affiliation.OWNER
                && all.values().stream().filter(a -> a == Affiliation.OWNER).count() == 1) {
            return Changed.LAST_OWNER;
        }
        if (affiliation == Affiliation.NONE) {
            all.remove(user);
        } else {
            all.put(user, affiliation);
        }
        return Changed.DONE;
    }

    @Override
    public synchronized void appendHistory(RoomMessage message, int keep) {
        if (!rooms.containsKey(message.room())) {
            return;
        }
        ArrayDeque<RoomMessage> kept = history.computeIfAbsent(message.room(), r -> new ArrayDeque<>());
        kept.addLast(message);
        while (kept.size() > keep) {
            kept.removeFirst();
        }
    }

    @Override
    public synchronized List<RoomMessage> history(String room, int max, Instant since) {
        List<RoomMessage> all = new ArrayList<>(history.getOrDefault(room, new ArrayDeque<>()));
        all.removeIf(m -> m.sentAt().isBefore(since));
        return List.copyOf(all.subList(Math.max(0, all.size() - max), all.size()));
    }
}
