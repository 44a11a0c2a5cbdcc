package io.telesignal.core.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Slows down password guessing, per login and per client address, with exponential back-off: a key's first
 * {@code free} failures cost nothing; each one after them locks the key for {@code base}, doubled per further failure,
 * at most {@code max}, counted from that failure. A success clears the login's count (not the address's: one good
 * password from an address does not license guessing others from it). While locked, a sign-in is refused before any
 * password is checked, so a flood spends no hashing. Shared by every door that checks passwords (REST sign-in now; SIP
 * digest and XMPP SASL when they land), and by the token checks ({@link TokenSignIn}), which count per address.
 */
public final class SignInThrottle {
    /**
     * @param loginFailures   failures per login before back-off starts
     * @param addressFailures failures per address before back-off starts (higher: a clinic's staff share an address)
     * @param base            the first lock
     * @param max             the longest lock
     * @param window          failures lapse after this long without another
     */
    public record Settings(int loginFailures, int addressFailures, Duration base, Duration max, Duration window) {
        public Settings {
            if (loginFailures < 1 || addressFailures < 1 || base.isNegative() || base.isZero()
                    || max.compareTo(base) < 0 || window.compareTo(max) < 0) {
                throw new IllegalArgumentException("sign-in throttle: failures >= 1, 0 < base <= max <= window");
            }
        }

        public static Settings defaults() {
            return new Settings(5, 50, Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofHours(1));
        }
    }

    private final FailureCounters counters;
    private final Settings settings;
    private final Clock clock;

    public SignInThrottle(FailureCounters counters, Settings settings, Clock clock) {
        this.counters = counters;
        this.settings = settings;
        this.clock = clock;
    }

    /** How long the caller must wait before this login may be tried from this address; empty: try now. */
    public CompletionStage<Optional<Duration>> retryAfter(String login, String address) {
        Instant now = clock.instant();
        CompletionStage<Optional<Duration>> byLogin = counters.read(loginKey(login), now)
                .thenApply(f -> f.flatMap(failures -> wait(failures, settings.loginFailures(), now)));
        if (address == null) {
            return byLogin;
        }
        return byLogin.thenCombine(counters.read(addressKey(address), now)
                .thenApply(f -> f.flatMap(failures -> wait(failures, settings.addressFailures(), now))),
                (a, b) -> a.isEmpty() ? b : b.isEmpty() ? a : Optional.of(a.get().compareTo(b.get()) >= 0 ? a.get() : b.get()));
    }

    /** A wrong password (or an unknown login): counted against both. */
    public CompletionStage<Void> failed(String login, String address) {
        Instant now = clock.instant();
        CompletionStage<?> both = counters.failed(loginKey(login), now, settings.window());
        if (address != null) {
            both = both.thenCombine(counters.failed(addressKey(address), now, settings.window()), (a, b) -> null);
        }
        return both.thenApply(done -> null);
    }

    /**
     * How long a client address must wait before it may present a token (or an API key) again; empty: now. Tokens
     * cannot be guessed, but each refused one costs a signature check and an audit record: an address that keeps
     * presenting bad ones is slowed down like one guessing passwords.
     */
    public CompletionStage<Optional<Duration>> addressRetryAfter(String address) {
        if (address == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(Optional.empty());
        }
        Instant now = clock.instant();
        return counters.read(addressKey(address), now)
                .thenApply(f -> f.flatMap(failures -> wait(failures, settings.addressFailures(), now)));
    }

    /** A refused token or API key: counted against the address alone (no login is known). */
    public CompletionStage<Void> addressFailed(String address) {
        if (address == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return counters.failed(addressKey(address), clock.instant(), settings.window()).thenApply(counted -> null);
    }

    public CompletionStage<Void> succeeded(String login) {
        return counters.clear(loginKey(login));
    }

    /** The lock after {@code failures}: none within the free ones, then base, 2 base, 4 base... at most max. */
    Duration lock(long failures, int free) {
        if (failures <= free) {
            return Duration.ZERO;
        }
        long doublings = Math.min(failures - free - 1, 40);
        Duration lock = settings.base().multipliedBy(1L << Math.min(doublings, 30));
        return lock.compareTo(settings.max()) > 0 ? settings.max() : lock;
    }

    private Optional<Duration> wait(FailureCounters.Failures failures, int free, Instant now) {
        Instant until = failures.last().plus(lock(failures.count(), free));
        return until.isAfter(now) ? Optional.of(Duration.between(now, until)) : Optional.empty();
    }

    private static String loginKey(String login) {
        return "login:" + login;
    }

    private static String addressKey(String address) {
        return "addr:" + address;
    }

    /** Whole seconds to put in {@code Retry-After}, never 0. */
    public static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }
}
