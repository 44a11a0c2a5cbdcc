package io.telesignal.server.wiring;

import io.telesignal.cluster.redis.CoreEventCodec;
import io.telesignal.cluster.redis.Redis;
import io.telesignal.cluster.redis.RedisBus;
import io.telesignal.cluster.redis.RedisConsultationVersions;
import io.telesignal.cluster.redis.RedisEndpointRegistry;
import io.telesignal.cluster.redis.RedisNodeLink;
import io.telesignal.cluster.redis.RedisNodeRegistry;
import io.telesignal.cluster.redis.RedisPresenceFeed;
import io.telesignal.cluster.redis.RedisPresenceStore;
import io.telesignal.cluster.redis.RedisSettings;
import io.telesignal.cluster.redis.RedisSharedSessions;
import io.telesignal.core.session.SharedSessions;
import io.telesignal.core.consultation.ConsultationStore;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.node.NodeRegistry;
import io.telesignal.core.presence.PresenceFeed;
import io.telesignal.core.presence.PresenceStore;
import io.telesignal.core.routing.EndpointRegistry;
import io.telesignal.core.routing.Router;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared state of cluster mode, built in one place: one Redis connection and one subscription for the node, and
 * the Redis implementations of the core SPIs over them. Closed in reverse, after this node has left the registry, so
 * that the others need not wait for its heartbeat to lapse.
 */
final class ClusterMode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMode.class);
    /** How long a cross-node delivery waits for the holder's answer before it counts as unreachable. */
    static final Duration LINK_TIMEOUT = Duration.ofSeconds(2);

    private final NodeId self;
    private final Redis redis;
    private final RedisBus bus;
    private final CoreEventCodec codec = new CoreEventCodec();
    private final RedisEndpointRegistry endpoints;
    private final RedisNodeLink link;
    private final RedisPresenceStore presence;
    private final RedisPresenceFeed presenceFeed;
    private final RedisNodeRegistry nodes;

    private ClusterMode(NodeId self, Redis redis) {
        this.self = self;
        this.redis = redis;
        this.bus = new RedisBus(redis);
        this.endpoints = new RedisEndpointRegistry(redis, bus);
        this.link = new RedisNodeLink(bus, self, codec, LINK_TIMEOUT);
        this.presence = new RedisPresenceStore(redis);
        this.presenceFeed = new RedisPresenceFeed(bus, codec);
        this.nodes = new RedisNodeRegistry(redis);
    }

    /** SIP location bindings in Redis: a phone registered through one node is found from every node. */
    io.telesignal.core.location.LocationStore locations() {
        return new io.telesignal.cluster.redis.RedisLocationStore(redis);
    }

    /** Group chat occupants in Redis: a room's occupants may be connected to any node. */
    io.telesignal.core.groupchat.Occupants occupants() {
        return new io.telesignal.cluster.redis.RedisOccupants(redis);
    }

    /** Digest nonce counts in Redis: a replayed Authorization is refused on every node. */
    io.telesignal.core.device.NonceCounts nonceCounts() {
        return new io.telesignal.cluster.redis.RedisNonceCounts(redis);
    }

    /** Failed sign-ins counted in Redis, so that spreading guesses over the nodes gains nothing. */
    io.telesignal.core.auth.FailureCounters failureCounters() {
        return new io.telesignal.cluster.redis.RedisFailureCounters(redis);
    }

    static ClusterMode connect(NodeId self, RedisSettings settings) {
        Redis redis = Redis.connect(settings);
        try {
            return new ClusterMode(self, redis);
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    EndpointRegistry endpoints() {
        return endpoints;
    }

    RedisNodeLink link() {
        return link;
    }

    /** Starts taking other nodes' deliveries for this node's endpoints. */
    void attach(Router router) {
        link.attach(router);
    }

    PresenceStore presence() {
        return presence;
    }

    PresenceFeed presenceFeed() {
        return presenceFeed;
    }

    NodeRegistry nodes() {
        return nodes;
    }

    private RedisConsultationVersions consultations;
    private RedisSharedSessions sessions;

    /** The sessions of the WebSocket door (and of the doors to come), shared so that a client resumes on any node. */
    synchronized SharedSessions sessions(int remembered) {
        if (sessions == null) {
            sessions = new RedisSharedSessions(redis, bus, remembered);
        }
        return sessions;
    }

    /** The database store, with each node's copy of the consultations in use checked against the latest version. */
    synchronized ConsultationStore consultations(ConsultationStore database) {
        consultations = new RedisConsultationVersions(database, redis, bus);
        return consultations;
    }

    /** Redis forgot this node (restarted empty, or the others took it for dead): its copies may be out of date. */
    synchronized void forgotten() {
        if (consultations != null) {
            consultations.forgetCopies();
        }
    }

    @Override
    public void close() {
        try {
            nodes.leave(self).toCompletableFuture().get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("event=node_leave outcome=failed node={} kind={}", self, e.getClass().getSimpleName());
        }
        bus.close();
        redis.close();
    }
}
