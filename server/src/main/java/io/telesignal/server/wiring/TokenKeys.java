package io.telesignal.server.wiring;

import io.telesignal.core.auth.SigningKey;
import io.telesignal.server.config.ConfigException;
import io.telesignal.server.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Loads the token signing key named by the configuration. The HS256 secret is generated on first start
 * (256 random bits, base64, owner-only file) and reused; RS256/ES256 keys come from PEM files.
 */
final class TokenKeys {

    private TokenKeys() {}

    /**
     * The signing key. An HS256 secret that does not exist yet is generated, unless {@code shared}: in cluster mode
     * every node must sign with the same secret, and a node that made up its own would refuse the others' tokens.
     */
    static SigningKey load(ServerConfig.Tokens tokens, SecureRandom random, boolean shared) {
        return switch (tokens.algorithm()) {
            case "RS256" -> new SigningKey.Rs256((RSAPrivateKey) privateKey(tokens.privateKey().orElseThrow(), "RSA"),
                    (RSAPublicKey) publicKey(tokens.publicKey().orElseThrow(), "RSA"));
            case "ES256" -> {
                try {
                    yield new SigningKey.Es256((ECPrivateKey) privateKey(tokens.privateKey().orElseThrow(), "EC"),
                            (ECPublicKey) publicKey(tokens.publicKey().orElseThrow(), "EC"));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("tokens.privateKey", e.getMessage());
                }
            }
            default -> new SigningKey.Hs256(secret(tokens.secretFile(), random, shared));
        };
    }

    static SigningKey load(ServerConfig.Tokens tokens, SecureRandom random) {
        return load(tokens, random, false);
    }

    private static byte[] secret(Path file, SecureRandom random, boolean shared) {
        String text = GeneratedSecret.readOrCreate(file, random, shared, "tokens.secretFile", "token_secret",
                "cluster mode needs one token secret shared by every node: create it once (head -c 32 /dev/urandom |"
                + " base64 > jwt-hs256.key; chmod 600 jwt-hs256.key) and give every node the same file, or use RS256 or"
                + " ES256 keys");
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("tokens.secretFile", file + " does not hold base64");
        }
        if (secret.length < 32) {
            throw new ConfigException("tokens.secretFile", "the secret in " + file + " is shorter than 32 bytes");
        }
        return secret;
    }

    private static java.security.PrivateKey privateKey(Path file, String algorithm) {
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pem(file, "PRIVATE KEY",
                    "tokens.privateKey")));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new ConfigException("tokens.privateKey", file + " is not a PKCS#8 " + algorithm + " private key");
        }
    }

    private static java.security.PublicKey publicKey(Path file, String algorithm) {
        try {
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(pem(file, "PUBLIC KEY",
                    "tokens.publicKey")));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new ConfigException("tokens.publicKey", file + " is not an X.509 " + algorithm + " public key");
        }
    }

    private static byte[] pem(Path file, String type, String key) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            String begin = "-----BEGIN " + type + "-----";
            String end = "-----END " + type + "-----";
            int from = text.indexOf(begin);
            int to = text.indexOf(end);
            if (from < 0 || to < from) {
                throw new ConfigException(key, file + " has no '" + begin + "' block");
            }
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read " + file);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, file + " holds invalid base64");
        }
    }
}
