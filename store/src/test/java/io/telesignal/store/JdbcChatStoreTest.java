package io.telesignal.store;

import io.telesignal.core.chat.ChatStore;
import io.telesignal.core.chat.ChatStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract on an H2 file; {@code JdbcChatStorePostgresTest} runs it on PostgreSQL. */
class JdbcChatStoreTest extends ChatStoreContract {
    @RegisterExtension
    final StoreFixtureExtension database = new StoreFixtureExtension(this::kind);

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @Override
    protected ChatStore store() {
        return database.store().chat();
    }
}
