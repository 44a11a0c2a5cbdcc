package io.telesignal.sip.auth;

import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.auth.SignInThrottle;
import io.telesignal.core.device.DevicePassword;
import io.telesignal.core.device.DevicePasswords;
import io.telesignal.core.device.NonceCounts;
import io.telesignal.core.directory.Accounts;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.User;
import io.telesignal.sip.message.SipParseException;
import io.telesignal.sip.message.SipRequest;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * SIP digest authentication (RFC 3261 §22, RFC 7616, RFC 8760) against device passwords, never the account password.
 *
 * <p>Challenges offer SHA-256 first, then MD5, each with {@code qop="auth"}. A nonce carries its own time and a random
 * part, sealed with an HMAC under a secret every node shares: any node can tell its own nonces from forged ones, and
 * an old one is answered {@code stale=true} (the client retries without asking its user). Nonce counts go through
 * {@link NonceCounts} (Redis in cluster mode), so a replayed Authorization is refused on every node. Failures are
 * throttled per login and address ({@link SignInThrottle}) and audited ({@code auth.device}).
 *
 * <p>Blocking (directory, device store, shared counters): run on the worker pool.
 */
public final class DigestServer {
    /**
     * @param secret     at least 32 bytes, the same on every node (the server derives it from the data encryption key)
     * @param algorithms the challenges offered, in order of preference ({@code SHA-256}, {@code MD5}): RFC 8760 puts
     *                   SHA-256 first, but a phone that only reads the first challenge and knows only MD5 needs MD5 first
     * @param userCacheTtl how long a user found by login is kept between checks (a change through this node drops it)
     */
    public record Settings(String realm, Duration nonceLifetime, byte[] secret, List<String> algorithms,
            Duration userCacheTtl) {
        public Settings(String realm, Duration nonceLifetime, byte[] secret) {
            this(realm, nonceLifetime, secret, List.of("SHA-256", "MD5"));
        }

        public Settings(String realm, Duration nonceLifetime, byte[] secret, List<String> algorithms) {
            this(realm, nonceLifetime, secret, algorithms, Duration.ZERO);
        }

        public Settings {
            if (realm.isEmpty() || realm.contains("\"") || secret.length < 32 || nonceLifetime.isNegative()) {
                throw new IllegalArgumentException("digest settings: a realm without quotes, a 32-byte secret");
            }
            if (algorithms.isEmpty() || !List.of("SHA-256", "MD5").containsAll(algorithms)
                    || algorithms.stream().distinct().count() != algorithms.size()) {
                throw new IllegalArgumentException("digest algorithms: SHA-256 and/or MD5, each once");
            }
            secret = secret.clone();
            algorithms = List.copyOf(algorithms);
        }
    }

    /** What {@link #check} decided. */
    public sealed interface Result {
        /** The request carries a device password's valid credentials. */
        record Authenticated(User user, DevicePassword device) implements Result {}

        /** Answer 401/407 with fresh challenges; {@code stale} when only the nonce was too old or replayed. */
        record Challenge(boolean stale) implements Result {}

        /** Answer 403 (the account is disabled) or 400 (credentials that do not parse), with a reason. */
        record Refused(int status, String reason) implements Result {}

        /** Too many failures from this login or address: answer 503 (or 403) with Retry-After. */
        record Throttled(Duration retryAfter) implements Result {}
    }

    private static final List<String> ALGORITHMS = List.of("SHA-256", "SHA-256-SESS", "MD5", "MD5-SESS");
    private final Settings settings;
    private final Accounts accounts;
    private final DevicePasswords devices;
    private final NonceCounts counts;
    private final SignInThrottle throttle;
    private final AuditTrail audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final io.telesignal.core.work.TtlCache<String, Optional<User>> users;
    private final io.telesignal.core.secrets.HmacSha256 hmac;

    public DigestServer(Settings settings, Accounts accounts, DevicePasswords devices, NonceCounts counts,
            SignInThrottle throttle, AuditTrail audit, Clock clock) {
        this.users = new io.telesignal.core.work.TtlCache<>(settings.userCacheTtl(), 100_000, System::nanoTime);
        accounts.onChange(changed -> users.invalidateAll()); // disabled here: refused at once
        this.hmac = new io.telesignal.core.secrets.HmacSha256(settings.secret());
        this.settings = settings;
        this.accounts = accounts;
        this.devices = devices;
        this.counts = counts;
        this.throttle = throttle;
        this.audit = audit;
        this.clock = clock;
    }

    /** The challenge header values (WWW-Authenticate or Proxy-Authenticate), in the configured order (RFC 8760 §2.4). */
    public List<String> challenges(boolean stale) {
        String nonce = nonce();
        String tail = ", qop=\"auth\"" + (stale ? ", stale=true" : "");
        return settings.algorithms().stream().map(algorithm -> "Digest realm=\"" + settings.realm() + "\", nonce=\""
                + nonce + "\", algorithm=" + algorithm + tail).toList();
    }

