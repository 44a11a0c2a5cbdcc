package io.telesignal.core.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What every {@link OfflineStore} does; {@link #owner(String)} names a user that exists in the store's directory. */
public abstract class OfflineStoreContract {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    protected abstract OfflineStore store();

    protected abstract UserId owner(String login);

    @Test
    void keptInOrderUpToTheLimitThenDeletedOnceSent() {
        UserId bob = owner("bob");
        OfflineStore store = store();
        assertThat(store.keep(bob, "<message><body>one \u00e9</body></message>", T0, 3)).isTrue();
        assertThat(store.keep(bob, "<message><body>two</body></message>", T0.plusSeconds(1), 3)).isTrue();
        assertThat(store.keep(bob, "<message><body>three</body></message>", T0.plusSeconds(2), 3)).isTrue();
        assertThat(store.keep(bob, "<message><body>four</body></message>", T0.plusSeconds(3), 3)).isFalse();
        assertThat(store.oldest(bob, 2)).extracting(OfflineMessage::stanza)
                .containsExactly("<message><body>one \u00e9</body></message>", "<message><body>two</body></message>");
        assertThat(store.oldest(owner("carol"), 10)).isEmpty();
        long second = store.oldest(bob, 2).get(1).seq();
        assertThat(store.deleteUpTo(bob, second)).isEqualTo(2);
        assertThat(store.oldest(bob, 10)).extracting(OfflineMessage::stanza).containsExactly("<message><body>three</body></message>");
        assertThat(store.oldest(bob, 10).get(0).storedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(store.purgeBefore(T0.plusSeconds(5))).isEqualTo(1);
        assertThat(store.oldest(bob, 10)).isEmpty();
    }
}
