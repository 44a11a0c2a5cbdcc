package io.telesignal.core.limit;

/**
 * A token bucket: up to {@code burst} tokens, refilled continuously at {@code perSecond} (one token every
 * 1/perSecond s, not all at once), starting full. Time is the caller's, in nanoseconds. Tokens are counted in
 * billionths, so the arithmetic is exact (two tokens a second give one back after exactly half a second) and never
 * overflows, however long the bucket sat idle. Thread-safe; small (about 50 bytes), as every connection has one.
 */
public final class TokenBucket {
    private static final long ONE = 1_000_000_000L;
    private final long capacity;
    private final long perSecond;
    private long tokens;
    private long last;

    /** @throws IllegalArgumentException unless {@code 1 <= perSecond} and {@code 1 <= burst <= 1,000,000,000} */
    public TokenBucket(int perSecond, int burst, long now) {
        if (perSecond < 1 || burst < 1 || burst > 1_000_000_000) {
            throw new IllegalArgumentException("token bucket: perSecond >= 1, 1 <= burst <= 10^9");
        }
        this.capacity = burst * ONE;
        this.perSecond = perSecond;
        this.tokens = capacity;
        this.last = now;
    }

    /** Takes a token if there is one at {@code now}; answers whether it did. */
    public synchronized boolean tryTake(long now) {
        refill(now);
        if (tokens < ONE) {
            return false;
        }
        tokens -= ONE;
        return true;
    }

    /** Puts back a token taken (when a second limit refused what this one allowed); never past the burst. */
    public synchronized void giveBack() {
        tokens = Math.min(capacity, tokens + ONE);
    }

    /** Whether it is full at {@code now}: an idle bucket, which a fresh one would equal. */
    public synchronized boolean fullAt(long now) {
        refill(now);
        return tokens == capacity;
    }

    private void refill(long now) {
        long elapsed = now - last;
        if (elapsed > 0) {
            long missing = capacity - tokens;
            // elapsed x perSecond billionths came in: past what is missing it is full (so the product never overflows)
            tokens = elapsed > missing / perSecond ? capacity : tokens + elapsed * perSecond;
            last = now;
        }
    }
}
