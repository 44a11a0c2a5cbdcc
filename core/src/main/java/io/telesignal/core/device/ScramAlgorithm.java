package io.telesignal.core.device;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hash a SCRAM mechanism is built on: SHA-1 for SCRAM-SHA-1 (RFC 5802), SHA-256 for SCRAM-SHA-256 (RFC 7677).
 * Every device password holds StoredKey and ServerKey for both, under the user's one salt and iteration count.
 */
public enum ScramAlgorithm {
    SHA_1("SCRAM-SHA-1", "SHA-1", "HmacSHA1", "PBKDF2WithHmacSHA1", 20),
    SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", "PBKDF2WithHmacSHA256", 32);

    private final String mechanism;
    private final String digest;
    private final String mac;
    private final String pbkdf2;
    private final int length;
    private final ThreadLocal<MessageDigest> digests;
    private final ThreadLocal<Mac> macs;

    ScramAlgorithm(String mechanism, String digest, String mac, String pbkdf2, int length) {
        this.mechanism = mechanism;
        this.digest = digest;
        this.mac = mac;
        this.pbkdf2 = pbkdf2;
        this.length = length;
        this.digests = ThreadLocal.withInitial(() -> {
            try {
                return MessageDigest.getInstance(digest);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(digest + " is a required JDK algorithm", e);
            }
        });
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                return Mac.getInstance(mac);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(mac + " is a required JDK algorithm", e);
            }
        });
    }

    /** The SASL mechanism's name without {@code -PLUS}. */
    public String mechanism() {
        return mechanism;
    }

    /** The hash's output length in bytes: the length of every key and proof. */
    public int length() {
        return length;
    }

    /** {@code H(data)}. */
    public byte[] hash(byte[] data) {
        return digests.get().digest(data);
    }

    /** {@code HMAC(key, data)}. */
    public byte[] hmac(byte[] key, byte[] data) {
        Mac m = macs.get();
        try {
            m.init(new SecretKeySpec(key, mac));
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalStateException("HMAC keys of any length are valid", e);
        }
        return m.doFinal(data);
    }

    /** {@code Hi(password, salt, i)}: PBKDF2 with this HMAC. {@code prepared} is SASLprep-ed already. */
    public byte[] saltedPassword(String prepared, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(prepared.toCharArray(), salt, iterations, length * 8);
            try {
                return SecretKeyFactory.getInstance(pbkdf2).generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(pbkdf2 + " is a required JDK algorithm", e);
        }
    }

    /** The mechanism whose name is {@code name} without {@code -PLUS}, if any. */
    public static java.util.Optional<ScramAlgorithm> byMechanism(String name) {
        for (ScramAlgorithm algorithm : values()) {
            if (algorithm.mechanism.equals(name)) {
                return java.util.Optional.of(algorithm);
            }
        }
        return java.util.Optional.empty();
    }
}
