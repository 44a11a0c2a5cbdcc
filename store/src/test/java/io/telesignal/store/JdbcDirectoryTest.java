package io.telesignal.store;

import io.telesignal.core.directory.Directory;
import io.telesignal.core.directory.DirectoryContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract on an H2 file; {@code JdbcDirectoryPostgresTest} runs it on PostgreSQL. */
class JdbcDirectoryTest extends DirectoryContract {
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
    protected Directory directory() {
        return fixture.store().directory();
    }
}
