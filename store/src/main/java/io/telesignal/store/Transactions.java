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
                    try (java.sql.Statement sync = connection.createStatement()) {
                        sync.execute("CHECKPOINT SYNC");
                    }
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

    <T> T read(String operation, SqlWork<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            return work.run(connection);
        } catch (SQLException e) {
            throw StoreException.of(operation, e);
        }
    }
}
