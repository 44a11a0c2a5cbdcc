package io.telesignal.server.wiring;

import io.telesignal.server.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A secret kept in a file of the data directory (the token secret, the data encryption key): read when it is there,
 * else 256 random bits in base64 written there owner-only on a single node's first start. In cluster mode every node
 * needs the same secret, so none is made up: the start is refused with how to make one. Never logged; where it came
 * from is.
 */
final class GeneratedSecret {
    private static final Logger LOG = LoggerFactory.getLogger(GeneratedSecret.class);

    private GeneratedSecret() {}

    /**
     * @param key        the setting that names the file, for errors
     * @param event      the log event ({@code token_secret}, {@code data_kek})
     * @param sharedHint what to do in cluster mode when there is no file
     */
    static String readOrCreate(Path file, SecureRandom random, boolean shared, String key, String event,
            String sharedHint) {
        try {
            if (Files.exists(file)) {
                LOG.info("event={} source=file file={}", event, file);
                return Files.readString(file, StandardCharsets.US_ASCII).strip();
            }
            if (shared) {
                throw new ConfigException(key, sharedHint + ", and there is none at " + file);
            }
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            String text = Base64.getEncoder().encodeToString(secret);
            io.telesignal.core.secrets.SecretFiles.write(file, text + "\n");
            LOG.info("event={} source=generated file={}", event, file);
            return text;
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read or create " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
