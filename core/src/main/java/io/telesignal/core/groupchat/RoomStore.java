package io.telesignal.core.groupchat;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Storage SPI for rooms (XEP-0045): their configuration, affiliations and recent history; in memory here, JDBC in
 * store (free text and history sealed at rest). Deleting a room deletes its affiliations and history with it.
 * Blocking.
 */
public interface RoomStore {
    /** What {@link #setAffiliation} did. */
    enum Changed { DONE, NO_ROOM, LAST_OWNER }

    Optional<GroupRoom> find(String name);

    /** Creates the room with {@code owner} as its owner, atomically; false when a room of that name exists. */
    boolean create(GroupRoom room, UserId owner);

    /** Replaces the room's configuration; false when there is no such room. */
    boolean update(GroupRoom room);

    /** Deletes the room, its affiliations and history; false when there was none. */
    boolean delete(String name);

    /** The rooms the service lists: listed and unlocked, by name. */
    List<GroupRoom> listed();

    /** How many rooms the user owns. */
    int ownedBy(UserId user);

    /** The affiliations other than none. */
    Map<UserId, Affiliation> affiliations(String room);

    Affiliation affiliation(String room, UserId user);

    /** Sets (none: removes) an affiliation; the room's last owner cannot be taken away. */
    Changed setAffiliation(String room, UserId user, Affiliation affiliation);

    /** Adds a message to the room's history and keeps only its {@code keep} newest. */
    void appendHistory(RoomMessage message, int keep);

    /** The room's newest {@code max} messages at or after {@code since}, oldest first. */
    List<RoomMessage> history(String room, int max, Instant since);
}
