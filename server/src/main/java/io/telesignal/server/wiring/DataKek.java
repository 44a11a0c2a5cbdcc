package io.telesignal.server.wiring;

import io.telesignal.server.config.ConfigException;
import io.telesignal.server.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Path file = settings.keyFile();
        try {
            if (Files.exists(file)) {
                LOG.info("event=data_kek source=file file={}", file);
                return decode(Files.readString(file, StandardCharsets.US_ASCII), "dataEncryption.keyFile", file.toString());
            }
            if (shared) {
                throw new ConfigException("dataEncryption.keyFile", "cluster mode needs one data encryption key shared"
                        + " by every node, and there is none at " + file + ": create it once (head -c 32 /dev/urandom"
                        + " | base64 > data-kek.key; chmod 600 data-kek.key) and give every node the same file, or set"
                        + " TELESIGNAL_DATA_ENCRYPTION_KEY");
            }
            byte[] key = new byte[32];
            random.nextBytes(key);
            io.telesignal.core.secrets.SecretFiles.write(file, Base64.getEncoder().encodeToString(key) + "\n");
            LOG.info("event=data_kek source=generated file={}", file);
            return key;
        } catch (IOException e) {
            throw new ConfigException("dataEncryption.keyFile", "cannot read or create " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
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
