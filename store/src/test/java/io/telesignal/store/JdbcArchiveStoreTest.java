package io.telesignal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.UserId;
import io.telesignal.core.archive.ArchiveStore;
import io.telesignal.core.archive.ArchiveStoreContract;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The message archive contract on an H2 file; {@code JdbcArchiveStorePostgresTest} runs it on PostgreSQL. */
class JdbcArchiveStoreTest extends ArchiveStoreContract {
    @RegisterExtension
    final StoreFixtureExtension database = new StoreFixtureExtension(this::kind);

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @Override
    protected ArchiveStore store() {
        return database.store().archive();
    }

    @Override
    protected UserId owner(String login) {
        return database.user(login);
    }

    @Test
    void stanzasAreSealedAtRest() throws Exception {
        store().append(new io.telesignal.core.archive.ArchivedMessage("id1", owner("bob"), "alice@x",
                "<message><body>the biopsy is benign</body></message>", Instant.now()));
        try (var c = database.store().dataSource().getConnection(); var query = c.createStatement();
                var rs = query.executeQuery("SELECT stanza FROM archive_messages")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("enc:").doesNotContain("biopsy");
        }
    }
}
