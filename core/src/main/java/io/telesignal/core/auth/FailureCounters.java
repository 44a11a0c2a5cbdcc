package io.telesignal.core.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * SPI: failed sign-ins counted per key (a login, a client address), so that {@link SignInThrottle} can slow guessing
 * down. A key's count lives until {@code window} has passed without a failure. In memory on a single node; shared by
 * the nodes in cluster mode, so that spreading guesses over nodes gains nothing.
 */
public interface FailureCounters {
    /** How many failures a key has, and when the last one was. */
    record Failures(long count, Instant last) {}

    /** Counts one more failure at {@code now}; answers the key's failures, this one included. */
    CompletionStage<Failures> failed(String key, Instant now, Duration window);

    /** The key's failures, if it has any that have not lapsed. */
    CompletionStage<Optional<Failures>> read(String key, Instant now);

    /** Forgets the key's failures (a successful sign-in). */
    CompletionStage<Void> clear(String key);
}
