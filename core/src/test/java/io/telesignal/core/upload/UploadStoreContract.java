package io.telesignal.core.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.UserId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link UploadStore} does; {@link #user(String)} must name a user that exists in the store's directory. */
public abstract class UploadStoreContract {
    protected abstract UploadStore store();

    protected abstract UserId user(String login);

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    private static UploadStore.Slot slot(String id, UserId owner, long size) {
        return new UploadStore.Slot(id, owner, "Émile's scan.png", "image/png", size, "ab".repeat(32), T0,
                T0.plus(Duration.ofMinutes(5)), Optional.empty());
    }

    @Test
    void aSlotTakesItsFileOnceAndTheFileReadsBackWhole() {
        UploadStore store = store();
        UserId alice = user("alice");
        assertThat(store.reserve(slot("s1", alice, 5), 100, T0)).isTrue();
        assertThat(store.slot("s1")).contains(slot("s1", alice, 5));
        assertThat(store.content("s1")).isEmpty();

        byte[] data = "hello".getBytes(StandardCharsets.US_ASCII);
        assertThat(store.put("s1", data, T0.plusSeconds(1))).isEqualTo(UploadStore.Put.STORED);
        assertThat(store.content("s1")).hasValueSatisfying(read -> assertThat(read).isEqualTo(data));
        assertThat(store.slot("s1").orElseThrow().uploadedAt()).contains(T0.plusSeconds(1));
        assertThat(store.put("s1", data, T0.plusSeconds(2))).isEqualTo(UploadStore.Put.ALREADY);
        assertThat(store.content("s1")).hasValueSatisfying(read -> assertThat(read).isEqualTo(data));
    }

    @Test
    void aPutIsRefusedForAnUnknownOrLapsedSlotOrTheWrongSize() {
        UploadStore store = store();
        UserId alice = user("alice");
        store.reserve(slot("s1", alice, 5), 100, T0);
        assertThat(store.put("nope", new byte[5], T0)).isEqualTo(UploadStore.Put.UNKNOWN);
        assertThat(store.put("s1", new byte[4], T0)).isEqualTo(UploadStore.Put.WRONG_SIZE);
        assertThat(store.put("s1", new byte[5], T0.plus(Duration.ofMinutes(5)))).isEqualTo(UploadStore.Put.EXPIRED);
        assertThat(store.content("s1")).isEmpty();
    }

    @Test
    void theQuotaCountsFilesAndOpenSlotsButNotLapsedOnesOrOtherUsers() {
        UploadStore store = store();
        UserId alice = user("alice");
        UserId bob = user("bob");
        assertThat(store.reserve(slot("a1", alice, 60), 100, T0)).isTrue();
        store.put("a1", new byte[60], T0);
        assertThat(store.reserve(slot("a2", alice, 30), 100, T0)).isTrue();
        assertThat(store.reserve(slot("a3", alice, 11), 100, T0)).isFalse(); // 60 + 30 + 11
        assertThat(store.reserve(slot("b1", bob, 100), 100, T0)).isTrue();
        // a2 lapsed empty: its bytes are free again, a1's are not
        Instant later = T0.plus(Duration.ofMinutes(6));
        assertThat(store.reserve(new UploadStore.Slot("a4", alice, "x", "", 41, "cd".repeat(32), later,
                later.plusSeconds(60), Optional.empty()), 100, later)).isFalse();
        assertThat(store.reserve(new UploadStore.Slot("a3", alice, "x", "", 40, "cd".repeat(32), later,
                later.plusSeconds(60), Optional.empty()), 100, later)).isTrue();
        // the same id twice is refused
        assertThat(store.reserve(slot("a1", bob, 1), 100, T0)).isFalse();
    }

    @Test
    void aPurgeDeletesOldFilesAndLapsedEmptySlots() {
        UploadStore store = store();
        UserId alice = user("alice");
        store.reserve(slot("old", alice, 3), 100, T0);
        store.put("old", new byte[3], T0);
        store.reserve(slot("empty", alice, 3), 100, T0);
        Instant later = T0.plus(Duration.ofDays(2));
        store.reserve(new UploadStore.Slot("new", alice, "n", "", 3, "ef".repeat(32), later, later.plusSeconds(300),
                Optional.empty()), 100, later);
        store.put("new", new byte[3], later);

        assertThat(store.purge(T0.plus(Duration.ofDays(1)), later)).isEqualTo(2);
        assertThat(store.slot("old")).isEmpty();
        assertThat(store.content("old")).isEmpty();
        assertThat(store.slot("empty")).isEmpty();
        assertThat(store.content("new")).isPresent();
    }
}
