package io.telesignal.core.apikey;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** API keys of a throw-away server. */
public final class InMemoryApiKeyStore implements ApiKeyStore {
    private final Map<String, ApiKey> keys = new ConcurrentHashMap<>();

    @Override
    public void create(ApiKey key) {
        if (keys.putIfAbsent(key.id(), key) != null) {
            throw new IllegalStateException("duplicate api key id");
        }
    }

    @Override
    public Optional<ApiKey> find(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    @Override
    public List<ApiKey> list() {
        return keys.values().stream().sorted(Comparator.comparing(ApiKey::createdAt)).toList();
    }

    @Override
    public boolean revoke(String id, Instant at) {
        return keys.computeIfPresent(id, (k, key) -> key.active()
                ? new ApiKey(key.id(), key.name(), key.secretHash(), key.createdAt(), Optional.of(at)) : key) != null;
    }
}
