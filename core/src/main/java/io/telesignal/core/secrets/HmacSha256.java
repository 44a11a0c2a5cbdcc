package io.telesignal.core.secrets;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 under one key, for values a server seals and later checks (digest nonces, flow tokens): one keyed
 * {@link Mac} per thread, since getting and keying one costs more than the MAC of a short value.
 */
public final class HmacSha256 {
    private final ThreadLocal<Mac> macs;

    public HmacSha256(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("an HMAC key needs 16 bytes or more");
        }
        SecretKeySpec spec = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(spec);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is a required JDK algorithm", e);
            }
        });
    }

    /** The 32-byte MAC of {@code data}. */
    public byte[] mac(byte[] data) {
        return macs.get().doFinal(data);
    }
}
