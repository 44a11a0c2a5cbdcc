package io.telesignal.core.call;

import java.util.Locale;

/** A call between two endpoints, as far as signaling tells: offered, answered, over. */
public enum CallState {
    RINGING,
    CONNECTED,
    ENDED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
