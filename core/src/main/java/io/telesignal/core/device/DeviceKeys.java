package io.telesignal.core.device;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The fast-hash material a device password turns into, the moment it is created (the password is then dropped):
 * <ul>
 *   <li>SIP digest HA1 for MD5 and SHA-256 (RFC 3261 §22.4, RFC 8760 §2) with the login as username;</li>
 *   <li>SCRAM-SHA-1 and SCRAM-SHA-256 StoredKey and ServerKey (RFC 5802 §3, RFC 7677) under the user's salt and
 *       iteration count, the password SASLprep-ed (RFC 4013).</li>
 * </ul>
 * Never derived from an account password: a dump of this material then exposes only generated, revocable
 * device secrets. Hazard: the HA1 values are password-equivalent for SIP; never log them.
 */
public final class DeviceKeys {
    private DeviceKeys() {}

    /** RFC 3261 §22.4: {@code HA1 = H(username ":" realm ":" password)}, lower-case hex. */
    static String ha1(String algorithm, String username, String realm, String password) {
        return hexDigest(algorithm, username + ":" + realm + ":" + password);
    }

    /** {@code H(text)} as RFC 7616 writes it: the digest of the UTF-8 text, lower-case hex (MD5 or SHA-256). */
    public static String hexDigest(String algorithm, String text) {
        return HexFormat.of().formatHex(digest(algorithm, text.getBytes(StandardCharsets.UTF_8)));
    }

    static SipDigestCredentials sipDigest(String login, String realm, String password) {
        return new SipDigestCredentials(realm, ha1("MD5", login, realm, password), ha1("SHA-256", login, realm, password));
    }

    /** RFC 5802 §3: SaltedPassword, ClientKey, StoredKey, ServerKey. {@code prepared} is SASLprep-ed already. */
    static ScramCredentials scram(ScramAlgorithm algorithm, String prepared, byte[] salt, int iterations) {
        byte[] salted = algorithm.saltedPassword(prepared, salt, iterations);
        byte[] clientKey = algorithm.hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] storedKey = algorithm.hash(clientKey);
        byte[] serverKey = algorithm.hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
        java.util.Arrays.fill(salted, (byte) 0);
        return new ScramCredentials(salt, iterations, storedKey, serverKey);
    }

    static byte[] digest(String algorithm, byte[] input) {
        MessageDigest digest = switch (algorithm) {
            case "MD5" -> MD5.get();
            case "SHA-256" -> SHA256.get();
            default -> newDigest(algorithm);
        };
        return digest.digest(input); // digest() resets it for the thread's next use
    }

    /** One per thread: looking a digest up among the providers costs more than digesting a SIP header. */
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> newDigest("MD5"));
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> newDigest("SHA-256"));

    private static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is a required JDK algorithm", e);
        }
    }
}
