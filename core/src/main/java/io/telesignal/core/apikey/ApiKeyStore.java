package io.telesignal.core.apikey;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** SPI: stored API keys. Blocking. */
public interface ApiKeyStore {
    void create(ApiKey key);

    Optional<ApiKey> find(String id);

    /** Keys ordered by creation time. */
    List<ApiKey> list();

    /** Answers false when there is no such key. */
    boolean revoke(String id, Instant at);
}
