package io.telesignal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.UserId;
import io.telesignal.core.offline.OfflineStore;
import io.telesignal.core.offline.OfflineStoreContract;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The offline message contract on an H2 file; {@code JdbcOfflineStorePostgresTest} runs it on PostgreSQL. */
class JdbcOfflineStoreTest extends OfflineStoreContract {
    @RegisterExtension
    final StoreFixtureExtension database = new StoreFixtureExtension(this::kind);

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @Override
    protected OfflineStore store() {
        return database.store().offline();
    }

    @Override
    protected UserId owner(String login) {
        return database.user(login);
    }

    @Test
    void stanzasAreSealedAtRest() throws Exception {
        store().keep(owner("bob"), "<message><body>the biopsy is benign</body></message>", Instant.now(), 10);
        try (var c = database.store().dataSource().getConnection(); var query = c.createStatement();
                var rs = query.executeQuery("SELECT stanza FROM offline_messages")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("enc:").doesNotContain("biopsy");
        }
    }
}
