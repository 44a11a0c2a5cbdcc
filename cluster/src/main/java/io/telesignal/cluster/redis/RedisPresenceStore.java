package io.telesignal.cluster.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.ScriptOutputType;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.presence.EndpointPresence;
import io.telesignal.core.presence.Presence;
import io.telesignal.core.presence.PresenceStatus;
import io.telesignal.core.presence.PresenceStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Presence in Redis: a hash per user ({@code presence:<user>}: endpoint → its presence as JSON) and one version counter
 * for all users ({@code presence-version}), so versions keep increasing for a user whose hash was emptied, and, started
 * from Redis's clock in microseconds when missing, across a Redis that restarted empty. A change
 * and the entries before and after it are one script: exact change events whichever nodes update a user at once.
 */
public final class RedisPresenceStore implements PresenceStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANGE = """
            local key = ARGV[1] .. 'presence:' .. ARGV[2]
            local before = redis.call('HVALS', key)
            if ARGV[4] == '' then redis.call('HDEL', key, ARGV[3]) else redis.call('HSET', key, ARGV[3], ARGV[4]) end
            local vkey = ARGV[1] .. 'presence-version'
            if redis.call('EXISTS', vkey) == 0 then
              -- a Redis that restarted empty: start above any version handed out before (microseconds since 1970)
              local t = redis.call('TIME')
              redis.call('SET', vkey, t[1] .. string.format('%06d', tonumber(t[2])))
            end
            local version = redis.call('INCR', vkey)
            return {version, before, redis.call('HVALS', key)}
            """;

    private final Redis redis;
    private final Redis.Script change;

    public RedisPresenceStore(Redis redis) {
        this.redis = redis;
        this.change = redis.new Script(CHANGE, ScriptOutputType.MULTI);
    }

    @Override
    public CompletionStage<Change> put(EndpointPresence entry) {
        return change(entry.user(), entry.endpoint(), encode(entry));
    }

    @Override
    public CompletionStage<Change> remove(UserId user, EndpointId endpoint) {
        return change(user, endpoint, "");
    }

    @Override
    public CompletionStage<List<EndpointPresence>> entriesOf(UserId user) {
        return redis.call(c -> c.hvals(redis.key("presence:" + user.value()))).thenApply(RedisPresenceStore::decode);
    }

    @SuppressWarnings("unchecked")
    private CompletionStage<Change> change(UserId user, EndpointId endpoint, String json) {
        return change.<List<Object>>run(new String[0], redis.prefix(), user.value(), endpoint.value(), json)
                .thenApply(answer -> new Change(decode((List<String>) answer.get(1)),
                        decode((List<String>) answer.get(2)), ((Number) answer.get(0)).longValue()));
    }

    private static String encode(EndpointPresence entry) {
        try {
            return JSON.writeValueAsString(Map.of("endpoint", entry.endpoint().value(), "user", entry.user().value(),
                    "status", entry.presence().status().name(), "note", entry.presence().note(),
                    "at", entry.updatedAt().toString()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("presence not encodable", e);
        }
    }

    private static List<EndpointPresence> decode(List<String> values) {
        List<EndpointPresence> entries = new ArrayList<>(values.size());
        for (String value : values) {
            try {
                JsonNode node = JSON.readTree(value);
                entries.add(new EndpointPresence(new EndpointId(node.path("endpoint").asText()),
                        new UserId(node.path("user").asText()),
                        new Presence(PresenceStatus.valueOf(node.path("status").asText()), node.path("note").asText()),
                        Instant.parse(node.path("at").asText())));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("presence entry in Redis is not JSON", e);
            }
        }
        return entries;
    }
}
