package io.telesignal.core.identity;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a user is in a consultation; authorization decisions in core are made on these. */
public enum Role {
    PATIENT,
    PROVIDER,
    STAFF,
    INTERPRETER,
    GUEST,
    DEVICE,
    ADMIN;

    /** The lower-case name used in configuration, tokens, the CLI and every wire format. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromWireName(String name) {
        for (Role role : values()) {
            if (role.wireName().equals(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + name + "'; expected one of "
                + Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", ")));
    }
}
