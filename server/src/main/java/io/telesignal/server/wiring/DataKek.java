package io.telesignal.server.wiring;

import io.telesignal.server.config.ConfigException;
import io.telesignal.server.config.ServerConfig;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key-encryption key of the encrypted columns: from {@code dataEncryption.key} (the environment, usually), else
 * from {@code dataEncryption.keyFile}, generated there (256 random bits, base64, owner-only) on a single node's first
 * start. Never logged; only where it came from is.
 */
public final class DataKek {
    private static final Logger LOG = LoggerFactory.getLogger(DataKek.class);

    private DataKek() {}

    /** @param shared cluster mode: every node must have the same key, so none is made up here */
    public static byte[] load(ServerConfig.DataEncryption settings, SecureRandom random, boolean shared) {
        if (settings.key().isPresent()) {
            LOG.info("event=data_kek source=setting");
            return decode(settings.key().get(), "dataEncryption.key", "the setting");
        }
        String text = GeneratedSecret.readOrCreate(settings.keyFile(), random, shared, "dataEncryption.keyFile",
                "data_kek", "cluster mode needs one data encryption key shared by every node: create it once (head -c 32"
                + " /dev/urandom | base64 > data-kek.key; chmod 600 data-kek.key) and give every node the same file, or"
                + " set TELESIGNAL_DATA_ENCRYPTION_KEY");
        return decode(text, "dataEncryption.keyFile", settings.keyFile().toString());
    }

    /** A key file's content: base64 of exactly 32 bytes. */
    public static byte[] decode(String text, String setting, String where) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(setting, where + " does not hold base64");
        }
        if (key.length != 32) {
            throw new ConfigException(setting, where + " must hold 32 bytes (base64), not " + key.length);
        }
        return key;
    }
}
