package io.telesignal.core.groupchat;

import io.telesignal.core.identity.UserId;

/**
 * Someone in a room now: the nickname it is known by there, the user and resource (connection) behind it, its role
 * and affiliation, and its last presence as the door wrote it (opaque here).
 */
public record Occupant(String nick, UserId user, String login, String resource, RoomRole role, Affiliation affiliation,
        String presence) {
    /** Whether this occupant is that user's connection. */
    public boolean is(UserId otherUser, String otherResource) {
        return user.equals(otherUser) && resource.equals(otherResource);
    }

    public Occupant with(RoomRole newRole, Affiliation newAffiliation) {
        return new Occupant(nick, user, login, resource, newRole, newAffiliation, presence);
    }

    public Occupant withPresence(String newPresence) {
        return new Occupant(nick, user, login, resource, role, affiliation, newPresence);
    }
}
