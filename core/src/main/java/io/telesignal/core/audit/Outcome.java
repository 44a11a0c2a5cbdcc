package io.telesignal.core.audit;

import java.util.Locale;

/** How an audited attempt ended. */
public enum Outcome {
    OK,
    /** Refused by authorization or policy. */
    DENIED,
    /** Attempted and failed (bad credentials, invalid input, an internal error). */
    FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Outcome fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
