package io.telesignal.core.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link OfflineStore} does; {@link #owner(String)} names a user that exists in the store's directory. */
public abstract class OfflineStoreContract {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    protected abstract OfflineStore store();

    protected abstract UserId owner(String login);

    @Test
    void keptInOrderUpToTheLimitClaimedByOneConnectionThenDeletedOnceSent() {
        UserId bob = owner("bob");
        OfflineStore store = store();
        assertThat(store.keep(bob, "<message><body>one \u00e9</body></message>", T0, 3)).isTrue();
        assertThat(store.keep(bob, "<message><body>two</body></message>", T0.plusSeconds(1), 3)).isTrue();
        assertThat(store.keep(bob, "<message><body>three</body></message>", T0.plusSeconds(2), 3)).isTrue();
        assertThat(store.keep(bob, "<message><body>four</body></message>", T0.plusSeconds(3), 3)).isFalse();

        List<OfflineMessage> first = store.claim(bob, "phone", T0, T0.plusSeconds(60), 2);
        assertThat(first).extracting(OfflineMessage::stanza)
                .containsExactly("<message><body>one \u00e9</body></message>", "<message><body>two</body></message>");
        assertThat(first.get(0).storedAt()).isEqualTo(T0);
        // another connection of the user meanwhile gets only what nobody claimed
        assertThat(store.claim(bob, "tablet", T0, T0.plusSeconds(60), 10)).extracting(OfflineMessage::stanza)
                .containsExactly("<message><body>three</body></message>");
        assertThat(store.claim(owner("carol"), "x", T0, T0.plusSeconds(60), 10)).isEmpty();
        assertThat(store.delete(bob, first.stream().map(OfflineMessage::seq).toList())).isEqualTo(2);
        // the tablet could not take its message: released, the next claim gets it
        store.release(bob, "tablet");
        assertThat(store.claim(bob, "laptop", T0, T0.plusSeconds(60), 10)).extracting(OfflineMessage::stanza)
                .containsExactly("<message><body>three</body></message>");
        // a claim whose connection died lapses
        assertThat(store.claim(bob, "phone", T0.plusSeconds(30), T0.plusSeconds(90), 10)).isEmpty();
        assertThat(store.claim(bob, "phone", T0.plusSeconds(61), T0.plusSeconds(120), 10)).hasSize(1);
        assertThat(store.purgeBefore(T0.plusSeconds(5))).isEqualTo(1);
        assertThat(store.claim(bob, "phone", T0.plusSeconds(500), T0.plusSeconds(600), 10)).isEmpty();
    }
}
