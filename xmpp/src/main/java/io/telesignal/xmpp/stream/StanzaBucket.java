package io.telesignal.xmpp.stream;

import io.telesignal.core.limit.TokenBucket;
import java.util.function.LongSupplier;

/**
 * A session's stanza allowance: a token bucket of {@code burst} stanzas refilled at {@code rate} a second. A sender that
 * keeps going once it is empty overdraws it; past another {@code burst} refused stanzas it is flooding.
 */
public final class StanzaBucket {
    private final TokenBucket tokens;
    private final int burst;
    private final LongSupplier nanos;
    private int refused;

    public StanzaBucket(int rate, int burst, LongSupplier nanos) {
        this.tokens = new TokenBucket(rate, burst, nanos.getAsLong());
        this.burst = burst;
        this.nanos = nanos;
    }

    /** Takes one stanza's token; false when there is none. */
    public boolean take() {
        if (tokens.tryTake(nanos.getAsLong())) {
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
