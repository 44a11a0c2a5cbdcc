package io.telesignal.core.auth;

import io.telesignal.core.DomainException;
import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.directory.Accounts;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import java.time.Duration;
import java.util.Optional;

/**
 * Signing in with an access token, the same on every door that takes one (a WebSocket hello, a REST bearer, XMPP
 * OAUTHBEARER when it lands): the address's throttle is checked first, the token verified, its user looked up and
 * required enabled. A refusal is audited ({@code auth.token}, or {@code auth.throttled}) and a bad token or unknown
 * user counted against the address. Blocking (directory, audit, and the shared counters in cluster mode): run on the
 * worker pool.
 */
public final class TokenSignIn {
    /** Why a token did not sign in; {@link #retryAfter} is set for {@code too_many_attempts}. */
    public static final class Refused extends DomainException {
        private static final long serialVersionUID = 1L;
        private final String code;
        private final transient Optional<Duration> retryAfter;

        Refused(String code, String message, Optional<Duration> retryAfter) {
            super(message);
            this.code = code;
            this.retryAfter = retryAfter;
        }

        @Override
        public String code() {
            return code;
        }

        public Optional<Duration> retryAfter() {
            return retryAfter;
        }
    }

    private final TokenService tokens;
    private final Accounts accounts;
    private final SignInThrottle throttle;
    private final AuditTrail audit;
    /** Enabled users found for tokens lately, by subject: a reconnect storm's sign-ins do not each read the store. */
    private final io.telesignal.core.work.TtlCache<String, User> enabled;

    public TokenSignIn(TokenService tokens, Accounts accounts, SignInThrottle throttle, AuditTrail audit) {
        this(tokens, accounts, throttle, audit, Duration.ZERO);
    }

    /**
     * @param accountCacheTtl how long an enabled user found for a token's subject is kept (0: read every time); a
     *     user changed through this node (disabled, roles) is dropped at once, through another node within this time
     */
    public TokenSignIn(TokenService tokens, Accounts accounts, SignInThrottle throttle, AuditTrail audit,
            Duration accountCacheTtl) {
        this.tokens = tokens;
        this.accounts = accounts;
        this.throttle = throttle;
        this.audit = audit;
        this.enabled = new io.telesignal.core.work.TtlCache<>(accountCacheTtl, 100_000, System::nanoTime);
        accounts.onChange(changed -> this.enabled.invalidateAll()); // disabled here: refused at once
    }

    public SignInThrottle throttle() {
        return throttle;
    }

    /**
     * The enabled user the token names.
     *
     * @throws TokenRejectedException the token itself is refused (its {@code token_<reason>} code)
     * @throws Refused {@code too_many_attempts}, {@code unknown_user} or {@code account_disabled}
     */
    public User authenticate(String token, String remoteAddress) {
        checkThrottle(remoteAddress);
        AccessToken access;
        try {
            access = tokens.verify(token);
        } catch (TokenRejectedException e) {
            audit.recordNow(AuditEvent.of("auth.token", "unknown", Outcome.FAILED).remoteAddress(remoteAddress)
                    .reason(e.code()));
            throttle.addressFailed(remoteAddress).toCompletableFuture().join();
            throw e;
        }
        String key = (access.external() ? "login:" : "id:") + access.subject();
        Optional<User> cached = enabled.peek(key);
        if (cached.isPresent()) {
            return cached.get();
        }
        Optional<User> user = access.external() ? accounts.find(new Login(access.subject()))
                : accounts.find(new UserId(access.subject()));
        if (user.isEmpty()) {
            audit.recordNow(AuditEvent.of("auth.token", "unknown", Outcome.FAILED).remoteAddress(remoteAddress)
                    .reason("unknown_user"));
            throttle.addressFailed(remoteAddress).toCompletableFuture().join();
            throw new Refused("unknown_user", "the token names no user", Optional.empty());
        }
        if (!user.get().enabled()) {
            audit.recordNow(AuditEvent.of("auth.token", user.get().id().value(), Outcome.DENIED)
                    .remoteAddress(remoteAddress).reason("account_disabled"));
            throw new Refused("account_disabled", "the account is disabled", Optional.empty());
        }
        enabled.get(key, k -> user.get());
        return user.get();
    }

    /** Refuses ({@code too_many_attempts}, audited) while the address is locked; any credential check may call it. */
    public void checkThrottle(String remoteAddress) {
        Optional<Duration> wait = throttle.addressRetryAfter(remoteAddress).toCompletableFuture().join();
        if (wait.isPresent()) {
            audit.recordNow(AuditEvent.of("auth.throttled", "unknown", Outcome.DENIED).remoteAddress(remoteAddress)
                    .reason("too_many_attempts"));
            throw new Refused("too_many_attempts", "too many refused credentials from this address; retry in "
                    + SignInThrottle.seconds(wait.get()) + " s", wait);
        }
    }
}
