package io.telesignal.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database behind the directory and the audit log: one HikariCP pool, Flyway migrations, and the JDBC
 * SPI implementations over them. Opening fails fast (a clear {@link StoreException}) when the database cannot
 * be reached or, for H2, is held by another process.
 */
public final class JdbcStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStore.class);
    static final String MIGRATIONS = "classpath:io/telesignal/store/migration";
    /** Migrations for PostgreSQL alone; their versions are never reused by the common ones. */
    static final String MIGRATIONS_POSTGRESQL = "classpath:io/telesignal/store/migration-postgresql";
    /**
     * H2 writes a commit to its file in the committing thread only with no write delay (its default, 500 ms, lets a
     * crash lose what was acknowledged); {@link Transactions} then forces the file to the device after each commit.
     */
    static final String H2_DURABLE = "SET WRITE_DELAY 0";
    /**
     * A server configured with {@code synchronous_commit = off} acknowledges commits before their WAL is flushed;
     * those connections turn it back on. Any stronger setting (remote_write, remote_apply for synchronous
     * replication) is kept as the server has it.
     */
    static final String POSTGRES_DURABLE = "SELECT set_config('synchronous_commit', 'on', false)"
            + " WHERE current_setting('synchronous_commit') = 'off'";

    private final JdbcSettings settings;
    private final HikariDataSource dataSource;
    private final JdbcDirectory directory;
    private final JdbcAuditLog auditLog;
    private final JdbcApiKeyStore apiKeys;
    private final FieldCipher cipher = new FieldCipher();
    private final DataKeys dataKeys;
    private final JdbcDevicePasswordStore devicePasswords;
    private final JdbcChatStore chat;
    private final JdbcRosterStore rosters;
    private final JdbcOfflineStore offline;
    private final JdbcArchiveStore archive;
    private final JdbcRoomStore rooms;
    private final JdbcPepStore pep;
    private final JdbcUploadStore uploads;
    private final JdbcBlockStore blocking;
    private final JdbcInviteRedemptions inviteRedemptions;

    private JdbcStore(JdbcSettings settings, HikariDataSource dataSource) {
        this.settings = settings;
        this.dataSource = dataSource;
        Transactions tx = new Transactions(dataSource, settings.isH2());
        this.dataKeys = new DataKeys(tx, cipher);
        this.directory = new JdbcDirectory(tx, cipher);
        this.auditLog = new JdbcAuditLog(tx);
        this.apiKeys = new JdbcApiKeyStore(tx);
        this.devicePasswords = new JdbcDevicePasswordStore(tx);
        this.chat = new JdbcChatStore(tx, cipher);
        this.rosters = new JdbcRosterStore(tx, cipher);
        this.offline = new JdbcOfflineStore(tx, cipher);
        this.archive = new JdbcArchiveStore(tx, cipher);
        this.rooms = new JdbcRoomStore(tx, cipher);
        this.pep = new JdbcPepStore(tx, cipher);
        this.uploads = new JdbcUploadStore(tx, cipher);
        this.blocking = new JdbcBlockStore(tx);
        this.inviteRedemptions = new JdbcInviteRedemptions(tx);
    }

    public static JdbcStore open(JdbcSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("telesignal-store");
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.username());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setConnectionTimeout(settings.connectionTimeout().toMillis());
        config.setInitializationFailTimeout(settings.connectionTimeout().toMillis());
        // PostgreSQL accepts a search_path to a schema that does not exist yet; the first migration creates it
        settings.schema().ifPresent(config::setSchema);
        // durable before acknowledged: nothing is answered to a client before its commit is on disk
        config.setConnectionInitSql(settings.isH2() ? H2_DURABLE : POSTGRES_DURABLE);
        try {
            return new JdbcStore(settings, new HikariDataSource(config));
        } catch (HikariPool.PoolInitializationException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw StoreException.of("open store", sql);
            }
            throw StoreException.unavailable("open store", e);
        }
    }

    /**
     * Applies pending migrations; answers how many ran. A database whose history already holds exactly the migrations
     * bundled (the usual start) is not handed to Flyway at all ({@link MigrationIndex}).
     */
    public int migrate() {
        if (MigrationIndex.applied(dataSource, settings.schema(), settings.isH2())) {
            LOG.info("event=store_migrated applied=0 version={} check=history", MigrationIndex.latest(settings.isH2()));
            return 0;
        }
        try {
            var flyway = Flyway.configure()
                    .dataSource(dataSource)
                    // PostgreSQL also gets what only it can do (the audit trail append-only by trigger)
                    .locations(settings.isH2() ? new String[] {MIGRATIONS} : new String[] {MIGRATIONS, MIGRATIONS_POSTGRESQL})
                    .loggers("slf4j");
            settings.schema().ifPresent(schema -> flyway.schemas(schema).defaultSchema(schema).createSchemas(true));
            MigrateResult result = flyway.load().migrate();
            LOG.info("event=store_migrated applied={} version={}", result.migrationsExecuted, result.targetSchemaVersion);
            return result.migrationsExecuted;
        } catch (org.flywaydb.core.api.exception.FlywayValidateException e) {
            throw StoreException.migrationFailed("the database's migration history does not match this version", e);
        } catch (FlywayException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw StoreException.of("migrate store", sql);
            }
            throw StoreException.migrationFailed("a migration failed", e);
        }
    }

    public JdbcDirectory directory() {
        return directory;
    }

    public JdbcAuditLog auditLog() {
        return auditLog;
    }

    public JdbcApiKeyStore apiKeys() {
        return apiKeys;
    }

    /** The data keys of the encrypted columns: unlock them after migrating, before any other use of the store. */
    public DataKeys dataKeys() {
        return dataKeys;
    }

    public JdbcDevicePasswordStore devicePasswords() {
        return devicePasswords;
    }

    public JdbcArchiveStore archive() {
        return archive;
    }

    /** Group chat rooms (XEP-0045): configuration, affiliations and history. */
    public JdbcRoomStore rooms() {
        return rooms;
    }

    /** Personal eventing (XEP-0163): each user's nodes and their items. */
    public JdbcPepStore pep() {
        return pep;
    }

    /** Files shared over HTTP upload (XEP-0363). */
    public JdbcUploadStore uploads() {
        return uploads;
    }

    /** Block lists (XEP-0191). */
    public JdbcBlockStore blocking() {
        return blocking;
    }

    public JdbcOfflineStore offline() {
        return offline;
    }

    public JdbcRosterStore rosters() {
        return rosters;
    }

    public JdbcChatStore chat() {
        return chat;
    }

    /**
     * Consultations; blocking work goes to {@code workers}. The attended ones are cached in memory for the relay path:
     * right for a single node only.
     */
    public JdbcConsultationStore consultations(io.telesignal.core.work.WorkerPool workers) {
        return new JdbcConsultationStore(new Transactions(dataSource, settings.isH2()), workers, true, cipher);
    }

    /** Consultations with no cache of this node's own: every read goes to the database (cluster mode). */
    public JdbcConsultationStore sharedConsultations(io.telesignal.core.work.WorkerPool workers) {
        return new JdbcConsultationStore(new Transactions(dataSource, settings.isH2()), workers, false, cipher);
    }

    public JdbcCallRecordStore callRecords() {
        return new JdbcCallRecordStore(new Transactions(dataSource, settings.isH2()));
    }

    public JdbcInviteRedemptions inviteRedemptions() {
        return inviteRedemptions;
    }

    /** Throws when the database does not answer. */
    public void ping() {
        directory.ping();
    }

    public JdbcSettings settings() {
        return settings;
    }

    /** For tools and tests that need plain SQL (the tamper tests edit audit rows this way). */
    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
        LOG.info("event=store_closed");
    }
}
