package io.telesignal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.chat.ChatMessage;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Chat text and display names at rest: sealed under data keys that the key-encryption key wraps. */
class DataEncryptionTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(StoreFixture.Kind.class)
    void aDumpOfTheTablesHoldsNoPlaintextAndTheStoreReadsItBack(StoreFixture.Kind kind) throws Exception {
        try (StoreFixture fixture = new StoreFixture(kind, dir)) {
            JdbcStore store = fixture.store();
            User pat = user("pat", "Patricia Testperson");
            store.directory().create(pat, Optional.empty());
            ChatMessage message = new ChatMessage("m1", new ConsultationId("c1"), pat.id(), "Patricia Testperson",
                    "my blood pressure is 150/95", T0, Optional.empty());
            store.chat().append(message);

            List<String> dump = dump(store, "SELECT * FROM users", "SELECT * FROM chat_messages");
            assertThat(String.join("\n", dump)).doesNotContain("Patricia", "Testperson", "blood pressure", "150/95")
                    .contains("enc:v1:1:");
            assertThat(store.directory().findById(pat.id()).orElseThrow().displayName()).isEqualTo("Patricia Testperson");
            assertThat(store.chat().recent(new ConsultationId("c1"), 10)).containsExactly(message);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreFixture.Kind.class)
    void aValueMovedToAnotherRowDoesNotOpen(StoreFixture.Kind kind) throws Exception {
        try (StoreFixture fixture = new StoreFixture(kind, dir)) {
            JdbcStore store = fixture.store();
            User a = user("anna", "Anna A");
            User b = user("bert", "Bert B");
            store.directory().create(a, Optional.empty());
            store.directory().create(b, Optional.empty());
            try (var c = store.dataSource().getConnection(); var s = c.createStatement()) {
                s.executeUpdate("UPDATE users SET display_name = (SELECT display_name FROM users WHERE login = 'anna')"
                        + " WHERE login = 'bert'");
            }
            assertThatThrownBy(() -> store.directory().findById(b.id())).isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(((StoreException) e).code()).isEqualTo("store_corrupt"));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreFixture.Kind.class)
    void rotationAddsADataKeyAndRewrappingChangesOnlyTheKeyRows(StoreFixture.Kind kind) throws Exception {
        try (StoreFixture fixture = new StoreFixture(kind, dir)) {
            JdbcStore store = fixture.store();
            User a = user("anna", "Anna A");
            store.directory().create(a, Optional.empty());

            assertThat(store.dataKeys().rotate(TestDatabases.KEK)).isEqualTo(2);
            User b = user("bert", "Bert B");
            store.directory().create(b, Optional.empty());
            assertThat(String.join("\n", dump(store, "SELECT display_name FROM users WHERE login = 'bert'")))
                    .contains("enc:v1:2:");
            assertThat(store.directory().findById(a.id()).orElseThrow().displayName()).isEqualTo("Anna A");

            String usersBefore = String.join("\n", dump(store, "SELECT * FROM users ORDER BY id"));
            byte[] newKek = new byte[32];
            newKek[0] = 1;
            assertThat(store.dataKeys().rewrap(TestDatabases.KEK, newKek)).isEqualTo(2);
            assertThat(String.join("\n", dump(store, "SELECT * FROM users ORDER BY id"))).isEqualTo(usersBefore);
            assertThatThrownBy(() -> store.dataKeys().unlock(TestDatabases.KEK))
                    .isInstanceOf(StoreException.class).hasMessageContaining("does not open");
            store.dataKeys().unlock(newKek);
            assertThat(store.directory().findById(b.id()).orElseThrow().displayName()).isEqualTo("Bert B");
            assertThat(store.dataKeys().list()).extracting(java.util.Map.Entry::getKey).containsExactly(1, 2);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreFixture.Kind.class)
    void valuesWrittenBeforeEncryptionAreSealedAtUnlock(StoreFixture.Kind kind) throws Exception {
        try (StoreFixture fixture = new StoreFixture(kind, dir)) {
            JdbcStore store = fixture.store();
            try (var c = store.dataSource().getConnection(); var s = c.createStatement()) {
                s.executeUpdate("INSERT INTO users (id, login, display_name, enabled, created_at)"
                        + " VALUES ('uold', 'olduser', 'Olga Oldrow', TRUE, CURRENT_TIMESTAMP)");
                s.executeUpdate("INSERT INTO chat_messages (id, consultation, sender, sender_name, body, sent_at)"
                        + " VALUES ('mold', 'c9', 'uold', 'Olga Oldrow', 'an old message', CURRENT_TIMESTAMP)");
            }
            assertThat(store.directory().findById(new UserId("uold")).orElseThrow().displayName())
                    .as("read as it is until sealed").isEqualTo("Olga Oldrow");

            assertThat(store.dataKeys().unlock(TestDatabases.KEK)).isEqualTo(3);

            assertThat(String.join("\n", dump(store, "SELECT * FROM users", "SELECT * FROM chat_messages")))
                    .doesNotContain("Olga", "old message");
            assertThat(store.chat().recent(new ConsultationId("c9"), 5)).extracting(ChatMessage::text)
                    .containsExactly("an old message");
        }
    }

    private static User user(String login, String name) {
        return new User(UserId.random(), new Login(login), name, Set.of(Role.PATIENT), true, T0);
    }

    /** Every column of every row, as text: what a database dump would show. */
    static List<String> dump(JdbcStore store, String... queries) throws Exception {
        List<String> rows = new ArrayList<>();
        try (var c = store.dataSource().getConnection(); var s = c.createStatement()) {
            for (String query : queries) {
                try (ResultSet rs = s.executeQuery(query)) {
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            row.append(rs.getString(i)).append('|');
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }
}
