package io.telesignal.store;

import java.nio.file.Path;

/** An open, migrated store on H2 or PostgreSQL, closed (and its PostgreSQL schema dropped) at the end. */
public final class StoreFixture implements AutoCloseable {
    public enum Kind { H2, POSTGRES }

    private final JdbcSettings settings;
    private final JdbcStore store;

    public StoreFixture(Kind kind, Path tempDir) {
        this.settings = kind == Kind.H2 ? TestDatabases.h2(tempDir) : TestDatabases.postgres();
        this.store = JdbcStore.open(settings);
        store.migrate();
        store.dataKeys().unlock(TestDatabases.KEK);
    }

    public JdbcStore store() {
        return store;
    }

    public JdbcSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        store.close();
        TestDatabases.dropSchema(settings);
    }
}
