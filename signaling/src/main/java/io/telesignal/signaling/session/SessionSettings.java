package io.telesignal.signaling.session;

import java.time.Duration;
import java.util.Objects;

/**
 * @param resumeWindow      how long a dropped session can be resumed
 * @param bufferMessages    unacknowledged messages kept at most
 * @param bufferBytes       unacknowledged bytes kept at most
 * @param rememberedRequests request ids remembered for duplicate detection, at most {@link #MAX_REMEMBERED_REQUESTS}
 * @param maxSessionsPerUser sessions one user may hold at once
 * @param signalAckDelay    how long a session that asked for cumulative signal acknowledgements may wait before its
 *                          {@code signaled} (0: at the end of the event loop's turn)
 */
public record SessionSettings(Duration resumeWindow, int bufferMessages, long bufferBytes, int rememberedRequests,
        int maxSessionsPerUser, Duration signalAckDelay) {
    public static final Duration DEFAULT_SIGNAL_ACK_DELAY = Duration.ofMillis(20);

    public SessionSettings(Duration resumeWindow, int bufferMessages, long bufferBytes, int rememberedRequests,
            int maxSessionsPerUser) {
        this(resumeWindow, bufferMessages, bufferBytes, rememberedRequests, maxSessionsPerUser, DEFAULT_SIGNAL_ACK_DELAY);
    }

    /** Each lookup scans the remembered ids, packed or by hash (see {@link AnsweredRequests}), so they are bounded. */
    public static final int MAX_REMEMBERED_REQUESTS = AnsweredRequests.MAX_CAPACITY;

    public SessionSettings {
        Objects.requireNonNull(resumeWindow, "resumeWindow");
        if (signalAckDelay.isNegative()) {
            throw new IllegalArgumentException("signalAckDelay must not be negative");
        }
        if (bufferMessages < 1 || bufferBytes < 1 || rememberedRequests < 1 || maxSessionsPerUser < 1) {
            throw new IllegalArgumentException("session limits must be positive");
        }
        if (rememberedRequests > MAX_REMEMBERED_REQUESTS) {
            throw new IllegalArgumentException("remembered requests must be at most " + MAX_REMEMBERED_REQUESTS);
        }
    }
}
