package io.telesignal.core.groupchat;

import io.telesignal.core.identity.UserId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * SPI: who is in each room now, shared by every node (Redis in cluster mode), so that occupants connected to
 * different nodes share a room. A nickname is held by one connection (user and resource) at a time, and a connection
 * holds one nickname per room. Every change is atomic.
 */
public interface Occupants {
    enum Outcome {
        /** The connection entered the room. */
        JOINED,
        /** The connection held this nickname already: its presence, role and affiliation were replaced. */
        UPDATED,
        /** The connection held another nickname: it now holds this one ({@link Entered#previous}). */
        RENAMED,
        /** Another connection holds the nickname. */
        NICK_TAKEN,
        /** The room holds {@code max} occupants already. */
        FULL
    }

    /** What an {@link #enter} did; {@code previous} is the occupant replaced or renamed. */
    record Entered(Outcome outcome, Optional<Occupant> previous) {}

    /** Puts the occupant in the room under its nickname, unless the nickname is another's or the room is full. */
    CompletionStage<Entered> enter(String room, Occupant occupant, int max);

    /** Replaces an occupant's role, affiliation or presence, if that connection still holds its nickname. */
    CompletionStage<Boolean> update(String room, Occupant occupant);

    /** Takes the connection's occupant out of the room; answers it, or empty when it was not there. */
    CompletionStage<Optional<Occupant>> leave(String room, UserId user, String resource);

    /** The room's occupants, in the order they entered. */
    CompletionStage<List<Occupant>> list(String room);

    /** Empties the room (it was destroyed); answers who was in it. */
    CompletionStage<List<Occupant>> clear(String room);
}
