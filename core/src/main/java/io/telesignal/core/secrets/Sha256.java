package io.telesignal.core.secrets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-256 of a secret, in lowercase hex: what a store keeps of tokens it must recognise but never reveal. */
public final class Sha256 {
    private Sha256() {}

    /** The SHA-256 of {@code text}'s UTF-8 bytes, in lowercase hex. */
    public static String hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
