package io.telesignal.cluster.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.ScriptOutputType;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.location.Binding;
import io.telesignal.core.location.LocationStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * SIP location bindings in Redis: a hash per user ({@code loc:<user>}: binding key → the binding as JSON) and an index
 * of the bindings whose flows each node holds ({@code loc-node:<node>}: {@code user TAB key}). The RFC 3261 §10.3
 * Call-ID/CSeq check and the change are one script, as are the purge of expired bindings and the read.
 */
public final class RedisLocationStore implements LocationStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PUT = """
            local p, user, key = ARGV[1], ARGV[2], ARGV[3]
            local hk = p .. 'loc:' .. user
            local existing = redis.call('HGET', hk, key)
            if existing then
              local old = cjson.decode(existing)
              if old.callId == ARGV[5] and tonumber(old.cseq) >= tonumber(ARGV[6]) then return 'OUT_OF_ORDER' end
              redis.call('SREM', p .. 'loc-node:' .. old.node, user .. '\\t' .. key)
            end
            redis.call('HSET', hk, key, ARGV[4])
            redis.call('SADD', p .. 'loc-node:' .. ARGV[7], user .. '\\t' .. key)
            return 'DONE'
            """;
    private static final String REMOVE = """
            local p, user, key = ARGV[1], ARGV[2], ARGV[3]
            local hk = p .. 'loc:' .. user
            local existing = redis.call('HGET', hk, key)
            if not existing then return 'NOT_FOUND' end
            local old = cjson.decode(existing)
            if old.callId == ARGV[4] and tonumber(old.cseq) >= tonumber(ARGV[5]) then return 'OUT_OF_ORDER' end
            redis.call('HDEL', hk, key)
            redis.call('SREM', p .. 'loc-node:' .. old.node, user .. '\\t' .. key)
            return 'DONE'
            """;
    private static final String REMOVE_ALL = """
            local p, user = ARGV[1], ARGV[2]
            local hk = p .. 'loc:' .. user
            local all = redis.call('HGETALL', hk)
            local out = {}
            for i = 1, #all, 2 do
              local old = cjson.decode(all[i + 1])
              redis.call('SREM', p .. 'loc-node:' .. old.node, user .. '\\t' .. all[i])
              table.insert(out, all[i + 1])
            end
            redis.call('DEL', hk)
            return out
            """;
    private static final String LIVE = """
            local p, user, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
            local hk = p .. 'loc:' .. user
            local all = redis.call('HGETALL', hk)
            local out = {}
            for i = 1, #all, 2 do
              local b = cjson.decode(all[i + 1])
              if tonumber(b.expMs) <= now then
                redis.call('HDEL', hk, all[i])
                redis.call('SREM', p .. 'loc-node:' .. b.node, user .. '\\t' .. all[i])
              else
                table.insert(out, all[i + 1])
              end
            end
            return out
            """;
    private static final String ON_NODE = """
            local p, index = ARGV[1], ARGV[1] .. 'loc-node:' .. ARGV[2]
            local out = {}
            for _, member in ipairs(redis.call('SMEMBERS', index)) do
              local tab = string.find(member, '\\t', 1, true)
              local value = redis.call('HGET', p .. 'loc:' .. string.sub(member, 1, tab - 1), string.sub(member, tab + 1))
              if value then table.insert(out, value) else redis.call('SREM', index, member) end
            end
            return out
            """;

    private final Redis redis;
    private final Redis.Script put;
    private final Redis.Script remove;
    private final Redis.Script removeAll;
    private final Redis.Script live;
    private final Redis.Script onNode;

    public RedisLocationStore(Redis redis) {
        this.redis = redis;
        this.put = redis.new Script(PUT, ScriptOutputType.STATUS);
        this.remove = redis.new Script(REMOVE, ScriptOutputType.STATUS);
        this.removeAll = redis.new Script(REMOVE_ALL, ScriptOutputType.MULTI);
        this.live = redis.new Script(LIVE, ScriptOutputType.MULTI);
        this.onNode = redis.new Script(ON_NODE, ScriptOutputType.MULTI);
    }

    @Override
    public CompletionStage<Outcome> put(Binding b) {
        return put.<String>run(new String[0], redis.prefix(), b.user().value(), b.key(), encode(b), b.callId(),
                String.valueOf(b.cseq()), b.node().value()).thenApply(Outcome::valueOf);
    }

    @Override
    public CompletionStage<Outcome> remove(UserId user, String key, String callId, long cseq) {
        return remove.<String>run(new String[0], redis.prefix(), user.value(), key, callId, String.valueOf(cseq))
                .thenApply(Outcome::valueOf);
    }

    @Override
    public CompletionStage<List<Binding>> removeAll(UserId user) {
        return removeAll.<List<Object>>run(new String[0], redis.prefix(), user.value())
                .thenApply(RedisLocationStore::decode);
    }

    @Override
    public CompletionStage<List<Binding>> bindingsOf(UserId user, Instant now) {
        return live.<List<Object>>run(new String[0], redis.prefix(), user.value(), String.valueOf(now.toEpochMilli()))
                .thenApply(values -> {
                    List<Binding> bindings = decode(values);
                    bindings.sort(Binding.PREFERENCE);
                    return bindings;
                });
    }

    @Override
    public CompletionStage<List<Binding>> onNode(NodeId node) {
        return onNode.<List<Object>>run(new String[0], redis.prefix(), node.value())
                .thenApply(RedisLocationStore::decode);
    }

    private static String encode(Binding b) {
        ObjectNode node = JSON.createObjectNode();
        node.put("user", b.user().value());
        node.put("key", b.key());
        node.put("contact", b.contact());
        node.put("q", b.q());
        node.put("expiresAt", b.expiresAt().toString());
        // the scripts compare these; expMs rounds up, so a binding is never kept past its expiry
        node.put("expMs", b.expiresAt().toEpochMilli() + (b.expiresAt().getNano() % 1_000_000 == 0 ? 0 : 1));
        node.put("callId", b.callId());
        node.put("cseq", b.cseq());
        b.instance().ifPresent(instance -> node.put("instance", instance));
        node.put("regId", b.regId());
        node.putArray("path").addAll(b.path().stream().map(JSON.getNodeFactory()::textNode).toList());
        node.put("flow", b.flow().value());
        node.put("node", b.node().value());
        return node.toString();
    }

    private static List<Binding> decode(List<Object> values) {
        List<Binding> bindings = new ArrayList<>(values.size());
        for (Object value : values) {
            try {
                JsonNode n = JSON.readTree((String) value);
                List<String> path = new ArrayList<>();
                n.path("path").forEach(p -> path.add(p.asText()));
                bindings.add(new Binding(new UserId(n.path("user").asText()), n.path("key").asText(),
                        n.path("contact").asText(), n.path("q").asDouble(), Instant.parse(n.path("expiresAt").asText()),
                        n.path("callId").asText(), n.path("cseq").asLong(),
                        n.has("instance") ? Optional.of(n.path("instance").asText()) : Optional.empty(),
                        n.path("regId").asInt(), path, new EndpointId(n.path("flow").asText()),
                        new NodeId(n.path("node").asText())));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a location binding in Redis is not JSON", e);
            }
        }
        return bindings;
    }
}
