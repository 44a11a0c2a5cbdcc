package io.telesignal.xmpp.sasl;

import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.auth.SignInThrottle;
import io.telesignal.core.device.DevicePassword;
import io.telesignal.core.device.DevicePasswords;
import io.telesignal.core.device.ScramAlgorithm;
import io.telesignal.core.device.ScramParameters;
import io.telesignal.core.directory.Accounts;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.User;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * Signs XMPP clients in with device passwords: the SCRAM parameters to announce, and the check of a SCRAM proof or a
 * PLAIN password; and web users with their token (OAUTHBEARER). Throttled per login and address with every other door ({@link SignInThrottle}), audited
 * ({@code auth.device}, {@code auth.throttled}). An unknown login gets parameters as stable and as plausible as a real
 * one's (a salt derived from the login under a server secret), so SCRAM does not tell who has an account.
 *
 * <p>Blocking (store, throttle counters, PBKDF2 for PLAIN): run on the worker pool.
 */
public final class DeviceSignIn {
    /** How a sign-in ended. */
    public sealed interface Outcome {
        record SignedIn(User user, DevicePassword device) implements Outcome {}

        /** Refused: {@code condition} is the SASL failure to send (RFC 6120 §6.5). */
        record Refused(String condition, Optional<Duration> retryAfter) implements Outcome {}
    }

    private final Accounts accounts;
    private final DevicePasswords devices;
    private final SignInThrottle throttle;
    private final AuditTrail audit;
    private final byte[] fakeSaltKey;
    private final int iterations;

    private final io.telesignal.core.auth.TokenSignIn tokens;

    public DeviceSignIn(Accounts accounts, DevicePasswords devices, SignInThrottle throttle, AuditTrail audit,
            byte[] fakeSaltKey, io.telesignal.core.auth.TokenSignIn tokens) {
        this.tokens = tokens;
        this.accounts = accounts;
        this.devices = devices;
        this.throttle = throttle;
        this.audit = audit;
        this.fakeSaltKey = fakeSaltKey.clone();
        this.iterations = devices.settings().scramIterations();
    }

    /** The salt and iteration count to announce to {@code username}: the user's own, or made up the same each time. */
    public ScramParameters scramParameters(String username) {
        return find(username).flatMap(devices::scramParameters).orElseGet(() -> new ScramParameters(
                Arrays.copyOf(ScramAlgorithm.SHA_256.hmac(fakeSaltKey, username.getBytes(StandardCharsets.UTF_8)), 16),
                iterations));
    }

    public Outcome scram(String username, ScramAlgorithm algorithm, byte[] authMessage, byte[] proof, String address) {
        return check(username, address, "xmpp_" + algorithm.mechanism().toLowerCase(java.util.Locale.ROOT),
                user -> devices.verifyScram(user, algorithm, authMessage, proof, address));
    }

    public Outcome plain(String username, char[] password, String address) {
        return check(username, address, "xmpp_plain", user -> devices.verifyPlain(user, password, address));
    }

    /**
     * OAUTHBEARER (RFC 7628): a web user's own telesignal token, checked, throttled and audited ({@code auth.token}) as
     * on the web door. Answers the user with no device password.
     */
    public Optional<User> token(String token, String address) {
        try {
            return Optional.of(tokens.authenticate(token, address));
        } catch (io.telesignal.core.auth.TokenRejectedException | io.telesignal.core.auth.TokenSignIn.Refused e) {
            return Optional.empty();
        }
    }

    private Outcome check(String username, String address, String mechanism,
            Function<User, Optional<DevicePassword>> verify) {
        Optional<Duration> wait = throttle.retryAfter(username, address).toCompletableFuture().join();
        if (wait.isPresent()) {
            audit.recordNow(AuditEvent.of("auth.throttled", "unknown", io.telesignal.core.audit.Outcome.DENIED)
                    .remoteAddress(address).endpoint(mechanism).reason("too_many_attempts"));
            return new Outcome.Refused("temporary-auth-failure", wait);
        }
        Optional<User> user = find(username);
        if (user.isEmpty()) {
            audit.recordNow(AuditEvent.of("auth.device", "unknown", io.telesignal.core.audit.Outcome.FAILED)
                    .remoteAddress(address).endpoint(mechanism).reason("unknown_user"));
            throttle.failed(username, address).toCompletableFuture().join();
            return new Outcome.Refused("not-authorized", Optional.empty());
        }
        Optional<DevicePassword> device = verify.apply(user.get()); // audits its outcome, a disabled account included
        if (!user.get().enabled()) {
            return new Outcome.Refused("account-disabled", Optional.empty());
        }
        if (device.isEmpty()) {
            throttle.failed(username, address).toCompletableFuture().join();
            return new Outcome.Refused("not-authorized", Optional.empty());
        }
        throttle.succeeded(username).toCompletableFuture().join();
        return new Outcome.SignedIn(user.get(), device.get());
    }

    private Optional<User> find(String username) {
        return Login.parse(username).flatMap(accounts::find);
    }
}
