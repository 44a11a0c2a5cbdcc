package io.telesignal.store;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data keys of {@link FieldCipher}, in table {@code data_keys}: random AES-256 keys, each stored wrapped
 * (AES-256-GCM) by the key-encryption key (KEK) that the operator keeps outside the database (a file, an environment
 * variable). Rotating the KEK re-wraps these few rows and rewrites no data; {@link #rotate} makes a new data key
 * that new values are sealed with, the old ones still opening what they sealed.
 */
public final class DataKeys {
    private static final Logger LOG = LoggerFactory.getLogger(DataKeys.class);
    private static final int BATCH = 500;
    private final Transactions tx;
    private final FieldCipher cipher;
    private final SecureRandom random = new SecureRandom();

    DataKeys(Transactions tx, FieldCipher cipher) {
        this.tx = tx;
        this.cipher = cipher;
    }

    /**
     * Opens every data key with {@code kek} (making the first one if there is none), hands them to the cipher, and
     * seals the values written before encryption. Answers how many such values were sealed.
     *
     * @throws StoreException {@code store_keys} when the KEK does not open the data keys
     */
    public int unlock(byte[] kek) {
        Map<Integer, SecretKey> keys = load(kek);
        if (keys.isEmpty()) {
            create(kek, 1);
            keys = load(kek);
        }
        int current = keys.keySet().stream().mapToInt(Integer::intValue).max().orElseThrow();
        byte[] kekCopy = kek.clone();
        cipher.install(keys, current, id -> Optional.ofNullable(load(kekCopy).get(id)));
        int sealed = sealExisting();
        LOG.info("event=data_keys_unlocked keys={} current={} sealed_existing={}", keys.size(), current, sealed);
        return sealed;
    }

    /** A new data key for new values; answers its id. */
    public int rotate(byte[] kek) {
        for (int attempt = 0; attempt < 5; attempt++) {
            int next = load(kek).keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
            if (create(kek, next)) {
                cipher.install(load(kek), next, id -> Optional.empty());
                return next;
            }
        }
        throw StoreException.keys("data keys kept changing during the rotation; try again", null);
    }

    /** Wraps every data key under {@code newKek} instead of {@code kek}, in one transaction; answers how many. */
    public int rewrap(byte[] kek, byte[] newKek) {
        Map<Integer, SecretKey> keys = load(kek);
        return tx.inTransaction("rewrap data keys", c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE data_keys SET wrapped = ? WHERE id = ?")) {
                for (Map.Entry<Integer, SecretKey> key : keys.entrySet()) {
                    update.setString(1, wrap(newKek, key.getKey(), key.getValue()));
                    update.setInt(2, key.getKey());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return keys.size();
        });
    }

    /** Ids and creation times of the data keys, oldest first. */
    public List<Map.Entry<Integer, Instant>> list() {
        return tx.read("list data keys", c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT id, created_at FROM data_keys ORDER BY id");
                    ResultSet rs = query.executeQuery()) {
                List<Map.Entry<Integer, Instant>> keys = new ArrayList<>();
                while (rs.next()) {
                    keys.add(Map.entry(rs.getInt(1), rs.getObject(2, java.time.OffsetDateTime.class).toInstant()));
                }
                return keys;
            }
        });
    }

    private Map<Integer, SecretKey> load(byte[] kek) {
        Map<Integer, String> wrapped = tx.read("read data keys", c -> {
            Map<Integer, String> rows = new HashMap<>();
            try (PreparedStatement query = c.prepareStatement("SELECT id, wrapped FROM data_keys");
                    ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getInt(1), rs.getString(2));
                }
            }
            return rows;
        });
        Map<Integer, SecretKey> keys = new HashMap<>();
        wrapped.forEach((id, text) -> keys.put(id, unwrap(kek, id, text)));
        return keys;
    }

    private boolean create(byte[] kek, int id) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        String wrapped = wrap(kek, id, new SecretKeySpec(key, "AES"));
        return tx.inTransaction("create data key", c -> {
            java.sql.Savepoint before = c.setSavepoint();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO data_keys (id, wrapped, created_at) VALUES (?, ?, ?)")) {
                insert.setInt(1, id);
                insert.setString(2, wrapped);
                insert.setObject(3, JdbcDirectory.utc(Instant.now()));
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (Transactions.constraintViolated(e)) {
                    c.rollback(before); // another node made this one at the same moment
                    return false;
                }
                throw e;
            }
        });
    }

    private static String wrap(byte[] kek, int id, SecretKey key) {
        return Base64.getEncoder().encodeToString(AesGcm.seal(new SecretKeySpec(kek, "AES"), aad(id), key.getEncoded()));
    }

    private static SecretKey unwrap(byte[] kek, int id, String text) {
        try {
            return new SecretKeySpec(AesGcm.open(new SecretKeySpec(kek, "AES"), aad(id), Base64.getDecoder().decode(text)),
                    "AES");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw StoreException.keys("the data encryption key does not open data key " + id
                    + ": this is not the key the data was encrypted under (dataEncryption.keyFile or"
                    + " TELESIGNAL_DATA_ENCRYPTION_KEY)", null);
        }
    }

    private static byte[] aad(int id) {
        return ("telesignal data key " + id).getBytes(StandardCharsets.US_ASCII);
    }

    /** A column of patient data: its table, the key columns naming a row, and how the row's context is spelt. */
    private record Sealed(String table, String column, List<String> keys) {
        String context(List<String> values) {
            return table + "." + column + ":" + String.join("/", values);
        }
    }

    static final List<Sealed> COLUMNS = List.of(
            new Sealed("users", "display_name", List.of("id")),
            new Sealed("chat_messages", "body", List.of("id")),
            new Sealed("chat_messages", "sender_name", List.of("id")),
            new Sealed("consultation_attendees", "display_name", List.of("consultation_id", "user_id")),
            new Sealed("roster_items", "name", List.of("owner_id", "contact")),
            new Sealed("roster_items", "group_names", List.of("owner_id", "contact")),
            new Sealed("offline_messages", "stanza", List.of("id")),
            new Sealed("archive_messages", "stanza", List.of("owner_id", "id")),
            new Sealed("muc_rooms", "title", List.of("name")),
            new Sealed("muc_rooms", "description", List.of("name")),
            new Sealed("muc_rooms", "subject", List.of("name")),
            new Sealed("muc_rooms", "subject_by", List.of("name")),
            new Sealed("muc_history", "stanza", List.of("room", "id")));

    /** The context a value of {@code table.column} in the row with these key values is sealed for. */
    static String context(String table, String column, String... keyValues) {
        return table + "." + column + ":" + String.join("/", keyValues);
    }

    /** Seals the values written in the clear before encryption came, in batches; answers how many. */
    int sealExisting() {
        int total = 0;
        for (Sealed column : COLUMNS) {
            int sealed;
            do {
                sealed = tx.inTransaction("seal existing " + column.table() + "." + column.column(),
                        c -> sealBatch(c, column));
                total += sealed;
            } while (sealed == BATCH);
        }
        return total;
    }

    private int sealBatch(Connection c, Sealed column) throws SQLException {
        String keys = String.join(", ", column.keys());
        String where = column.keys().stream().map(k -> k + " = ?").reduce((a, b) -> a + " AND " + b).orElseThrow();
        List<List<String>> rows = new ArrayList<>();
        List<String> values = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement("SELECT " + keys + ", " + column.column() + " FROM "
                + column.table() + " WHERE " + column.column() + " NOT LIKE 'enc:v1:%' FETCH FIRST " + BATCH
                + " ROWS ONLY"); ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                List<String> key = new ArrayList<>();
                for (int i = 1; i <= column.keys().size(); i++) {
                    key.add(rs.getString(i));
                }
                rows.add(key);
                values.add(rs.getString(column.keys().size() + 1));
            }
        }
        try (PreparedStatement update = c.prepareStatement("UPDATE " + column.table() + " SET " + column.column()
                + " = ? WHERE " + where)) {
            for (int r = 0; r < rows.size(); r++) {
                update.setString(1, cipher.seal(values.get(r), column.context(rows.get(r))));
                for (int k = 0; k < rows.get(r).size(); k++) {
                    update.setString(2 + k, rows.get(r).get(k));
                }
                update.addBatch();
            }
            if (!rows.isEmpty()) {
                update.executeBatch();
            }
        }
        return rows.size();
    }
}
