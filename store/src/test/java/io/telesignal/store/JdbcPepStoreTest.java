package io.telesignal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.UserId;
import io.telesignal.core.pep.PepItem;
import io.telesignal.core.pep.PepNode;
import io.telesignal.core.pep.PepStore;
import io.telesignal.core.pep.PepStoreContract;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The personal eventing contract on an H2 file; {@code JdbcPepStorePostgresTest} runs it on PostgreSQL. */
class JdbcPepStoreTest extends PepStoreContract {
    @RegisterExtension
    final StoreFixtureExtension database = new StoreFixtureExtension(this::kind);

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @Override
    protected PepStore store() {
        return database.store().pep();
    }

    @Override
    protected UserId user(String login) {
        return database.user(login);
    }

    @Test
    void payloadsAreSealedAtRestAndGoWithTheirOwner() throws Exception {
        UserId alice = user("alice");
        store().publish(new PepItem(alice, "urn:xmpp:geoloc", "current", "<geoloc><locality>Émile's ward</locality></geoloc>",
                Instant.now()), new PepNode(alice, "urn:xmpp:geoloc", PepNode.Access.PRESENCE, 1, true, Instant.now()),
                n -> true, 10);
        try (var c = database.store().dataSource().getConnection(); var query = c.createStatement();
                var rs = query.executeQuery("SELECT payload FROM pep_items")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("enc:").doesNotContain("ward");
        }
        try (var c = database.store().dataSource().getConnection(); var delete = c.createStatement()) {
            delete.executeUpdate("DELETE FROM users WHERE id = '" + alice.value() + "'");
        }
        assertThat(store().node(alice, "urn:xmpp:geoloc")).isEmpty();
        assertThat(store().items(alice, "urn:xmpp:geoloc", 5)).isEmpty();
    }
}
