package io.telesignal.core.consultation;

import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import java.util.Objects;
import java.util.Set;

/** Who attempts an action: an authenticated user with their directory roles, as seen by the core. */
public record Actor(UserId user, String displayName, Set<Role> roles) {
    public Actor {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(displayName, "displayName");
        roles = Set.copyOf(roles);
    }

    public boolean hasAny(Role... wanted) {
        for (Role role : wanted) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }
}
