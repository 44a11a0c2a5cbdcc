package io.telesignal.store;

import io.telesignal.core.blocking.BlockStore;
import io.telesignal.core.blocking.BlockStoreContract;
import io.telesignal.core.identity.UserId;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The block list contract on an H2 file; {@code JdbcBlockStorePostgresTest} runs it on PostgreSQL. */
class JdbcBlockStoreTest extends BlockStoreContract {
    @RegisterExtension
    final StoreFixtureExtension database = new StoreFixtureExtension(this::kind);

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @Override
    protected BlockStore store() {
        return database.store().blocking();
    }

    @Override
    protected UserId user(String login) {
        return database.user(login);
    }
}
