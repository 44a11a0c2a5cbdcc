package io.telesignal.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import javax.crypto.SecretKey;

/**
 * Encrypts the columns that hold patient data (chat text, display names) with AES-256-GCM under a data key, as
 * {@code enc:v1:<key id>:<base64url(nonce || ciphertext || tag)>}. Each value is bound to its place by the
 * associated data ({@code table.column:row}): a value copied to another row or column does not open. Values written
 * before encryption was introduced (no prefix) are read as they are until {@link DataKeys} seals them.
 *
 * <p>The data keys come from {@link DataKeys}, which unwraps them with the key-encryption key; a value under a data
 * key this node has not seen yet (another node rotated) makes it load that key once.
 */
public final class FieldCipher {
    static final String PREFIX = "enc:v1:";
    private final Map<Integer, SecretKey> keys = new ConcurrentHashMap<>();
    private volatile int current = -1;
    private volatile IntFunction<Optional<SecretKey>> loader = id -> Optional.empty();

    /** The keys known so far, the one new values are sealed with, and how to find one not known yet. */
    void install(Map<Integer, SecretKey> known, int currentId, IntFunction<Optional<SecretKey>> load) {
        keys.putAll(known);
        loader = load;
        current = currentId;
    }

    boolean unlocked() {
        return current >= 0;
    }

    int currentKeyId() {
        return current;
    }

    /** Seals {@code plaintext} for the place {@code context} names. */
    String seal(String plaintext, String context) {
        int id = current;
        if (id < 0) {
            throw new IllegalStateException("the store's data keys are not unlocked");
        }
        byte[] sealed = AesGcm.seal(keys.get(id), aad(id, context), plaintext.getBytes(StandardCharsets.UTF_8));
        return PREFIX + id + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    /**
     * Seals bytes (a file) for the place {@code context} names: the data key's id (4 bytes, big-endian) and then the
     * nonce, ciphertext and tag; for a binary column, without the text form's base64.
     */
    byte[] sealBytes(byte[] plaintext, String context) {
        int id = current;
        if (id < 0) {
            throw new IllegalStateException("the store's data keys are not unlocked");
        }
        byte[] sealed = AesGcm.seal(keys.get(id), aad(id, context), plaintext);
        return java.nio.ByteBuffer.allocate(4 + sealed.length).putInt(id).put(sealed).array();
    }

    /** The plaintext of bytes {@link #sealBytes} sealed for {@code context}. */
    byte[] openBytes(byte[] stored, String context) {
        if (stored.length < 4) {
            throw StoreException.corrupt("a sealed file is truncated (" + context + ")");
        }
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(stored);
        int id = in.getInt();
        SecretKey key = keys.get(id);
        if (key == null) {
            key = loader.apply(id).orElseThrow(() -> StoreException.corrupt("no data key " + id + " (" + context + ")"));
            keys.put(id, key);
        }
        try {
            return AesGcm.open(key, aad(id, context), java.util.Arrays.copyOfRange(stored, 4, stored.length));
        } catch (GeneralSecurityException e) {
            throw StoreException.corrupt("a sealed file does not open: altered, or moved from another place ("
                    + context + ")");
        }
    }

    /** The plaintext of a stored value; a value without the prefix (written before encryption) as it is. */
    String open(String stored, String context) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return stored;
        }
        int colon = stored.indexOf(':', PREFIX.length());
        if (colon < 0) {
            throw StoreException.corrupt("an encrypted value has no key id (" + context + ")");
        }
        int id;
        byte[] in;
        try {
            id = Integer.parseInt(stored.substring(PREFIX.length(), colon));
            in = Base64.getUrlDecoder().decode(stored.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw StoreException.corrupt("an encrypted value is malformed (" + context + ")");
        }
        SecretKey key = keys.get(id);
        if (key == null) {
            key = loader.apply(id).orElseThrow(() -> StoreException.corrupt("no data key " + id + " ("
                    + context + ")"));
            keys.put(id, key);
        }
        try {
            return new String(AesGcm.open(key, aad(id, context), in), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw StoreException.corrupt("an encrypted value does not open: altered, or moved from another place ("
                    + context + ")");
        }
    }

    private static byte[] aad(int keyId, String context) {
        return ("telesignal:" + keyId + ":" + context).getBytes(StandardCharsets.UTF_8);
    }
}
