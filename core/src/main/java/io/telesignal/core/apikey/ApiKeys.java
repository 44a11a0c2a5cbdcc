package io.telesignal.core.apikey;

import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.Outcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates, checks and revokes API keys. A key reads {@code tsk_<id>_<secret>}: the id finds the stored record,
 * the secret (32 random bytes, base64url) is compared by SHA-256 in constant time. Creation and revocation are
 * audited; so is every refused key.
 */
public final class ApiKeys {
    private static final Pattern FORM = Pattern.compile("tsk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})");

    private final ApiKeyStore store;
    private final AuditTrail audit;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ApiKeys(ApiKeyStore store, AuditTrail audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    /** A new key and the one-time text of it. */
    public record Created(ApiKey key, String secret) {
        @Override
        public String toString() {
            return "Created[id=" + key.id() + "]";
        }
    }

    public Created create(String name, String actor) {
        if (name == null || name.isBlank() || name.length() > 64) {
            throw new IllegalArgumentException("api key name must be 1-64 characters");
        }
        String id = randomId();
        byte[] secretBytes = new byte[32];
        random.nextBytes(secretBytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        ApiKey key = new ApiKey(id, name, sha256(secret), clock.instant(), Optional.empty());
        audit.recordNow(AuditEvent.of("apikey.created", actor, Outcome.OK).subject("apikey:" + id));
        store.create(key);
        return new Created(key, "tsk_" + id + "_" + secret);
    }

    /** The active key this text is, if any; refusals are audited with the remote address. */
    public Optional<ApiKey> authenticate(String presented, String remoteAddress) {
        Matcher m = FORM.matcher(presented == null ? "" : presented);
        Optional<ApiKey> key = m.matches() ? store.find(m.group(1)) : Optional.empty();
        boolean ok = key.isPresent() && key.get().active() && MessageDigest.isEqual(
                key.get().secretHash().getBytes(StandardCharsets.US_ASCII),
                sha256(m.group(2)).getBytes(StandardCharsets.US_ASCII));
        if (!ok) {
            audit.recordNow(AuditEvent.of("auth.apikey", key.map(k -> "apikey:" + k.id()).orElse("unknown"),
                    Outcome.FAILED).remoteAddress(remoteAddress).reason(key.isPresent() && !key.get().active()
                            ? "apikey_revoked" : "bad_credentials"));
            return Optional.empty();
        }
        return key;
    }

    public List<ApiKey> list() {
        return store.list();
    }

    public boolean revoke(String id, String actor) {
        boolean found = store.find(id).isPresent();
        if (found) {
            audit.recordNow(AuditEvent.of("apikey.revoked", actor, Outcome.OK).subject("apikey:" + id));
            store.revoke(id, clock.instant());
        }
        return found;
    }

    private String randomId() {
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder id = new StringBuilder(12);
        for (int i = 0; i < 12; i++) {
            id.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    private static String sha256(String secret) {
        return io.telesignal.core.secrets.Sha256.hex(secret); // the secret is ASCII: its UTF-8 bytes are the same
    }
}
