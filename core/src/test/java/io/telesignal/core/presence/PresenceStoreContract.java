package io.telesignal.core.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** What every {@link PresenceStore} must do. */
public abstract class PresenceStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");
    private static final UserId ALICE = new UserId("alice");

    protected abstract PresenceStore store();

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private static EndpointPresence entry(String endpoint, PresenceStatus status, String note, int second) {
        return new EndpointPresence(new EndpointId(endpoint), ALICE, new Presence(status, note), T0.plusSeconds(second));
    }

    @Test
    void eachChangeAnswersTheEntriesBeforeAndAfterWithAnIncreasingVersion() {
        EndpointPresence tab = entry("ws-1", PresenceStatus.AVAILABLE, "", 1);
        EndpointPresence phone = entry("sip-1", PresenceStatus.BUSY, "on a call ✓ «quoted»", 2);
        PresenceStore.Change first = join(store().put(tab));
        assertThat(first.before()).isEmpty();
        assertThat(first.after()).containsExactly(tab);

        PresenceStore.Change second = join(store().put(phone));
        assertThat(second.before()).containsExactly(tab);
        assertThat(second.after()).containsExactlyInAnyOrder(tab, phone);
        assertThat(second.version()).isGreaterThan(first.version());

        EndpointPresence away = entry("ws-1", PresenceStatus.AWAY, "back soon", 3);
        PresenceStore.Change third = join(store().put(away));
        assertThat(third.after()).containsExactlyInAnyOrder(away, phone);
        assertThat(join(store().entriesOf(ALICE))).containsExactlyInAnyOrder(away, phone);

        PresenceStore.Change removed = join(store().remove(ALICE, new EndpointId("sip-1")));
        assertThat(removed.after()).containsExactly(away);
        PresenceStore.Change last = join(store().remove(ALICE, new EndpointId("ws-1")));
        assertThat(last.after()).isEmpty();
        assertThat(last.version()).isGreaterThan(removed.version());
        assertThat(join(store().entriesOf(ALICE))).isEmpty();
        // a user whose entries are all gone keeps increasing versions
        assertThat(join(store().put(tab)).version()).isGreaterThan(last.version());
    }

    @Test
    void concurrentChangesOfOneUserEachSeeTheOthers() {
        List<CompletableFuture<PresenceStore.Change>> changes = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            changes.add(store().put(entry("ws-" + i, PresenceStatus.AVAILABLE, "", i)).toCompletableFuture());
        }
        List<PresenceStore.Change> done = changes.stream().map(CompletableFuture::join).toList();
        assertThat(done.stream().mapToLong(PresenceStore.Change::version).distinct().count()).isEqualTo(20);
        assertThat(done.stream().mapToInt(c -> c.after().size() - c.before().size())).allMatch(d -> d == 1);
        assertThat(join(store().entriesOf(ALICE))).hasSize(20);
    }
}
