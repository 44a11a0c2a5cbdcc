package io.telesignal.core.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link ArchiveStore} does; {@link #owner(String)} names a user that exists in the store's directory. */
public abstract class ArchiveStoreContract {
    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    protected abstract ArchiveStore store();

    protected abstract UserId owner(String login);

    private static ArchiveQuery all(int max) {
        return new ArchiveQuery(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), max);
    }

    @Test
    void pagesForwardAndBackwardWithFiltersAndCounts() {
        UserId alice = owner("alice");
        UserId bob = owner("bob");
        ArchiveStore store = store();
        for (int i = 1; i <= 5; i++) {
            store.append(new ArchivedMessage("a" + i, alice, i % 2 == 0 ? "carol@x" : "bob@x",
                    "<message><body>" + i + " \u00e9</body></message>", T0.plusSeconds(i)));
        }
        store.appendAll(java.util.List.of(new ArchivedMessage("b1", bob, "alice@x", "<message><body>bob's</body></message>",
                T0), new ArchivedMessage("b2", bob, "carol@x", "<message><body>later</body></message>", T0.plusSeconds(9))));

        ArchiveQuery.Page first = store.query(alice, all(2));
        assertThat(first.messages()).extracting(ArchivedMessage::id).containsExactly("a1", "a2");
        assertThat(first.complete()).isFalse();
        assertThat(first.count()).isEqualTo(5);
        assertThat(first.messages().get(0).stanza()).isEqualTo("<message><body>1 \u00e9</body></message>");
        assertThat(first.messages().get(0).at()).isEqualTo(T0.plusSeconds(1));
        ArchiveQuery.Page next = store.query(alice, new ArchiveQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("a4"), Optional.empty(), 2));
        assertThat(next.messages()).extracting(ArchivedMessage::id).containsExactly("a5");
        assertThat(next.complete()).isTrue();
        ArchiveQuery.Page last = store.query(alice, new ArchiveQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of(""), 2));
        assertThat(last.messages()).extracting(ArchivedMessage::id).containsExactly("a4", "a5");
        assertThat(last.complete()).isFalse();
        ArchiveQuery.Page earlier = store.query(alice, new ArchiveQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.of("a2"), 2));
        assertThat(earlier.messages()).extracting(ArchivedMessage::id).containsExactly("a1");
        assertThat(earlier.complete()).isTrue();

        ArchiveQuery.Page withBob = store.query(alice, new ArchiveQuery(Optional.of("bob@x"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 10));
        assertThat(withBob.messages()).extracting(ArchivedMessage::id).containsExactly("a1", "a3", "a5");
        ArchiveQuery.Page inRange = store.query(alice, new ArchiveQuery(Optional.empty(), Optional.of(T0.plusSeconds(2)),
                Optional.of(T0.plusSeconds(3)), Optional.empty(), Optional.empty(), 10));
        assertThat(inRange.messages()).extracting(ArchivedMessage::id).containsExactly("a2", "a3");
        assertThat(store.query(alice, all(0)).count()).isEqualTo(5);
        assertThat(store.query(bob, all(10)).messages()).extracting(ArchivedMessage::id).containsExactly("b1", "b2");

        assertThatThrownBy(() -> store.query(alice, new ArchiveQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("b1"), Optional.empty(), 2))).isInstanceOf(ArchiveStore.ArchiveItemNotFoundException.class);
        assertThat(store.purgeBefore(T0.plusSeconds(3))).isEqualTo(3); // a1, a2 and bob's b1
        assertThat(store.query(alice, all(10)).messages()).extracting(ArchivedMessage::id).containsExactly("a3", "a4", "a5");
    }

    @Test
    void preferencesAreTheDefaultsUntilSetThenKeptWhole() {
        UserId alice = owner("alice");
        ArchiveStore store = store();
        org.assertj.core.api.Assertions.assertThat(store.prefs(alice)).isEqualTo(ArchivePrefs.defaults(alice));
        ArchivePrefs set = new ArchivePrefs(alice, ArchivePrefs.Mode.ROSTER, java.util.Set.of("bob@clinic.example",
                "carol@clinic.example"), java.util.Set.of("spam@clinic.example"));
        store.setPrefs(set);
        org.assertj.core.api.Assertions.assertThat(store.prefs(alice)).isEqualTo(set);
        ArchivePrefs never = new ArchivePrefs(alice, ArchivePrefs.Mode.NEVER, java.util.Set.of(), java.util.Set.of());
        store.setPrefs(never);
        org.assertj.core.api.Assertions.assertThat(store.prefs(alice)).isEqualTo(never);
        org.assertj.core.api.Assertions.assertThat(store.prefs(owner("bob"))).isEqualTo(ArchivePrefs.defaults(owner("bob")));
        org.assertj.core.api.Assertions.assertThat(never.archives("x@y", () -> true)).isFalse();
        org.assertj.core.api.Assertions.assertThat(set.archives("bob@clinic.example", () -> false)).isTrue();
        org.assertj.core.api.Assertions.assertThat(set.archives("spam@clinic.example", () -> true)).isFalse();
        org.assertj.core.api.Assertions.assertThat(set.archives("dan@clinic.example", () -> true)).isTrue();
        org.assertj.core.api.Assertions.assertThat(set.archives("dan@clinic.example", () -> false)).isFalse();
    }
}
