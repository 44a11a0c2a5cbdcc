package io.telesignal.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts the embedded H2 file (H2's {@code CIPHER=AES}) with a key kept in a file of its own: generated (256 bits,
 * hex, owner-only) when first needed, and an existing plain database is converted in place the first time. The key
 * goes where H2 wants it, in front of the user's password ({@code "<file key> <user password>"}).
 */
public final class H2Encryption {
    private static final Logger LOG = LoggerFactory.getLogger(H2Encryption.class);

    private H2Encryption() {}

    /**
     * The settings to open {@code plain}'s H2 file encrypted under the key in {@code keyFile}.
     *
     * @throws StoreException {@code store_keys} when the key cannot be read or made, or the file cannot be converted
     */
    public static JdbcSettings encrypted(JdbcSettings plain, Path keyFile) {
        if (!plain.isH2() || !plain.url().startsWith("jdbc:h2:file:")) {
            throw new IllegalArgumentException("only an H2 file database can be encrypted");
        }
        Path database = Path.of(plain.url().substring("jdbc:h2:file:".length()).split(";")[0]);
        Path file = database.resolveSibling(database.getFileName() + ".mv.db");
        try {
            String key;
            if (Files.exists(keyFile)) {
                key = Files.readString(keyFile, StandardCharsets.US_ASCII).strip();
            } else {
                byte[] bytes = new byte[32];
                new SecureRandom().nextBytes(bytes);
                key = HexFormat.of().formatHex(bytes);
                if (Files.exists(file)) {
                    // a plain database from before: encrypt it in place under the new key, then keep the key
                    org.h2.tools.ChangeFileEncryption.execute(file.getParent().toString(),
                            database.getFileName().toString(), "AES", null, key.toCharArray(), true);
                    LOG.info("event=h2_encrypted file={}", file);
                }
                io.telesignal.core.secrets.SecretFiles.write(keyFile, key + "\n");
            }
            if (key.isEmpty() || key.contains(" ")) {
                throw StoreException.keys("the H2 file key in " + keyFile + " is empty or has a space", null);
            }
            return new JdbcSettings(plain.url() + ";CIPHER=AES", plain.username(), key + " " + plain.password(),
                    plain.schema(), plain.poolSize(), plain.connectionTimeout());
        } catch (IOException e) {
            throw StoreException.keys("cannot read or create the H2 file key " + keyFile + " ("
                    + e.getClass().getSimpleName() + ")", e);
        } catch (SQLException e) {
            throw StoreException.keys("cannot encrypt the H2 file " + file + " (SQLState " + e.getSQLState() + ")", e);
        }
    }
}
