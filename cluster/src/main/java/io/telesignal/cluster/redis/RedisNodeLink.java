package io.telesignal.cluster.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.routing.CoreEvent;
import io.telesignal.core.routing.DeliveryOutcome;
import io.telesignal.core.routing.NodeLink;
import io.telesignal.core.routing.Router;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries an event to the node that holds its endpoint and brings back what became of it: a request on the holder's
 * channel ({@code node:<id>}) and the holder's answer on the sender's ({@code node-reply:<id>}). The holder hands the
 * event to its {@link Router}, whose sink buffers it in the endpoint's session, and answers the outcome; the sender's
 * request is answered with it, so a signal's sender learns whether its peer got it. No subscriber on the holder's
 * channel, or no answer within the timeout, is {@code NODE_UNREACHABLE}.
 *
 * <p>The holder answers once its session has mirrored the event to the shared sessions, so a delivered event outlives
 * the holder; a holder that died answers nothing, and the {@link Router} deposits the event for the session instead.
 */
public final class RedisNodeLink implements NodeLink {
    private static final Logger LOG = LoggerFactory.getLogger(RedisNodeLink.class);

    private final RedisBus bus;
    private final NodeId self;
    private final CoreEventCodec codec;
    private final Duration timeout;
    private final Map<Long, CompletableFuture<DeliveryOutcome>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile Router router;

    public RedisNodeLink(RedisBus bus, NodeId self, CoreEventCodec codec, Duration timeout) {
        this.bus = bus;
        this.self = self;
        this.codec = codec;
        this.timeout = timeout;
    }

    /** Starts taking events for this node's endpoints, handing them to {@code router}. */
    public void attach(Router router) {
        this.router = router;
        bus.subscribe("node:" + self.value(), this::request);
        bus.subscribe("node-reply:" + self.value(), this::reply);
    }

    @Override
    public CompletionStage<DeliveryOutcome> send(NodeId node, EndpointId endpoint, CoreEvent event) {
        long id = ids.incrementAndGet();
        CompletableFuture<DeliveryOutcome> outcome = new CompletableFuture<DeliveryOutcome>()
                .completeOnTimeout(DeliveryOutcome.NODE_UNREACHABLE, timeout.toMillis(), TimeUnit.MILLISECONDS);
        waiting.put(id, outcome);
        outcome.whenComplete((done, failure) -> waiting.remove(id));
        ObjectNode request = codec.json().createObjectNode();
        request.put("id", id);
        request.put("from", self.value());
        request.put("endpoint", endpoint.value());
        request.set("event", codec.encode(event));
        bus.publish("node:" + node.value(), request.toString()).whenComplete((listeners, failure) -> {
            if (failure != null || listeners == 0L) {
                outcome.complete(DeliveryOutcome.NODE_UNREACHABLE);
            }
        });
        return outcome;
    }

    private void request(String text) {
        JsonNode request;
        try {
            request = codec.json().readTree(text);
        } catch (JsonProcessingException e) {
            LOG.warn("event=node_link_request outcome=unreadable node={}", self);
            return;
        }
        java.util.concurrent.CompletionStage<DeliveryOutcome> outcome;
        try {
            outcome = router.acceptFromNode(new EndpointId(request.path("endpoint").asText()),
                    codec.decode(request.path("event")));
        } catch (IllegalArgumentException e) {
            LOG.warn("event=node_link_request outcome=invalid node={} from={}", self, request.path("from").asText());
            outcome = CompletableFuture.completedFuture(DeliveryOutcome.REFUSED);
        }
        // answered once the endpoint has it (its session mirrored it, in cluster mode)
        outcome.whenComplete((result, failure) -> {
            ObjectNode reply = codec.json().createObjectNode();
            reply.put("id", request.path("id").asLong());
            reply.put("outcome", (failure == null ? result : DeliveryOutcome.REFUSED).name());
            bus.publish("node-reply:" + request.path("from").asText(), reply.toString());
        });
    }

    private void reply(String text) {
        try {
            JsonNode reply = codec.json().readTree(text);
            CompletableFuture<DeliveryOutcome> outcome = waiting.get(reply.path("id").asLong());
            if (outcome != null) {
                outcome.complete(DeliveryOutcome.valueOf(reply.path("outcome").asText()));
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warn("event=node_link_reply outcome=unreadable node={}", self);
        }
    }
}
