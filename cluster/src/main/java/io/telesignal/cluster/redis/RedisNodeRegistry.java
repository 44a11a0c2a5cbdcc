package io.telesignal.cluster.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.node.NodeRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Nodes in Redis: one hash ({@code nodes}: node → its last heartbeat in Redis's own milliseconds, from {@code TIME}),
 * so every node ages the others on one clock; cleanup claims are keys that expire ({@code node-cleanup:<node>}, set
 * only if absent).
 */
public final class RedisNodeRegistry implements NodeRegistry {
    private static final String NOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;
    private static final String HEARTBEAT = NOW + """
            local known = redis.call('HEXISTS', ARGV[1] .. 'nodes', ARGV[2])
            redis.call('HSET', ARGV[1] .. 'nodes', ARGV[2], tostring(now))
            return known
            """;
    private static final String NODES = NOW + """
            local out = {tostring(now)}
            local all = redis.call('HGETALL', ARGV[1] .. 'nodes')
            for i = 1, #all do table.insert(out, all[i]) end
            return out
            """;
    private static final String FORGET = NOW + """
            local last = redis.call('HGET', ARGV[1] .. 'nodes', ARGV[2])
            if not last then return 0 end
            if now - tonumber(last) < tonumber(ARGV[3]) then return 0 end
            redis.call('HDEL', ARGV[1] .. 'nodes', ARGV[2])
            return 1
            """;

    private final Redis redis;
    private final Redis.Script heartbeat;
    private final Redis.Script nodes;
    private final Redis.Script forget;

    public RedisNodeRegistry(Redis redis) {
        this.redis = redis;
        this.heartbeat = redis.new Script(HEARTBEAT, ScriptOutputType.INTEGER);
        this.nodes = redis.new Script(NODES, ScriptOutputType.MULTI);
        this.forget = redis.new Script(FORGET, ScriptOutputType.INTEGER);
    }

    @Override
    public CompletionStage<Boolean> heartbeat(NodeId node) {
        return heartbeat.<Long>run(new String[0], redis.prefix(), node.value()).thenApply(known -> known == 1L);
    }

    @Override
    public CompletionStage<Map<NodeId, Duration>> nodes() {
        return nodes.<List<Object>>run(new String[0], redis.prefix()).thenApply(answer -> {
            long now = Long.parseLong((String) answer.get(0));
            Map<NodeId, Duration> ages = new LinkedHashMap<>();
            for (int i = 1; i + 1 < answer.size(); i += 2) {
                long last = Long.parseLong((String) answer.get(i + 1));
                ages.put(new NodeId((String) answer.get(i)), Duration.ofMillis(Math.max(0, now - last)));
            }
            return ages;
        });
    }

    @Override
    public CompletionStage<Boolean> claimCleanup(NodeId dead, NodeId by, Duration lease) {
        return redis.call(c -> c.set(redis.key("node-cleanup:" + dead.value()), by.value(),
                SetArgs.Builder.nx().px(lease.toMillis()))).thenApply("OK"::equals);
    }

    @Override
    public CompletionStage<Boolean> forget(NodeId node, Duration silentFor) {
        return forget.<Long>run(new String[0], redis.prefix(), node.value(), String.valueOf(silentFor.toMillis()))
                .thenApply(forgotten -> forgotten == 1L);
    }

    @Override
    public CompletionStage<Void> leave(NodeId node) {
        return redis.call(c -> c.hdel(redis.key("nodes"), node.value())).thenApply(removed -> null);
    }
}
