package io.telesignal.store;

import io.telesignal.core.call.CallRecordStore;
import io.telesignal.core.call.CallRecordStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract on an H2 file; {@code JdbcCallRecordStorePostgresTest} runs it on PostgreSQL. */
class JdbcCallRecordStoreTest extends CallRecordStoreContract {
    @RegisterExtension
    final StoreFixtureExtension database = new StoreFixtureExtension(this::kind);

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @Override
    protected CallRecordStore store() {
        return database.store().callRecords();
    }
}
