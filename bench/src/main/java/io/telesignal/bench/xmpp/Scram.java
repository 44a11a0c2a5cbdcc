package io.telesignal.bench.xmpp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A SCRAM-SHA-1 client (RFC 5802). The salted password is kept per password, salt and iteration count, as RFC 5802
 * §5.1 allows a client to: the servers' iteration counts differ (Prosody 10,000, telesignal 100,000), and a load
 * client that derived it at every login would measure itself.
 */
final class Scram {
    private static final Map<String, byte[]> SALTED = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();
    private final String user;
    private final String password;
    private final String nonce;
    private String authMessage;
    private byte[] salted;

    Scram(String user, String password) {
        this.user = user;
        this.password = password;
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        this.nonce = Base64.getEncoder().encodeToString(bytes);
    }

    /** The client-first message, base64. */
    String first() {
        return b64("n,,n=" + user + ",r=" + nonce);
    }

    /** The client-final message for the server's challenge, base64. */
    String answer(String challengeBase64) throws GeneralSecurityException {
        String serverFirst = new String(Base64.getDecoder().decode(challengeBase64), StandardCharsets.UTF_8);
        String serverNonce = null;
        String salt = null;
        int iterations = 0;
        for (String part : serverFirst.split(",")) {
            if (part.startsWith("r=")) {
                serverNonce = part.substring(2);
            } else if (part.startsWith("s=")) {
                salt = part.substring(2);
            } else if (part.startsWith("i=")) {
                iterations = Integer.parseInt(part.substring(2));
            }
        }
        if (serverNonce == null || !serverNonce.startsWith(nonce) || salt == null || iterations < 1) {
            throw new GeneralSecurityException("a SCRAM challenge that does not fit: " + serverFirst);
        }
        String key = password + "\n" + salt + "\n" + iterations;
        String saltText = salt;
        int count = iterations;
        salted = SALTED.computeIfAbsent(key, k -> pbkdf2(saltText, count));
        String withoutProof = "c=biws,r=" + serverNonce;
        authMessage = "n=" + user + ",r=" + nonce + "," + serverFirst + "," + withoutProof;
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] storedKey = MessageDigest.getInstance("SHA-1").digest(clientKey);
        byte[] signature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        return b64(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
    }

    /** Whether the server's final message proves it knew the password's keys. */
    boolean verify(String successBase64) throws GeneralSecurityException {
        String serverFinal = new String(Base64.getDecoder().decode(successBase64), StandardCharsets.UTF_8);
        byte[] expected = hmac(hmac(salted, "Server Key"), authMessage);
        return serverFinal.equals("v=" + Base64.getEncoder().encodeToString(expected));
    }

    private byte[] pbkdf2(String salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").generateSecret(new PBEKeySpec(password.toCharArray(),
                    Base64.getDecoder().decode(salt), iterations, 160)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String text) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
