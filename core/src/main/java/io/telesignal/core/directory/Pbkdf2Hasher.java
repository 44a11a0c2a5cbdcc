package io.telesignal.core.directory;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA256 for deployments that must use a FIPS-approved function. The default work factor,
 * 600,000 iterations, is the OWASP recommendation for this function.
 */
public final class Pbkdf2Hasher implements PasswordHasher {
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final Pattern PHC = Pattern.compile(
            "\\$pbkdf2-sha256\\$i=(\\d{1,8})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final int iterations;
    private final SecureRandom random;

    public Pbkdf2Hasher(int iterations, SecureRandom random) {
        if (iterations < 100_000) {
            throw new IllegalArgumentException("pbkdf2 needs at least 100000 iterations");
        }
        this.iterations = iterations;
        this.random = random;
    }

    @Override
    public String id() {
        return "pbkdf2-sha256";
    }

    @Override
    public String hash(char[] password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return "$pbkdf2-sha256$i=" + iterations + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(derive(password, salt, iterations, 32));
    }

    @Override
    public boolean verify(char[] password, String encoded) {
        Matcher m = PHC.matcher(encoded);
        if (!m.matches()) {
            return false;
        }
        byte[] expected = B64D.decode(m.group(3));
        byte[] actual = derive(password, B64D.decode(m.group(2)), Integer.parseInt(m.group(1)), expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    public static byte[] derive(char[] password, byte[] salt, int iterations, int length) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, length * 8);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is a required JDK algorithm", e);
        }
    }
}
