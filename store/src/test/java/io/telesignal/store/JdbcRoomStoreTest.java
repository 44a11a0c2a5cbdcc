package io.telesignal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.groupchat.GroupRoom;
import io.telesignal.core.groupchat.RoomMessage;
import io.telesignal.core.groupchat.RoomStore;
import io.telesignal.core.groupchat.RoomStoreContract;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The room contract on an H2 file; {@code JdbcRoomStorePostgresTest} runs it on PostgreSQL. */
class JdbcRoomStoreTest extends RoomStoreContract {
    @RegisterExtension
    final StoreFixtureExtension database = new StoreFixtureExtension(this::kind);

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @Override
    protected RoomStore store() {
        return database.store().rooms();
    }

    @Override
    protected UserId user(String login) {
        return database.user(login);
    }

    @Test
    void titlesSubjectsAndHistoryAreSealedAtRest() throws Exception {
        store().create(new GroupRoom("bed-12", "Émile Patient's team", "Oncology", "", "", true, false, false, false,
                false, false, 10, false, Instant.now()).withSubject("Émile: chemo at 9", "Dr Who"), user("alice"));
        store().appendHistory(new RoomMessage("bed-12", "h1", "<message><body>Émile is stable</body></message>",
                Instant.now()), 10);
        try (var c = database.store().dataSource().getConnection(); var query = c.createStatement();
                var rs = query.executeQuery("SELECT title, description, subject, subject_by FROM muc_rooms")) {
            assertThat(rs.next()).isTrue();
            for (int i = 1; i <= 4; i++) {
                assertThat(rs.getString(i)).startsWith("enc:").doesNotContain("mile").doesNotContain("Who");
            }
        }
        try (var c = database.store().dataSource().getConnection(); var query = c.createStatement();
                var rs = query.executeQuery("SELECT stanza FROM muc_history")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("enc:").doesNotContain("stable");
        }
    }
}
