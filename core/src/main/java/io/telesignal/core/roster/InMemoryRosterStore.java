package io.telesignal.core.roster;

import io.telesignal.core.identity.UserId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/** Rosters in memory: the single-node default without a database, and the tests' store. */
public final class InMemoryRosterStore implements RosterStore {
    private final Map<UserId, TreeMap<String, RosterItem>> rosters = new HashMap<>();
    private final Map<UserId, Long> versions = new HashMap<>();

    @Override
    public synchronized List<RosterItem> items(UserId owner) {
        return List.copyOf(rosters.getOrDefault(owner, new TreeMap<>()).values());
    }

    @Override
    public synchronized long version(UserId owner) {
        return versions.getOrDefault(owner, 0L);
    }

    @Override
    public synchronized Optional<RosterItem> find(UserId owner, String contact) {
        return Optional.ofNullable(rosters.getOrDefault(owner, new TreeMap<>()).get(contact));
    }

    @Override
    public synchronized OptionalLong put(RosterItem item, int limit) {
        TreeMap<String, RosterItem> roster = rosters.computeIfAbsent(item.owner(), o -> new TreeMap<>());
        if (!roster.containsKey(item.contact()) && roster.size() >= limit) {
            return OptionalLong.empty();
        }
        roster.put(item.contact(), item);
        return OptionalLong.of(versions.merge(item.owner(), 1L, Long::sum));
    }

    @Override
    public synchronized OptionalLong remove(UserId owner, String contact) {
        TreeMap<String, RosterItem> roster = rosters.get(owner);
        if (roster == null || roster.remove(contact) == null) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(versions.merge(owner, 1L, Long::sum));
    }
}
