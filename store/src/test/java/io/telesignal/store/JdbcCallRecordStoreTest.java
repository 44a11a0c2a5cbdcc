package io.telesignal.store;

import io.telesignal.core.call.CallRecordStore;
import io.telesignal.core.call.CallRecordStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract on an H2 file; {@code JdbcCallRecordStorePostgresTest} runs it on PostgreSQL. */
class JdbcCallRecordStoreTest extends CallRecordStoreContract {
    @TempDir
    Path dir;
    private StoreFixture fixture;

    @BeforeEach
    void open() {
        fixture = new StoreFixture(kind(), dir);
    }

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Override
    protected CallRecordStore store() {
        return fixture.store().callRecords();
    }
}
