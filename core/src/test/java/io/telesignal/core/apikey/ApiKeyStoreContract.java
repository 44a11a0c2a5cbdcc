package io.telesignal.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link ApiKeyStore} must do. */
public abstract class ApiKeyStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    protected abstract ApiKeyStore store();

    @Test
    void keysAreStoredListedAndRevoked() {
        ApiKey first = new ApiKey("aaaaaaaaaaaa", "backend", "ab".repeat(32), T0, Optional.empty());
        ApiKey second = new ApiKey("bbbbbbbbbbbb", "reports", "cd".repeat(32), T0.plusSeconds(5), Optional.empty());
        store().create(first);
        store().create(second);

        assertThat(store().find("aaaaaaaaaaaa")).contains(first);
        assertThat(store().list()).extracting(ApiKey::id).containsExactly("aaaaaaaaaaaa", "bbbbbbbbbbbb");
        assertThat(store().revoke("aaaaaaaaaaaa", T0.plusSeconds(60))).isTrue();
        assertThat(store().find("aaaaaaaaaaaa").orElseThrow().revokedAt()).contains(T0.plusSeconds(60));
        assertThat(store().revoke("zzzzzzzzzzzz", T0)).isFalse();
        assertThat(store().find("zzzzzzzzzzzz")).isEmpty();
    }
}
