package io.telesignal.sip.transaction;

import java.time.Duration;

/**
 * RFC 3261 §17 and Table 4 timer values: T1 (round-trip estimate, 500 ms), T2 (longest retransmit interval for
 * non-INVITE requests and INVITE responses, 4 s), T4 (longest a message stays in the network, 5 s). Every other timer
 * derives from them.
 */
public record TimerSettings(Duration t1, Duration t2, Duration t4) {
    public static final TimerSettings DEFAULTS = new TimerSettings(Duration.ofMillis(500), Duration.ofSeconds(4),
            Duration.ofSeconds(5));

    public TimerSettings {
        if (t1.isNegative() || t1.isZero() || t2.compareTo(t1) < 0 || t4.isNegative()) {
            throw new IllegalArgumentException("timers: 0 < T1 <= T2, T4 >= 0");
        }
    }

    /** Timers B, F, H, J, L, M: 64*T1 (32 s by default). */
    public Duration sixtyFourT1() {
        return t1.multipliedBy(64);
    }

    /** Timer D: at least 32 s over an unreliable transport, 0 over a reliable one. */
    public Duration timerD(boolean reliable) {
        return reliable ? Duration.ZERO : Duration.ofSeconds(32).compareTo(sixtyFourT1()) > 0 ? Duration.ofSeconds(32)
                : sixtyFourT1();
    }
}
