package io.telesignal.cluster.redis;

import io.lettuce.core.ScriptOutputType;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.FrontDoor;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.Endpoint;
import io.telesignal.core.routing.EndpointRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Endpoints in Redis: a hash per endpoint ({@code ep:<id>}: user, door, node, address, connected at) and two indexes,
 * the endpoints of a user ({@code user-eps:<user>}) and of a node ({@code node-eps:<node>}). Each change is one script,
 * so an endpoint that moves to another node (a resume there) leaves the old node's index in the same step.
 *
 * <p>Each node keeps copies of where the endpoints it delivered to are ({@link NodeCopies}): every change is announced
 * on {@code ep-changed} by the script that makes it, and the copies it makes out of date are dropped. A delivery that
 * finds the endpoint gone from the node a copy named looks it up again ({@link #forget}), so a copy costs at most a
 * second try, never a lost event.
 */
public final class RedisEndpointRegistry implements EndpointRegistry {
    private static final String REGISTER = """
            local p, id = ARGV[1], ARGV[2]
            local ek = p .. 'ep:' .. id
            local old = redis.call('HMGET', ek, 'user', 'node')
            if old[1] then redis.call('SREM', p .. 'user-eps:' .. old[1], id) end
            if old[2] then redis.call('SREM', p .. 'node-eps:' .. old[2], id) end
            redis.call('HSET', ek, 'user', ARGV[3], 'door', ARGV[4], 'node', ARGV[5], 'addr', ARGV[6], 'at', ARGV[7])
            redis.call('SADD', p .. 'user-eps:' .. ARGV[3], id)
            redis.call('SADD', p .. 'node-eps:' .. ARGV[5], id)
            redis.call('PUBLISH', p .. 'ep-changed', id)
            return 1
            """;
    private static final String UNREGISTER = """
            local p, id = ARGV[1], ARGV[2]
            local ek = p .. 'ep:' .. id
            local f = redis.call('HMGET', ek, 'user', 'door', 'node', 'addr', 'at')
            if not f[1] then return {} end
            if ARGV[3] ~= '' and f[3] ~= ARGV[3] then return {} end
            redis.call('DEL', ek)
            redis.call('SREM', p .. 'user-eps:' .. f[1], id)
            redis.call('SREM', p .. 'node-eps:' .. f[3], id)
            redis.call('PUBLISH', p .. 'ep-changed', id)
            return {id, f[1], f[2], f[3], f[4], f[5]}
            """;
    private static final String LIST = """
            local p, index = ARGV[1], ARGV[1] .. ARGV[2]
            local out = {}
            for _, id in ipairs(redis.call('SMEMBERS', index)) do
              local f = redis.call('HMGET', p .. 'ep:' .. id, 'user', 'door', 'node', 'addr', 'at')
              if f[1] then
                table.insert(out, id); table.insert(out, f[1]); table.insert(out, f[2])
                table.insert(out, f[3]); table.insert(out, f[4]); table.insert(out, f[5])
              else
                redis.call('SREM', index, id)
              end
            end
            return out
            """;

    private final Redis redis;
    private final Redis.Script register;
    private final Redis.Script unregister;
    private final Redis.Script list;
    private final NodeCopies<String, Endpoint> located;

    /** At most this many copies of endpoint locations per node. */
    static final int COPIES = 200_000;

    public RedisEndpointRegistry(Redis redis, RedisBus bus) {
        this.redis = redis;
        this.located = new NodeCopies<>(COPIES);
        bus.subscribe("ep-changed", id -> located.changed(id, copy -> true), located);
        this.register = redis.new Script(REGISTER, ScriptOutputType.INTEGER);
        this.unregister = redis.new Script(UNREGISTER, ScriptOutputType.MULTI);
        this.list = redis.new Script(LIST, ScriptOutputType.MULTI);
    }

    @Override
    public CompletionStage<Void> register(Endpoint e) {
        return register.<Long>run(new String[0], redis.prefix(), e.id().value(), e.user().value(), e.door().wireName(),
                e.node().value(), e.remoteAddress() == null ? "" : e.remoteAddress(), e.connectedAt().toString())
                .thenApply(done -> {
                    located.drop(e.id().value()); // this node sees its own change at once, not when it is announced
                    return null;
                });
    }

    @Override
    public CompletionStage<Optional<Endpoint>> unregister(EndpointId id) {
        return unregisterFrom(id, "");
    }

    @Override
    public CompletionStage<Optional<Endpoint>> unregisterFrom(EndpointId id, NodeId node) {
        return unregisterFrom(id, node.value());
    }

    private CompletionStage<Optional<Endpoint>> unregisterFrom(EndpointId id, String node) {
        return unregister.<List<Object>>run(new String[0], redis.prefix(), id.value(), node)
                .thenApply(fields -> {
                    located.drop(id.value());
                    return decode(fields).stream().findFirst();
                });
    }

    @Override
    public CompletionStage<Optional<Endpoint>> find(EndpointId id) {
        Endpoint copy = located.get(id.value());
        if (copy != null) {
            return CompletableFuture.completedFuture(Optional.of(copy));
        }
        long stamp = located.stamp();
        return redis.call(c -> c.hmget(redis.key("ep:" + id.value()), "user", "door", "node", "addr", "at"))
                .thenApply(values -> {
                    if (!values.get(0).hasValue()) {
                        return Optional.<Endpoint>empty();
                    }
                    Endpoint found = endpoint(id.value(), values.get(0).getValue(), values.get(1).getValue(),
                            values.get(2).getValue(), values.get(3).getValue(), values.get(4).getValue());
                    located.keep(stamp, id.value(), found);
                    return Optional.of(found);
                });
    }

    @Override
    public void forget(EndpointId id) {
        located.drop(id.value());
    }

    /** How many locations this node keeps copies of (for tests). */
    int copies() {
        return located.size();
    }

    @Override
    public CompletionStage<List<Endpoint>> endpointsOf(UserId user) {
        return list.<List<Object>>run(new String[0], redis.prefix(), "user-eps:" + user.value())
                .thenApply(fields -> {
                    List<Endpoint> found = decode(fields);
                    found.sort(Comparator.comparing(Endpoint::connectedAt));
                    return found;
                });
    }

    @Override
    public CompletionStage<List<Endpoint>> endpointsOn(NodeId node) {
        return list.<List<Object>>run(new String[0], redis.prefix(), "node-eps:" + node.value())
                .thenApply(RedisEndpointRegistry::decode);
    }

    /** Groups of six: id, user, door, node, address, connected at. */
    private static List<Endpoint> decode(List<Object> fields) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i + 5 < fields.size(); i += 6) {
            endpoints.add(endpoint((String) fields.get(i), (String) fields.get(i + 1), (String) fields.get(i + 2),
                    (String) fields.get(i + 3), (String) fields.get(i + 4), (String) fields.get(i + 5)));
        }
        return endpoints;
    }

    private static Endpoint endpoint(String id, String user, String door, String node, String address, String at) {
        return new Endpoint(new EndpointId(id), new UserId(user), FrontDoor.valueOf(door.toUpperCase(Locale.ROOT)),
                new NodeId(node), address == null || address.isEmpty() ? null : address, Instant.parse(at));
    }
}
