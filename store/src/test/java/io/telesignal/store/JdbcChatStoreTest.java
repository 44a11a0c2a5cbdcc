package io.telesignal.store;

import io.telesignal.core.chat.ChatStore;
import io.telesignal.core.chat.ChatStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract on an H2 file; {@code JdbcChatStorePostgresTest} runs it on PostgreSQL. */
class JdbcChatStoreTest extends ChatStoreContract {
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
    protected ChatStore store() {
        return fixture.store().chat();
    }
}
