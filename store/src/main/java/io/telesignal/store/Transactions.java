package io.telesignal.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Runs work in one transaction: commit when it returns, roll back when it throws. SQL failures become
 * {@link StoreException}; domain exceptions thrown by the work pass through after the rollback.
 *
 * <p>Durability: a commit that returns is on disk. PostgreSQL does that itself (synchronous commit, kept on by
 * {@link JdbcStore}). Embedded H2, with no write delay, writes the commit to its file before returning but leaves it
 * in the operating system's cache; {@code CHECKPOINT SYNC} then forces the file to the device, so that a power cut
 * cannot take back what was acknowledged either.
 */
final class Transactions {
    private final DataSource dataSource;
    private final boolean syncAfterCommit;

    Transactions(DataSource dataSource, boolean syncAfterCommit) {
        this.dataSource = dataSource;
        this.syncAfterCommit = syncAfterCommit;
    }

    <T> T inTransaction(String operation, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                if (syncAfterCommit) {
                    sync(connection, operation);
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw StoreException.of(operation, e);
        }
    }

    /**
     * Forces H2's file to the device. The commit stands whatever happens here: a failure (the disk is failing or full)
     * is logged loudly and counted, never reported as a failed write, which it was not.
     */
    private static void sync(Connection connection, String operation) {
        try (java.sql.Statement sync = connection.createStatement()) {
            sync.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
            SYNC_FAILURES.incrementAndGet();
            LOG.error("event=store_sync outcome=failed operation={} sqlstate={}", operation, e.getSQLState());
        }
    }

    /** Whether the statement broke a constraint (SQLState class 23): a unique key decided a race. */
    static boolean constraintViolated(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    /** Syncs that failed since start (a disk in trouble). */
    static final java.util.concurrent.atomic.AtomicLong SYNC_FAILURES = new java.util.concurrent.atomic.AtomicLong();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Transactions.class);

    <T> T read(String operation, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            return work.run(connection);
        } catch (SQLException e) {
            throw StoreException.of(operation, e);
        }
    }

    /**
     * Locks the user's row until the transaction ends, so that one user's rows (device passwords, roster, kept
     * messages) change one transaction at a time; false when there is no such user.
     */
    static boolean lockUser(java.sql.Connection c, io.telesignal.core.identity.UserId user) throws java.sql.SQLException {
        try (java.sql.PreparedStatement lock = c.prepareStatement("SELECT id FROM users WHERE id = ? FOR UPDATE")) {
            lock.setString(1, user.value());
            try (java.sql.ResultSet rs = lock.executeQuery()) {
                return rs.next();
            }
        }
    }
}
