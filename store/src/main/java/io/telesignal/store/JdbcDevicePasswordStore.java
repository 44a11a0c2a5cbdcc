package io.telesignal.store;

import io.telesignal.core.device.DevicePassword;
import io.telesignal.core.device.DevicePasswordStore;
import io.telesignal.core.device.ScramCredentials;
import io.telesignal.core.device.ScramParameters;
import io.telesignal.core.device.SipDigestCredentials;
import io.telesignal.core.identity.UserId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Device passwords in tables {@code device_passwords} and {@code device_scram}. Creating and deleting lock the
 * user's row ({@code SELECT ... FOR UPDATE}), so a user's count and SCRAM parameters never race across nodes.
 */
public final class JdbcDevicePasswordStore implements DevicePasswordStore {
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder UNB64 = Base64.getDecoder();
    private final Transactions tx;

    JdbcDevicePasswordStore(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public ScramParameters scramParameters(UserId user, ScramParameters proposed) {
        return tx.inTransaction("device scram parameters", c -> {
            if (!Transactions.lockUser(c, user)) {
                throw new io.telesignal.core.directory.UserNotFoundException(user.value());
            }
            Optional<ScramParameters> current = parameters(c, user);
            if (current.isPresent()) {
                return current.get();
            }
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO device_scram (user_id, salt, iterations) VALUES (?, ?, ?)")) {
                insert.setString(1, user.value());
                insert.setString(2, B64.encodeToString(proposed.salt()));
                insert.setInt(3, proposed.iterations());
                insert.executeUpdate();
            }
            return proposed;
        });
    }

    @Override
    public Optional<ScramParameters> scramParameters(UserId user) {
        return tx.read("read device scram parameters", c -> parameters(c, user));
    }

    @Override
    public CreateOutcome create(DevicePassword device, int limit) {
        return tx.inTransaction("create device password", c -> {
            if (!Transactions.lockUser(c, device.user())) {
                return CreateOutcome.USER_NOT_FOUND;
            }
            ScramParameters derivedWith = new ScramParameters(device.scram().salt(), device.scram().iterations());
            if (!parameters(c, device.user()).map(derivedWith::equals).orElse(false)) {
                return CreateOutcome.PARAMETERS_CHANGED;
            }
            if (count(c, device.user()) >= limit) {
                return CreateOutcome.LIMIT_REACHED;
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO device_passwords (id, user_id, label,"
                    + " sip_realm, sip_ha1_md5, sip_ha1_sha256, scram_stored_key, scram_server_key, created_at,"
                    + " last_used_at, scram_sha1_stored_key, scram_sha1_server_key)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, device.id());
                insert.setString(2, device.user().value());
                insert.setString(3, device.label());
                insert.setString(4, device.sipDigest().realm());
                insert.setString(5, device.sipDigest().ha1Md5());
                insert.setString(6, device.sipDigest().ha1Sha256());
                insert.setString(7, B64.encodeToString(device.scram().storedKey()));
                insert.setString(8, B64.encodeToString(device.scram().serverKey()));
                insert.setObject(9, JdbcDirectory.utc(device.createdAt()));
                insert.setObject(10, device.lastUsedAt().map(JdbcDirectory::utc).orElse(null));
                insert.setString(11, device.scramSha1().map(k -> B64.encodeToString(k.storedKey())).orElse(null));
                insert.setString(12, device.scramSha1().map(k -> B64.encodeToString(k.serverKey())).orElse(null));
                insert.executeUpdate();
            }
            return CreateOutcome.CREATED;
        });
    }

    @Override
    public List<DevicePassword> list(UserId user) {
        return tx.read("list device passwords", c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT d.id, d.label, d.sip_realm, d.sip_ha1_md5,"
                    + " d.sip_ha1_sha256, s.salt, s.iterations, d.scram_stored_key, d.scram_server_key, d.created_at,"
                    + " d.last_used_at, d.scram_sha1_stored_key, d.scram_sha1_server_key FROM device_passwords d JOIN device_scram s ON s.user_id = d.user_id"
                    + " WHERE d.user_id = ? ORDER BY d.created_at, d.id")) {
                query.setString(1, user.value());
                try (ResultSet rs = query.executeQuery()) {
                    List<DevicePassword> devices = new ArrayList<>();
                    while (rs.next()) {
                        OffsetDateTime used = rs.getObject(11, OffsetDateTime.class);
                        String sha1Stored = rs.getString(12);
                        Optional<ScramCredentials> sha1 = sha1Stored == null ? Optional.empty()
                                : Optional.of(new ScramCredentials(UNB64.decode(rs.getString(6)), rs.getInt(7),
                                        UNB64.decode(sha1Stored), UNB64.decode(rs.getString(13))));
                        devices.add(new DevicePassword(rs.getString(1), user, rs.getString(2),
                                new SipDigestCredentials(rs.getString(3), rs.getString(4), rs.getString(5)),
                                new ScramCredentials(UNB64.decode(rs.getString(6)), rs.getInt(7),
                                        UNB64.decode(rs.getString(8)), UNB64.decode(rs.getString(9))), sha1,
                                rs.getObject(10, OffsetDateTime.class).toInstant(),
                                Optional.ofNullable(used).map(OffsetDateTime::toInstant)));
                    }
                    return devices;
                }
            }
        });
    }

    @Override
    public boolean delete(UserId user, String id) {
        return tx.inTransaction("delete device password", c -> {
            if (!Transactions.lockUser(c, user)) {
                return false;
            }
            boolean deleted;
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM device_passwords WHERE id = ? AND user_id = ?")) {
                delete.setString(1, id);
                delete.setString(2, user.value());
                deleted = delete.executeUpdate() == 1;
            }
            if (deleted && count(c, user) == 0) {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM device_scram WHERE user_id = ?")) {
                    delete.setString(1, user.value());
                    delete.executeUpdate();
                }
            }
            return deleted;
        });
    }

    @Override
    public void markUsed(String id, Instant at) {
        tx.inTransaction("mark device password used", c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE device_passwords SET last_used_at = ? WHERE id = ?")) {
                update.setObject(1, JdbcDirectory.utc(at));
                update.setString(2, id);
                update.executeUpdate();
            }
            return null;
        });
    }

    private static Optional<ScramParameters> parameters(Connection c, UserId user) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT salt, iterations FROM device_scram WHERE user_id = ?")) {
            query.setString(1, user.value());
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(new ScramParameters(UNB64.decode(rs.getString(1)), rs.getInt(2)))
                        : Optional.empty();
            }
        }
    }

    private static int count(Connection c, UserId user) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT COUNT(*) FROM device_passwords WHERE user_id = ?")) {
            query.setString(1, user.value());
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
