package io.telesignal.xmpp.sasl;

import io.telesignal.core.device.ScramAlgorithm;
import io.telesignal.core.device.ScramParameters;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The server side of one SCRAM exchange (RFC 5802 §5, RFC 7677), without channel binding: parses the client's two
 * messages, builds the server-first message, and checks the binding and nonce the client echoes. The proof itself is
 * checked by {@link DeviceSignIn}. Every parse failure is an {@link IllegalArgumentException} whose message is a SASL
 * failure condition ({@code malformed-request}, {@code not-authorized}).
 */
public final class ScramExchange {
    private final ScramAlgorithm algorithm;
    private String gs2Header;
    private String clientFirstBare;
    private String username;
    private String authzid = "";
    private String nonce;
    private String serverFirst;

    public static final String TLS_SERVER_END_POINT = "tls-server-end-point";

    private final boolean plus;
    private final java.util.Optional<byte[]> binding;

    /**
     * @param plus whether the client chose the {@code -PLUS} mechanism (channel binding, RFC 5802 §6)
     * @param binding the connection's {@code tls-server-end-point} data (RFC 5929 §4), when it has one: then the
     *     server offers {@code -PLUS}, and a client saying {@code y} (it could bind but thinks the server cannot) is
     *     refused as a downgrade
     */
    public ScramExchange(ScramAlgorithm algorithm, boolean plus, java.util.Optional<byte[]> binding) {
        this.algorithm = algorithm;
        this.plus = plus;
        this.binding = binding.map(byte[]::clone);
        if (plus && binding.isEmpty()) {
            throw new IllegalArgumentException("-PLUS needs channel binding data");
        }
    }

    public ScramExchange(ScramAlgorithm algorithm) {
        this(algorithm, false, java.util.Optional.empty());
    }

    public ScramAlgorithm algorithm() {
        return algorithm;
    }

    /** Reads the client-first message; answers the username (authcid) it names. */
    public String clientFirst(byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        String[] parts = text.split(",", 3);
        if (parts.length < 3) {
            throw new IllegalArgumentException("malformed-request");
        }
        String flag = parts[0];
        if (plus != flag.startsWith("p=")) {
            throw new IllegalArgumentException("malformed-request"); // -PLUS binds, and only -PLUS
        }
        if (plus && !flag.equals("p=" + TLS_SERVER_END_POINT)) {
            throw new IllegalArgumentException("malformed-request"); // the one channel binding type offered
        }
        if (!plus && !flag.equals("n") && !flag.equals("y")) {
            throw new IllegalArgumentException("malformed-request");
        }
        if (flag.equals("y") && binding.isPresent()) {
            throw new IllegalArgumentException("not-authorized"); // RFC 5802 §6: a downgrade, -PLUS was offered
        }
        gs2Header = flag + "," + parts[1] + ",";
        clientFirstBare = parts[2];
        String[] attributes = clientFirstBare.split(",");
        if (attributes.length < 2 || attributes[0].startsWith("m=") || !attributes[0].startsWith("n=")
                || !attributes[1].startsWith("r=") || attributes[1].length() < 3) {
            throw new IllegalArgumentException("malformed-request");
        }
        username = saslName(attributes[0].substring(2));
        authzid = parts[1].isEmpty() ? "" : saslName(requirePrefix(parts[1], "a="));
        nonce = attributes[1].substring(2);
        if (nonce.chars().anyMatch(c -> c < 0x21 || c > 0x7e || c == ',')) {
            throw new IllegalArgumentException("malformed-request");
        }
        return username;
    }

    /** The server-first message for the user's parameters. */
    public byte[] serverFirst(ScramParameters parameters, SecureRandom random) {
        byte[] serverNonce = new byte[18];
        random.nextBytes(serverNonce);
        nonce = nonce + Base64.getEncoder().encodeToString(serverNonce);
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(parameters.salt()) + ",i="
                + parameters.iterations();
        return serverFirst.getBytes(StandardCharsets.UTF_8);
    }

    /** The client-final message's AuthMessage and proof, once its channel binding and nonce check out. */
    public record Final(byte[] authMessage, byte[] proof) {}

    public Final clientFinal(byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        int proofAt = text.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw new IllegalArgumentException("malformed-request");
        }
        String withoutProof = text.substring(0, proofAt);
        String[] attributes = withoutProof.split(",");
        if (attributes.length < 2 || !attributes[0].startsWith("c=") || !attributes[1].startsWith("r=")) {
            throw new IllegalArgumentException("malformed-request");
        }
        byte[] binding;
        byte[] proof;
        try {
            binding = Base64.getDecoder().decode(attributes[0].substring(2));
            proof = Base64.getDecoder().decode(text.substring(proofAt + 3));
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException("malformed-request");
        }
        byte[] expected = expectedBinding();
        if (!java.security.MessageDigest.isEqual(binding, expected) || !attributes[1].substring(2).equals(nonce)
                || proof.length != algorithm.length()) {
            throw new IllegalArgumentException("not-authorized");
        }
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        return new Final(authMessage.getBytes(StandardCharsets.UTF_8), proof);
    }

    /** {@code c=}: the GS2 header, then for {@code -PLUS} the channel binding data. */
    private byte[] expectedBinding() {
        byte[] header = gs2Header.getBytes(StandardCharsets.UTF_8);
        if (!plus) {
            return header;
        }
        byte[] data = binding.orElseThrow();
        byte[] both = java.util.Arrays.copyOf(header, header.length + data.length);
        System.arraycopy(data, 0, both, header.length, data.length);
        return both;
    }

    /**
     * RFC 5929 §4.1: {@code tls-server-end-point} is the hash of the server's certificate, with the hash of its
     * signature algorithm, SHA-256 where that is MD5 or SHA-1.
     */
    public static byte[] tlsServerEndPoint(java.security.cert.X509Certificate certificate) {
        String signature = certificate.getSigAlgName().toUpperCase(java.util.Locale.ROOT);
        String hash = signature.startsWith("SHA384") ? "SHA-384" : signature.startsWith("SHA512") ? "SHA-512" : "SHA-256";
        try {
            return java.security.MessageDigest.getInstance(hash).digest(certificate.getEncoded());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(hash + " is a required JDK algorithm", e);
        }
    }

    /** The server-final message: {@code v=} the server signature under the matched device's ServerKey. */
    public byte[] serverFinal(byte[] serverKey, byte[] authMessage) {
        return ("v=" + Base64.getEncoder().encodeToString(algorithm.hmac(serverKey, authMessage)))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** The username the client-first message named. */
    public String username() {
        return username;
    }

    /** The authorization identity the client asked for, {@code ""} when none (the caller checks it is its own). */
    public String authzid() {
        return authzid;
    }

    private static String requirePrefix(String value, String prefix) {
        if (!value.startsWith(prefix)) {
            throw new IllegalArgumentException("malformed-request");
        }
        return value.substring(prefix.length());
    }

    /** RFC 5802 §5.1: {@code =2C} is a comma, {@code =3D} an equals sign, and no other {@code =} may appear. */
    static String saslName(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '=') {
                if (value.startsWith("=2C", i)) {
                    out.append(',');
                } else if (value.startsWith("=3D", i)) {
                    out.append('=');
                } else {
                    throw new IllegalArgumentException("malformed-request");
                }
                i += 2;
            } else {
                out.append(c);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("malformed-request");
        }
        return out.toString();
    }
}
