package io.telesignal.xmpp.muc;

import io.telesignal.core.identity.Role;
import java.util.Set;

/**
 * The group chat service's settings ({@code xmpp.muc.*}).
 *
 * @param domain the service's domain: rooms are {@code room@domain}
 * @param creators the roles whose users may create rooms
 * @param maxRoomsPerUser rooms one user may own
 * @param maxOccupants the most a room may hold (a room's own limit is at most this)
 * @param historySize messages each room keeps and shows to those entering
 * @param persistentByDefault whether a new room outlives its last occupant until its owner says otherwise
 */
public record MucSettings(String domain, Set<Role> creators, int maxRoomsPerUser, int maxOccupants, int historySize,
        boolean persistentByDefault) {
    public MucSettings {
        if (domain == null || domain.isBlank() || maxRoomsPerUser < 0 || maxOccupants < 1 || historySize < 0) {
            throw new IllegalArgumentException("xmpp.muc settings out of range");
        }
        creators = Set.copyOf(creators);
    }
}
