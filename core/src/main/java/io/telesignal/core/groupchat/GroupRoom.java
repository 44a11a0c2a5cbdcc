package io.telesignal.core.groupchat;

import java.time.Instant;

/**
 * A room and its configuration (XEP-0045 §10.2). {@code name} is the room's address (its JID's localpart, so never
 * a patient's name); the title, description and subject are free text, sealed at rest by the JDBC store.
 *
 * @param persistent whether the room outlives its last occupant
 * @param membersOnly whether only members (and admins and owners) may enter
 * @param moderated whether occupants without an affiliation enter as visitors, without voice
 * @param listed whether the service lists it (a public room)
 * @param nonAnonymous whether every occupant sees the others' real addresses (else only moderators do)
 * @param changeSubject whether participants may change the subject (moderators always may)
 * @param maxOccupants how many may be in it at once
 * @param locked a new room nobody but its owner may enter until it is configured (XEP-0045 §10.1.1)
 */
public record GroupRoom(String name, String title, String description, String subject, String subjectBy,
        boolean persistent, boolean membersOnly, boolean moderated, boolean listed, boolean nonAnonymous,
        boolean changeSubject, int maxOccupants, boolean locked, Instant createdAt) {
    public GroupRoom {
        if (name == null || name.isEmpty() || maxOccupants < 1) {
            throw new IllegalArgumentException("a room needs a name and room for one occupant");
        }
        title = title == null ? "" : title;
        description = description == null ? "" : description;
        subject = subject == null ? "" : subject;
        subjectBy = subjectBy == null ? "" : subjectBy;
    }

    /** A new room as created by its first occupant: locked, with the service's defaults. */
    public static GroupRoom created(String name, boolean persistent, int maxOccupants, Instant at) {
        return new GroupRoom(name, "", "", "", "", persistent, false, false, true, false, false, maxOccupants, true, at);
    }

    public GroupRoom withSubject(String newSubject, String by) {
        return new GroupRoom(name, title, description, newSubject, by, persistent, membersOnly, moderated, listed,
                nonAnonymous, changeSubject, maxOccupants, locked, createdAt);
    }

    public GroupRoom unlocked() {
        return new GroupRoom(name, title, description, subject, subjectBy, persistent, membersOnly, moderated, listed,
                nonAnonymous, changeSubject, maxOccupants, false, createdAt);
    }
}
