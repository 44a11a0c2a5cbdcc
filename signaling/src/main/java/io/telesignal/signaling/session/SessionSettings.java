package io.telesignal.signaling.session;

import java.time.Duration;
import java.util.Objects;

/**
 * @param resumeWindow      how long a dropped session can be resumed
 * @param bufferMessages    unacknowledged messages kept at most
 * @param bufferBytes       unacknowledged bytes kept at most
 * @param rememberedRequests request ids remembered for duplicate detection
 * @param maxSessionsPerUser sessions one user may hold at once
 */
public record SessionSettings(Duration resumeWindow, int bufferMessages, long bufferBytes, int rememberedRequests,
        int maxSessionsPerUser) {
    public SessionSettings {
        Objects.requireNonNull(resumeWindow, "resumeWindow");
        if (bufferMessages < 1 || bufferBytes < 1 || rememberedRequests < 1 || maxSessionsPerUser < 1) {
            throw new IllegalArgumentException("session limits must be positive");
        }
    }
}
