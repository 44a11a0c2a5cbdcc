package io.telesignal.core.device;

import io.telesignal.core.Refusal;
import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.AuditRecord;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.directory.GeneratedPassword;
import io.telesignal.core.directory.InvalidPasswordException;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Device passwords: generated secrets, one per SIP phone or XMPP client, that are not the account password. The
 * SIP and XMPP front doors authenticate with them ({@link #verifySipDigest}, {@link #verifyScram}); the account
 * password only ever signs in to the web door. Creation and revocation are audited, and so is every failed check; a
 * successful one is audited when it writes the device's last use (at most once a minute per device).
 *
 * <p>Blocking (store, PBKDF2 at creation); run on the worker pool.
 */
public final class DevicePasswords {
    /** A device password's last-used time is written at most this often. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final int MAX_PASSWORD = 128;
    private static final String ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

    /**
     * @param sipRealm the realm HA1 values are derived for
     * @param scramIterations PBKDF2 iterations for a user's first device password (at least 4096)
     * @param maxPerUser how many device passwords one user may hold
     * @param minPasswordLength the shortest password a platform may give instead of a generated one
     */
    public record Settings(String sipRealm, int scramIterations, int maxPerUser, int minPasswordLength) {
        public Settings {
            if (sipRealm == null || sipRealm.isBlank() || sipRealm.contains("\"")) {
                throw new IllegalArgumentException("SIP realm must be non-empty and contain no quote");
            }
            if (scramIterations < 4096 || maxPerUser < 1 || minPasswordLength < 8 || minPasswordLength > MAX_PASSWORD) {
                throw new IllegalArgumentException("device password settings out of range");
            }
        }
    }

    /** A new device password; {@code password} is there only when the server generated it, to be shown once. */
    public record Created(DevicePassword device, Optional<String> password) {
        @Override
        public String toString() {
            return "Created[id=" + device.id() + "]";
        }
    }

    private final DevicePasswordStore store;
    private final Settings settings;
    private final AuditTrail audit;
    private final Clock clock;
    private final SecureRandom random;

    /** Reads a user's device passwords from the store at every check. */
    public DevicePasswords(DevicePasswordStore store, Settings settings, AuditTrail audit, Clock clock,
            SecureRandom random) {
        this(store, settings, audit, clock, random, Duration.ZERO);
    }

    /**
     * Keeps a user's device passwords for {@code cacheTtl} between checks (a phone registering, a client signing in):
     * a device created or revoked through this node counts at once, one through another node within the TTL.
     */
    public DevicePasswords(DevicePasswordStore store, Settings settings, AuditTrail audit, Clock clock,
            SecureRandom random, Duration cacheTtl) {
        this.store = store;
        this.settings = settings;
        this.audit = audit;
        this.clock = clock;
        this.random = random;
        this.lists = new io.telesignal.core.work.TtlCache<>(cacheTtl, 100_000, System::nanoTime);
    }

    private final io.telesignal.core.work.TtlCache<io.telesignal.core.identity.UserId, List<DevicePassword>> lists;

    public Settings settings() {
        return settings;
    }

    /**
     * Creates a device password for {@code user}, generated unless {@code given} holds one (then it must be at least
     * {@code minPasswordLength} characters and pass SASLprep). Guests, whose accounts last one consultation, have none.
     *
     * @throws Refusal {@code device_limit_reached}, {@code not_authorized} (a guest), {@code user_not_found}
     * @throws InvalidPasswordException a given password that is too short, too long or not SASLprep-able
     */
    public Created create(User user, String label, Optional<char[]> given, String actor) {
        String cleanLabel = label == null ? "" : label.strip();
        if (cleanLabel.isEmpty() || cleanLabel.length() > DevicePassword.MAX_LABEL
                || cleanLabel.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("label must be 1-" + DevicePassword.MAX_LABEL
                    + " characters without control characters");
        }
        String id = randomId();
        AuditEvent.Builder record = AuditEvent.of("device.created", actor, Outcome.OK).subject(user.id().value())
                .endpoint("device:" + id);
        if (user.roles().contains(Role.GUEST)) {
            throw refuse(record, "not_authorized", "guest accounts have no device passwords");
        }
        char[] password = given.map(char[]::clone).orElseGet(() -> GeneratedPassword.generate(random));
        try {
            String prepared;
            try {
                if (given.isPresent() && (password.length < settings.minPasswordLength() || password.length > MAX_PASSWORD)) {
                    throw new InvalidPasswordException("a device password is " + settings.minPasswordLength() + "-"
                            + MAX_PASSWORD + " characters");
                }
                prepared = SaslPrep.prepare(password);
            } catch (InvalidPasswordException e) {
                audit.recordNow(AuditEvent.of("device.created", actor, Outcome.FAILED).subject(user.id().value())
                        .reason(e.code()));
                throw e;
            }
            SipDigestCredentials sip = DeviceKeys.sipDigest(user.login().value(), settings.sipRealm(), new String(password));
            for (int attempt = 0; attempt < 3; attempt++) {
                ScramParameters parameters = store.scramParameters(user.id(), freshParameters());
                DevicePassword device = new DevicePassword(id, user.id(), cleanLabel, sip,
                        DeviceKeys.scram(ScramAlgorithm.SHA_256, prepared, parameters.salt(), parameters.iterations()),
                        Optional.of(DeviceKeys.scram(ScramAlgorithm.SHA_1, prepared, parameters.salt(),
                                parameters.iterations())),
                        clock.instant(), Optional.empty());
                switch (store.create(device, settings.maxPerUser())) {
                    case CREATED -> {
                        lists.invalidate(user.id());
                        audit.recordNow(record);
                        return new Created(device, given.isPresent() ? Optional.empty() : Optional.of(new String(password)));
                    }
                    case LIMIT_REACHED -> throw refuse(record, "device_limit_reached",
                            "the user has " + settings.maxPerUser() + " device passwords already; revoke one first");
                    case USER_NOT_FOUND -> throw refuse(record, "user_not_found", "no such user");
                    case PARAMETERS_CHANGED -> { } // the last device password went meanwhile: derive again
                }
            }
            throw refuse(record, "conflict", "the user's device passwords kept changing; try again");
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private Refusal refuse(AuditEvent.Builder record, String code, String message) {
        AuditRecord written = audit.recordNow(record);
        audit.recordNow(AuditEvent.of(written.event().type(), written.event().actor(), Outcome.FAILED)
                .subject(written.event().subject()).reason(code));
        return new Refusal(code, message);
    }

    public List<DevicePassword> list(User user) {
        return store.list(user.id());
    }

    /** Revokes one of the user's device passwords at once; false when the user has no such one. */
    public boolean revoke(User user, String id, String actor) {
        boolean known = store.list(user.id()).stream().anyMatch(d -> d.id().equals(id));
        if (!known) {
            return false;
        }
        audit.recordNow(AuditEvent.of("device.revoked", actor, Outcome.OK).subject(user.id().value())
                .endpoint("device:" + id));
        boolean deleted = store.delete(user.id(), id);
        lists.invalidate(user.id()); // refused from now on, on this node; on the others within the cache's TTL
        return deleted;
    }

    /** What a SCRAM server announces for this user; empty when the user has no device password. */
    public Optional<ScramParameters> scramParameters(User user) {
        return store.scramParameters(user.id());
    }

    /**
     * RFC 5802 §3: the device password whose StoredKey for {@code algorithm} the client's proof opens, if any:
     * {@code ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage)} and {@code H(ClientKey) = StoredKey}. The caller
     * answers with {@code HMAC(ServerKey, AuthMessage)} of the device returned. Audited as {@code auth.device}.
     */
    public Optional<DevicePassword> verifyScram(User user, ScramAlgorithm algorithm, byte[] authMessage,
            byte[] clientProof, String remoteAddress) {
        Optional<DevicePassword> match = Optional.empty();
        for (DevicePassword device : enabled(user)) {
            Optional<ScramCredentials> keys = device.scram(algorithm);
            if (keys.isEmpty()) {
                continue;
            }
            byte[] storedKey = keys.get().storedKey();
            byte[] clientSignature = algorithm.hmac(storedKey, authMessage);
            if (clientSignature.length != clientProof.length) {
                continue;
            }
            byte[] clientKey = new byte[clientProof.length];
            for (int i = 0; i < clientKey.length; i++) {
                clientKey[i] = (byte) (clientProof[i] ^ clientSignature[i]);
            }
            if (MessageDigest.isEqual(algorithm.hash(clientKey), storedKey) && match.isEmpty()) {
                match = Optional.of(device);
            }
        }
        return checked(user, match, algorithm.mechanism().toLowerCase(java.util.Locale.ROOT), remoteAddress);
    }

    /**
     * A plain password (SASL PLAIN, under TLS only) checked against the user's device passwords: SCRAM-SHA-256's
     * StoredKey is derived from it under the user's salt, so the password itself is never stored. Costs one PBKDF2
     * run. Audited as {@code auth.device}.
     */
    public Optional<DevicePassword> verifyPlain(User user, char[] password, String remoteAddress) {
        Optional<ScramParameters> parameters = store.scramParameters(user.id());
        String prepared;
        try {
            prepared = SaslPrep.prepare(password);
        } catch (InvalidPasswordException e) {
            prepared = null;
        }
        Optional<DevicePassword> match = Optional.empty();
        if (parameters.isPresent() && prepared != null) {
            byte[] storedKey = DeviceKeys.scram(ScramAlgorithm.SHA_256, prepared, parameters.get().salt(),
                    parameters.get().iterations()).storedKey();
            for (DevicePassword device : enabled(user)) {
                if (MessageDigest.isEqual(storedKey, device.scram().storedKey()) && match.isEmpty()) {
                    match = Optional.of(device);
                }
            }
        }
        return checked(user, match, "plain", remoteAddress);
    }

    /**
     * RFC 7616 / RFC 3261 §22.4: the device password for which {@code expectedResponse(HA1)} equals the response
     * the client sent, if any. {@code algorithm} is {@code MD5} or {@code SHA-256} (their {@code -sess} forms use
     * the same HA1). Audited as {@code auth.device}.
     */
    public Optional<DevicePassword> verifySipDigest(User user, String algorithm, UnaryOperator<String> expectedResponse,
            String response, String remoteAddress) {
        String base = algorithm.toUpperCase(java.util.Locale.ROOT).replace("-SESS", "");
        if (!base.equals("MD5") && !base.equals("SHA-256")) {
            throw new IllegalArgumentException("digest algorithm must be MD5 or SHA-256");
        }
        byte[] presented = response.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        Optional<DevicePassword> match = Optional.empty();
        for (DevicePassword device : enabled(user)) {
            if (!device.sipDigest().realm().equals(settings.sipRealm())) {
                continue; // derived for a realm no longer served
            }
            String ha1 = base.equals("MD5") ? device.sipDigest().ha1Md5() : device.sipDigest().ha1Sha256();
            byte[] expected = expectedResponse.apply(ha1).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, presented) && match.isEmpty()) {
                match = Optional.of(device);
            }
        }
        return checked(user, match, "sip_digest", remoteAddress);
    }

    private List<DevicePassword> enabled(User user) {
        return user.enabled() ? lists.get(user.id(), store::list) : List.of();
    }

    private Optional<DevicePassword> checked(User user, Optional<DevicePassword> match, String mechanism,
            String remoteAddress) {
        String reason = !user.enabled() ? "account_disabled" : match.isEmpty() ? "bad_credentials" : null;
        // every failure is audited; a success when the device's last use is written (at most once a TOUCH_INTERVAL):
        // a phone refreshing its registration every minute, or a client reconnecting, leaves one line a minute, not
        // one per request
        if (reason != null || touch(match.get())) {
            audit.recordNow(AuditEvent.of("auth.device", user.id().value(), reason == null ? Outcome.OK : Outcome.FAILED)
                    .endpoint(match.map(d -> "device:" + d.id()).orElse(mechanism)).remoteAddress(remoteAddress)
                    .reason(reason));
        }
        return match;
    }

    /** Writes the device's last use when the one stored is older than {@link #TOUCH_INTERVAL}; answers whether. */
    private boolean touch(DevicePassword device) {
        Instant now = clock.instant();
        if (device.lastUsedAt().map(last -> last.plus(TOUCH_INTERVAL).isBefore(now)).orElse(true)) {
            store.markUsed(device.id(), now);
            lists.invalidate(device.user());
            return true;
        }
        return false;
    }

    private ScramParameters freshParameters() {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return new ScramParameters(salt, settings.scramIterations());
    }

    private String randomId() {
        StringBuilder id = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }
}
