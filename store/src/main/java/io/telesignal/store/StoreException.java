package io.telesignal.store;

import io.telesignal.core.DomainException;
import java.sql.SQLException;

/** The database failed or could not be reached, or what it holds does not open. */
public final class StoreException extends DomainException {
    private static final long serialVersionUID = 1L;

    /** H2 vendor code 90020: the database file is open in another process. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private final String code;

    private StoreException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public static StoreException of(String operation, SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
                return new StoreException("store_locked", operation
                        + ": the H2 database is open in another process (a running server?); stop it, or use"
                        + " PostgreSQL to share the store", e);
            }
        }
        return new StoreException("store_failed", operation + " failed (SQLState " + e.getSQLState() + ")", e);
    }

    public static StoreException unavailable(String operation, Throwable cause) {
        return new StoreException("store_unavailable", operation + ": the database cannot be reached", cause);
    }

    public static StoreException migrationFailed(String what, Throwable cause) {
        return new StoreException("store_migration_failed", "migrate store: " + what, cause);
    }

    /** A stored value that does not open (altered, moved, or under a data key that is gone). */
    public static StoreException corrupt(String message) {
        return new StoreException("store_corrupt", message, null);
    }

    /** The key-encryption key does not open the data keys, or there is none. */
    public static StoreException keys(String message, Throwable cause) {
        return new StoreException("store_keys", message, cause);
    }

    @Override
    public String code() {
        return code;
    }
}
