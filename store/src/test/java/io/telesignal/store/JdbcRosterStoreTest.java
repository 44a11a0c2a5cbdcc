package io.telesignal.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.UserId;
import io.telesignal.core.roster.RosterItem;
import io.telesignal.core.roster.RosterStore;
import io.telesignal.core.roster.RosterStoreContract;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The roster contract on an H2 file; {@code JdbcRosterStorePostgresTest} runs it on PostgreSQL. */
class JdbcRosterStoreTest extends RosterStoreContract {
    @RegisterExtension
    final StoreFixtureExtension database = new StoreFixtureExtension(this::kind);

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @Override
    protected RosterStore store() {
        return database.store().rosters();
    }

    @Override
    protected UserId owner(String login) {
        return database.user(login);
    }

    @Test
    void namesAndGroupsAreSealedAtRest() throws Exception {
        UserId alice = owner("alice");
        store().put(RosterItem.added(alice, "pat@clinic.example", "Pat Patient", List.of("Oncology")), 10);
        try (var c = database.store().dataSource().getConnection(); var query = c.createStatement();
                var rs = query.executeQuery("SELECT name, group_names FROM roster_items")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("enc:").doesNotContain("Pat");
            assertThat(rs.getString(2)).startsWith("enc:").doesNotContain("Oncology");
        }
    }
}
