package io.telesignal.store;

import io.telesignal.core.directory.Directory;
import io.telesignal.core.directory.DirectoryContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract on an H2 file; {@code JdbcDirectoryPostgresTest} runs it on PostgreSQL. */
class JdbcDirectoryTest extends DirectoryContract {
    @RegisterExtension
    final StoreFixtureExtension database = new StoreFixtureExtension(this::kind);

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @Override
    protected Directory directory() {
        return database.store().directory();
    }
}
