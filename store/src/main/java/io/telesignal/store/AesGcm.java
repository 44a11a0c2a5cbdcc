package io.telesignal.store;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM as the store uses it, for sealed values ({@link FieldCipher}) and wrapped data keys ({@link DataKeys}):
 * a random 96-bit nonce ahead of the ciphertext and its 128-bit tag, and associated data that binds the result to
 * its place.
 */
final class AesGcm {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** One cipher per thread: looking one up costs more than sealing a short value (a fresh nonce each use). */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is a required JDK algorithm", e);
        }
    });

    private AesGcm() {}

    /** {@code nonce || ciphertext || tag}. */
    static byte[] seal(SecretKey key, byte[] aad, byte[] plaintext) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad);
            byte[] sealed = new byte[NONCE_BYTES + cipher.getOutputSize(plaintext.length)];
            System.arraycopy(nonce, 0, sealed, 0, NONCE_BYTES);
            cipher.doFinal(plaintext, 0, plaintext.length, sealed, NONCE_BYTES);
            return sealed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is a required JDK algorithm", e);
        }
    }

    /**
     * The plaintext of what {@link #seal} made under the same key and associated data.
     *
     * @throws GeneralSecurityException when it does not open: another key, other associated data, or altered
     */
    static byte[] open(SecretKey key, byte[] aad, byte[] sealed) throws GeneralSecurityException {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new javax.crypto.AEADBadTagException("too short to be sealed");
        }
        Cipher cipher = CIPHERS.get();
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
        cipher.updateAAD(aad);
        return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    }
}
