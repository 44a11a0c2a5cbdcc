package io.telesignal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.UserId;
import io.telesignal.core.upload.UploadStore;
import io.telesignal.core.upload.UploadStoreContract;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The upload contract on an H2 file; {@code JdbcUploadStorePostgresTest} runs it on PostgreSQL. */
class JdbcUploadStoreTest extends UploadStoreContract {
    @RegisterExtension
    final StoreFixtureExtension database = new StoreFixtureExtension(this::kind);

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @Override
    protected UploadStore store() {
        return database.store().uploads();
    }

    @Override
    protected UserId user(String login) {
        return database.user(login);
    }

    @Test
    void namesAndContentsAreSealedAtRestBoundToTheirSlotAndGoWithTheirOwner() throws Exception {
        UserId alice = user("alice");
        Instant now = Instant.now();
        store().reserve(new UploadStore.Slot("s1", alice, "ward-7-scan.pdf", "application/pdf", 21, "ab".repeat(32), now,
                now.plusSeconds(60), Optional.empty()), 1000, now);
        store().put("s1", "Émile's blood results".getBytes(StandardCharsets.ISO_8859_1), now);
        try (var c = database.store().dataSource().getConnection(); var query = c.createStatement();
                var rs = query.executeQuery("SELECT filename, content FROM uploads")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("enc:").doesNotContain("ward");
            assertThat(new String(rs.getBytes(2), StandardCharsets.ISO_8859_1)).doesNotContain("blood");
        }
        // a sealed file moved to another slot does not open there
        store().reserve(new UploadStore.Slot("s2", alice, "x", "", 21, "cd".repeat(32), now, now.plusSeconds(60),
                Optional.empty()), 1000, now);
        try (var c = database.store().dataSource().getConnection(); var move = c.createStatement()) {
            move.executeUpdate("UPDATE uploads SET content = (SELECT content FROM uploads WHERE id = 's1'),"
                    + " uploaded_at = created_at WHERE id = 's2'");
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store().content("s2")).isInstanceOf(StoreException.class);
        try (var c = database.store().dataSource().getConnection(); var delete = c.createStatement()) {
            delete.executeUpdate("DELETE FROM users WHERE id = '" + alice.value() + "'");
        }
        assertThat(store().slot("s1")).isEmpty();
    }
}
