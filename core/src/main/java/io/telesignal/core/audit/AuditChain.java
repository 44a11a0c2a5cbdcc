package io.telesignal.core.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash chain: {@code hash(n) = SHA-256(canonical(seq, event) || hash(n-1))}, with 64 zeros before the first
 * record. The canonical form is length-prefixed (a field's UTF-8 length, -1 for null, then its bytes), so no
 * two different events share an encoding whatever characters their fields hold. Changing this encoding breaks
 * every stored chain: add a version field first.
 */
public final class AuditChain {
    public static final String GENESIS = "0".repeat(64);

    private AuditChain() {}

    public static String hash(long seq, AuditEvent event, String prevHash) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(seq);
            field(out, event.type());
            field(out, event.actor());
            field(out, event.subject());
            field(out, event.consultation());
            field(out, event.endpoint());
            field(out, event.remoteAddress());
            field(out, event.outcome().wireName());
            field(out, event.reason());
            out.writeLong(event.at().getEpochSecond());
            out.writeInt(event.at().getNano());
            field(out, prevHash);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(sha256().digest(bytes.toByteArray()));
    }

    public static AuditRecord link(long seq, AuditEvent event, String prevHash) {
        return new AuditRecord(seq, event, prevHash, hash(seq, event, prevHash));
    }

    private static void field(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
