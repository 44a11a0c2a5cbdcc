package io.telesignal.core.identity;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A person or device known to the directory. The display name may identify a patient: it is shown to
 * participants, never logged.
 */
public record User(UserId id, Login login, String displayName, Set<Role> roles, boolean enabled, Instant createdAt) {
    public static final int MAX_DISPLAY_NAME = 128;

    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(createdAt, "createdAt");
        if (displayName.isBlank() || displayName.length() > MAX_DISPLAY_NAME) {
            throw new IllegalArgumentException("display name must be 1-" + MAX_DISPLAY_NAME + " characters");
        }
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    public User withRoles(Set<Role> newRoles) {
        return new User(id, login, displayName, newRoles, enabled, createdAt);
    }

    public User withEnabled(boolean newEnabled) {
        return new User(id, login, displayName, roles, newEnabled, createdAt);
    }

    public User withDisplayName(String newDisplayName) {
        return new User(id, login, newDisplayName, roles, enabled, createdAt);
    }
}
