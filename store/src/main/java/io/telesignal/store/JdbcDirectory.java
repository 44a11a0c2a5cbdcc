package io.telesignal.store;

import io.telesignal.core.directory.Credentials;
import io.telesignal.core.directory.Directory;
import io.telesignal.core.directory.LoginTakenException;
import io.telesignal.core.directory.UserNotFoundException;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The directory in tables {@code users}, {@code user_roles} and {@code credentials} (password hashes only). */
public final class JdbcDirectory implements Directory {
    private static final String USER_COLUMNS = "id, login, display_name, enabled, created_at";

    private final Transactions tx;
    private final FieldCipher cipher;

    JdbcDirectory(Transactions tx, FieldCipher cipher) {
        this.tx = tx;
        this.cipher = cipher;
    }

    /** Display names are sealed ({@link FieldCipher}) for their row. */
    static String nameContext(String userId) {
        return DataKeys.context("users", "display_name", userId);
    }

    @Override
    public void create(User user, Optional<Credentials> credentials) {
        tx.inTransaction("create user", c -> {
            if (loginExists(c, user.login())) {
                throw new LoginTakenException(user.login().value());
            }
            // PostgreSQL aborts the transaction on a constraint violation; the savepoint lets us look again
            java.sql.Savepoint beforeInsert = c.setSavepoint();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO users (" + USER_COLUMNS + ") VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, user.id().value());
                insert.setString(2, user.login().value());
                insert.setString(3, cipher.seal(user.displayName(), nameContext(user.id().value())));
                insert.setBoolean(4, user.enabled());
                insert.setObject(5, utc(user.createdAt()));
                insert.executeUpdate();
            } catch (SQLException e) {
                // two nodes racing for one login: the unique constraint decides (SQLState class 23)
                if (Transactions.constraintViolated(e)) {
                    c.rollback(beforeInsert);
                    if (loginExists(c, user.login())) {
                        throw new LoginTakenException(user.login().value());
                    }
                }
                throw e;
            }
            writeRoles(c, user);
            if (credentials.isPresent()) {
                insertCredentials(c, user.id(), credentials.get());
            }
            return null;
        });
    }

    @Override
    public Optional<User> findById(UserId id) {
        return tx.read("find user", c -> findOne(c, "id", id.value()));
    }

    @Override
    public Optional<User> findByLogin(Login login) {
        return tx.read("find user", c -> findOne(c, "login", login.value()));
    }

    @Override
    public List<User> list(int offset, int limit) {
        return tx.read("list users", c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT " + USER_COLUMNS + " FROM users ORDER BY login OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")) {
                query.setInt(1, offset);
                query.setInt(2, limit);
                List<User> rows = new ArrayList<>();
                Map<String, Set<Role>> roles = allRoles(c);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        rows.add(user(rs, roles.getOrDefault(rs.getString("id"), Set.of())));
                    }
                }
                return rows;
            }
        });
    }

    @Override
    public void update(User user) {
        tx.inTransaction("update user", c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE users SET display_name = ?, enabled = ? WHERE id = ? AND login = ?")) {
                update.setString(1, cipher.seal(user.displayName(), nameContext(user.id().value())));
                update.setBoolean(2, user.enabled());
                update.setString(3, user.id().value());
                update.setString(4, user.login().value());
                if (update.executeUpdate() == 0) {
                    throw new UserNotFoundException(user.id().value());
                }
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM user_roles WHERE user_id = ?")) {
                delete.setString(1, user.id().value());
                delete.executeUpdate();
            }
            writeRoles(c, user);
            return null;
        });
    }

    @Override
    public Optional<Credentials> credentials(UserId id) {
        return tx.read("read credentials", c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT password_hash, updated_at FROM credentials WHERE user_id = ?")) {
                query.setString(1, id.value());
                try (ResultSet rs = query.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Credentials(rs.getString(1),
                            rs.getObject(2, OffsetDateTime.class).toInstant()));
                }
            }
        });
    }

    @Override
    public void storeCredentials(UserId id, Credentials credentials) {
        tx.inTransaction("store credentials", c -> {
            if (findOne(c, "id", id.value()).isEmpty()) {
                throw new UserNotFoundException(id.value());
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM credentials WHERE user_id = ?")) {
                delete.setString(1, id.value());
                delete.executeUpdate();
            }
            insertCredentials(c, id, credentials);
            return null;
        });
    }

    @Override
    public void ping() {
        tx.read("ping", c -> {
            if (!c.isValid(2)) {
                throw new SQLException("connection not valid", "08006");
            }
            return null;
        });
    }

    private boolean loginExists(Connection c, Login login) throws SQLException {
        return findOne(c, "login", login.value()).isPresent();
    }

    private Optional<User> findOne(Connection c, String column, String value) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(
                "SELECT " + USER_COLUMNS + " FROM users WHERE " + column + " = ?")) {
            query.setString(1, value);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(user(rs, rolesOf(c, rs.getString("id"))));
            }
        }
    }

    private static Set<Role> rolesOf(Connection c, String userId) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT role_name FROM user_roles WHERE user_id = ?")) {
            query.setString(1, userId);
            Set<Role> roles = EnumSet.noneOf(Role.class);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    roles.add(Role.fromWireName(rs.getString(1)));
                }
            }
            return roles;
        }
    }

    private static Map<String, Set<Role>> allRoles(Connection c) throws SQLException {
        Map<String, Set<Role>> roles = new HashMap<>();
        try (PreparedStatement query = c.prepareStatement("SELECT user_id, role_name FROM user_roles");
                ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                roles.computeIfAbsent(rs.getString(1), k -> EnumSet.noneOf(Role.class))
                        .add(Role.fromWireName(rs.getString(2)));
            }
        }
        return roles;
    }

    private User user(ResultSet rs, Set<Role> roles) throws SQLException {
        String id = rs.getString("id");
        return new User(new UserId(id), new Login(rs.getString("login")),
                cipher.open(rs.getString("display_name"), nameContext(id)),
                roles, rs.getBoolean("enabled"), rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private static void writeRoles(Connection c, User user) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO user_roles (user_id, role_name) VALUES (?, ?)")) {
            for (Role role : user.roles()) {
                insert.setString(1, user.id().value());
                insert.setString(2, role.wireName());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private static void insertCredentials(Connection c, UserId id, Credentials credentials) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO credentials (user_id, password_hash, updated_at) VALUES (?, ?, ?)")) {
            insert.setString(1, id.value());
            insert.setString(2, credentials.passwordHash());
            insert.setObject(3, utc(credentials.updatedAt()));
            insert.executeUpdate();
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
