package io.telesignal.core.work;

import java.util.concurrent.CompletionException;

/**
 * What a failed future failed with, under the {@link CompletionException}s that chaining wraps it in; and how an
 * unexpected failure is logged.
 */
public final class Failures {
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private Failures() {}

    /**
     * Logs a failure nobody expected without what it may carry: an exception's message and stack can quote request
     * data (an SDP, a chat line, a name), so the error line gives only {@code message} (ids and codes, the caller's
     * job), a fresh error id and the exception's class; the trace goes at debug level under the same id. Answers the
     * id, to hand to the client so that a report can be matched to the line.
     */
    public static String unexpected(org.slf4j.Logger log, String message, Throwable failure) {
        Throwable cause = cause(failure);
        String id = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        log.error("{} error_id={} kind={}", message, id, cause.getClass().getName());
        if (log.isDebugEnabled()) {
            log.debug("{} error_id={} trace", message, id, cause);
        }
        return id;
    }

    public static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
