package io.telesignal.core.directory;

import io.telesignal.core.identity.Login;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns one password into every credential a front door needs, at the moment it is set:
 * <ul>
 *   <li>a password hash for the web/REST/CLI sign-in ({@link PasswordHashes});</li>
 *   <li>SIP digest HA1 for MD5 and SHA-256 (RFC 3261 §22.4, RFC 8760 §2) with the login as username;</li>
 *   <li>SCRAM-SHA-256 salt, iteration count, StoredKey and ServerKey (RFC 5802 §3, RFC 7677).</li>
 * </ul>
 * Hazard: the HA1 values are password-equivalent for SIP; they are stored like the hash and never logged.
 */
public final class CredentialDeriver {
    private final PasswordHashes hashes;
    private final String sipRealm;
    private final int scramIterations;
    private final SecureRandom random;
    private final Clock clock;

    public CredentialDeriver(PasswordHashes hashes, String sipRealm, int scramIterations, SecureRandom random,
            Clock clock) {
        if (sipRealm == null || sipRealm.isBlank() || sipRealm.contains("\"")) {
            throw new IllegalArgumentException("SIP realm must be non-empty and contain no quote");
        }
        this.hashes = hashes;
        this.sipRealm = sipRealm;
        this.scramIterations = scramIterations;
        this.random = random;
        this.clock = clock;
    }

    public Credentials derive(Login login, char[] password) {
        String prepared = SaslPrep.prepare(password);
        String passwordHash = hashes.hash(password);
        String plain = new String(password);
        SipDigestCredentials sip = new SipDigestCredentials(sipRealm, ha1("MD5", login.value(), sipRealm, plain),
                ha1("SHA-256", login.value(), sipRealm, plain));
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return new Credentials(passwordHash, sip, scram(prepared, salt, scramIterations), clock.instant());
    }

    public String sipRealm() {
        return sipRealm;
    }

    /** RFC 3261 §22.4: {@code HA1 = H(username ":" realm ":" password)}, lower-case hex. */
    static String ha1(String algorithm, String username, String realm, String password) {
        return hex(algorithm, username + ":" + realm + ":" + password);
    }

    /** RFC 5802 §3: SaltedPassword, ClientKey, StoredKey, ServerKey. */
    static ScramCredentials scram(String prepared, byte[] salt, int scramIterations) {
        byte[] salted = Pbkdf2Hasher.derive(prepared.toCharArray(), salt, scramIterations, 32);
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] storedKey = digest("SHA-256", clientKey);
        byte[] serverKey = hmac(salted, "Server Key");
        return new ScramCredentials(salt, scramIterations, storedKey, serverKey);
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is a required JDK algorithm", e);
        }
    }

    private static String hex(String algorithm, String input) {
        return HexFormat.of().formatHex(digest(algorithm, input.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] digest(String algorithm, byte[] input) {
        try {
            return MessageDigest.getInstance(algorithm).digest(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is a required JDK algorithm", e);
        }
    }
}
