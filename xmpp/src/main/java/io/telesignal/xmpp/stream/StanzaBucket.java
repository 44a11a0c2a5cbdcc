package io.telesignal.xmpp.stream;

import java.util.function.LongSupplier;

/**
 * A session's stanza allowance: a token bucket of {@code burst} stanzas refilled at {@code rate} a second. A sender that
 * keeps going once it is empty overdraws it; past another {@code burst} refused stanzas it is flooding.
 */
public final class StanzaBucket {
    private final double rate;
    private final int burst;
    private final LongSupplier nanos;
    private double tokens;
    private long last;
    private int refused;

    public StanzaBucket(int rate, int burst, LongSupplier nanos) {
        this.rate = rate;
        this.burst = burst;
        this.nanos = nanos;
        this.tokens = burst;
        this.last = nanos.getAsLong();
    }

    /** Takes one stanza's token; false when there is none. */
    public boolean take() {
        long now = nanos.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * rate);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            refused = 0;
            return true;
        }
        refused++;
        return false;
    }

    /** Whether more than {@code burst} stanzas in a row were refused. */
    public boolean overdrawn() {
        return refused > burst;
    }
}
