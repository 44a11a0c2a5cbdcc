package io.telesignal.core.groupchat;

import io.telesignal.core.identity.UserId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Occupants in this node's memory: right for a single node. */
public final class InMemoryOccupants implements Occupants {
    private final Map<String, LinkedHashMap<String, Occupant>> rooms = new HashMap<>();

    @Override
    public synchronized CompletionStage<Entered> enter(String room, Occupant occupant, int max) {
        LinkedHashMap<String, Occupant> in = rooms.computeIfAbsent(room, r -> new LinkedHashMap<>());
        Occupant holder = in.get(occupant.nick());
        Optional<Occupant> mine = in.values().stream().filter(o -> o.is(occupant.user(), occupant.resource())).findFirst();
        Entered entered;
        if (holder != null && !holder.is(occupant.user(), occupant.resource())) {
            entered = new Entered(Outcome.NICK_TAKEN, Optional.of(holder));
        } else if (holder != null) {
            in.put(occupant.nick(), occupant);
            entered = new Entered(Outcome.UPDATED, Optional.of(holder));
        } else if (mine.isPresent()) {
            in.remove(mine.get().nick());
            in.put(occupant.nick(), occupant);
            entered = new Entered(Outcome.RENAMED, mine);
        } else if (in.size() >= max) {
            entered = new Entered(Outcome.FULL, Optional.empty());
        } else {
            in.put(occupant.nick(), occupant);
            entered = new Entered(Outcome.JOINED, Optional.empty());
        }
        if (in.isEmpty()) {
            rooms.remove(room);
        }
        return CompletableFuture.completedFuture(entered);
    }

    @Override
    public synchronized CompletionStage<Boolean> update(String room, Occupant occupant) {
        LinkedHashMap<String, Occupant> in = rooms.get(room);
        Occupant holder = in == null ? null : in.get(occupant.nick());
        if (holder == null || !holder.is(occupant.user(), occupant.resource())) {
            return CompletableFuture.completedFuture(false);
        }
        in.put(occupant.nick(), occupant);
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public synchronized CompletionStage<Optional<Occupant>> leave(String room, UserId user, String resource) {
        LinkedHashMap<String, Occupant> in = rooms.get(room);
        if (in == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Optional<Occupant> mine = in.values().stream().filter(o -> o.is(user, resource)).findFirst();
        mine.ifPresent(o -> in.remove(o.nick()));
        if (in.isEmpty()) {
            rooms.remove(room);
        }
        return CompletableFuture.completedFuture(mine);
    }

    @Override
    public synchronized CompletionStage<List<Occupant>> list(String room) {
        LinkedHashMap<String, Occupant> in = rooms.get(room);
        return CompletableFuture.completedFuture(in == null ? List.of() : List.copyOf(in.values()));
    }

    @Override
    public synchronized CompletionStage<List<Occupant>> clear(String room) {
        LinkedHashMap<String, Occupant> in = rooms.remove(room);
        return CompletableFuture.completedFuture(in == null ? List.of() : new ArrayList<>(in.values()));
    }
}
