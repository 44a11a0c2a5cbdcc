package io.telesignal.core.work;

import java.util.concurrent.CompletionException;

/** What a failed future failed with, under the {@link CompletionException}s that chaining wraps it in. */
public final class Failures {
    private Failures() {}

    public static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