    /** Checks the request's {@code header} credentials (Authorization, or Proxy-Authorization for a proxy). */
    public Result check(SipRequest request, String header, String remoteAddress) {
        Optional<Map<String, String>> found;
        try {
            // credentials of another scheme are no credentials here (RFC 4475 §3.3.7): challenged, not refused
            found = request.values(header).stream()
                    .filter(v -> v.strip().regionMatches(true, 0, "Digest", 0, 6)
                            && (v.strip().length() == 6 || Character.isWhitespace(v.strip().charAt(6))))
                    .map(DigestParams::parse)
                    .filter(p -> settings.realm().equals(p.get("realm"))).findFirst();
        } catch (SipParseException e) {
            return new Result.Refused(400, e.reason());
        }
        if (found.isEmpty()) {
            return new Result.Challenge(false);
        }
        Map<String, String> p = found.get();
        for (String required : List.of("username", "nonce", "uri", "response", "cnonce", "nc", "qop")) {
            if (!p.containsKey(required)) {
                return new Result.Refused(400, "Digest credentials without " + required);
            }
        }
        String algorithm = p.getOrDefault("algorithm", "MD5").toUpperCase(Locale.ROOT);
        if (!ALGORITHMS.contains(algorithm) || !settings.algorithms().contains(base(algorithm))
                || !p.get("qop").equalsIgnoreCase("auth")) {
            return new Result.Challenge(false);
        }
        if (!p.get("nc").matches("[0-9a-fA-F]{8}")) {
            return new Result.Refused(400, "Digest nc is not 8 hex digits");
        }
        if (!p.get("uri").equals(request.uri())) {
            return new Result.Refused(400, "Digest uri is not the Request-URI");
        }
        String username = p.get("username");
        Optional<Duration> wait = throttle.retryAfter(username, remoteAddress).toCompletableFuture().join();
        if (wait.isPresent()) {
            audit.recordNow(AuditEvent.of("auth.throttled", "unknown", Outcome.DENIED).remoteAddress(remoteAddress)
                    .endpoint("sip_digest").reason("too_many_attempts"));
            return new Result.Throttled(wait.get());
        }
        NonceCheck nonce = nonceCheck(p.get("nonce"));
        if (nonce == NonceCheck.STALE) {
            return new Result.Challenge(true);
        }
        Optional<User> user = nonce == NonceCheck.FORGED ? Optional.empty() : find(username);
        if (user.isEmpty()) {
            audit.recordNow(AuditEvent.of("auth.device", "unknown", Outcome.FAILED).remoteAddress(remoteAddress)
                    .endpoint("sip_digest").reason(nonce == NonceCheck.FORGED ? "bad_nonce" : "unknown_user"));
            throttle.failed(username, remoteAddress).toCompletableFuture().join();
            return new Result.Challenge(false);
        }
        if (!user.get().enabled()) {
            devices.verifySipDigest(user.get(), base(algorithm), ha1 -> "", p.get("response"), remoteAddress);
            return new Result.Refused(403, "account disabled");
        }
        if (!counts.advance(p.get("nonce"), Long.parseLong(p.get("nc"), 16), settings.nonceLifetime().multipliedBy(2))
                .toCompletableFuture().join()) {
            return new Result.Challenge(true); // a replayed (or reordered) nonce count: a fresh nonce, no failure
        }
        String hash = base(algorithm).equals("MD5") ? "MD5" : "SHA-256";
        boolean sess = algorithm.endsWith("-SESS");
        String ha2 = hex(hash, request.method() + ":" + p.get("uri"));
        Optional<DevicePassword> device = devices.verifySipDigest(user.get(), base(algorithm), ha1 -> {
            String key = sess ? hex(hash, ha1 + ":" + p.get("nonce") + ":" + p.get("cnonce")) : ha1;
            return hex(hash, key + ":" + p.get("nonce") + ":" + p.get("nc") + ":" + p.get("cnonce") + ":"
                    + p.get("qop") + ":" + ha2);
        }, p.get("response"), remoteAddress);
        if (device.isEmpty()) {
            throttle.failed(username, remoteAddress).toCompletableFuture().join();
            return new Result.Challenge(false);
        }
        throttle.succeeded(username).toCompletableFuture().join();
        return new Result.Authenticated(user.get(), device.get());
    }

    private Optional<User> find(String username) {
        return Login.parse(username).flatMap(login -> users.get(login.value(), ignored -> accounts.find(login)));
    }

    private static String base(String algorithm) {
        return algorithm.replace("-SESS", "");
    }

    enum NonceCheck { FRESH, STALE, FORGED }

    String nonce() {
        byte[] body = ByteBuffer.allocate(16).putLong(clock.millis() / 1000).putLong(random.nextLong()).array();
        byte[] mac = mac(body);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(ByteBuffer.allocate(28).put(body).put(mac, 0, 12)
                .array());
    }

    NonceCheck nonceCheck(String nonce) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return NonceCheck.FORGED;
        }
        if (bytes.length != 28) {
            return NonceCheck.FORGED;
        }
        byte[] body = java.util.Arrays.copyOf(bytes, 16);
        byte[] mac = java.util.Arrays.copyOfRange(mac(body), 0, 12);
        if (!MessageDigest.isEqual(mac, java.util.Arrays.copyOfRange(bytes, 16, 28))) {
            return NonceCheck.FORGED;
        }
        long issued = ByteBuffer.wrap(body).getLong();
        long age = clock.millis() / 1000 - issued;
        return age < 0 || age > settings.nonceLifetime().toSeconds() ? NonceCheck.STALE : NonceCheck.FRESH;
    }

    private byte[] mac(byte[] body) {
        return hmac.mac(body);
    }

    static String hex(String algorithm, String input) {
        return io.telesignal.core.device.DeviceKeys.hexDigest(algorithm, input);
    }
}
