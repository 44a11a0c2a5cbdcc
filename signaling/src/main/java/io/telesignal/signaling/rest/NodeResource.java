package io.telesignal.signaling.rest;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.Outcome;
import io.telesignal.net.http.HttpHandler;
import io.telesignal.net.http.HttpRequest;
import io.telesignal.net.http.HttpResponse;
import io.telesignal.net.http.Routes;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/node/drain}: an administrator asks this node to go away, as SIGTERM does (an API key, which acts for
 * a platform's backend and never as an administrator, may not): it answers 202 at once, then stops taking connections, tells its clients to reconnect elsewhere, and
 * stops once they have gone ({@code telesignal drain} calls it).
 */
final class NodeResource {
    private static final Logger LOG = LoggerFactory.getLogger(NodeResource.class);
    /** Long enough for the answer to leave before the listener starts closing. */
    private static final long ANSWER_FIRST_MS = 200;

    private final RestSupport support;
    private final String node;
    private final Runnable drain;

    NodeResource(RestSupport support, String node, Runnable drain) {
        this.support = support;
        this.node = node;
        this.drain = drain;
    }

    void register(Routes routes, Function<HttpHandler, HttpHandler> guard) {
        routes.post("/api/v1/node/drain", guard.apply(this::drain));
    }

    private CompletionStage<HttpResponse> drain(HttpRequest request) {
        return support.blocking(() -> {
            Caller caller = support.operator(request, "node.drained", "a node is drained by an administrator");
            if (caller.apiKey()) {
                support.audit.recordNow(AuditEvent.of("node.drained", caller.actor().user().value(), Outcome.DENIED)
                        .subject(node).reason("not_authorized"));
                throw new RestException(HttpResponseStatus.FORBIDDEN, "not_authorized",
                        "a node is drained by an administrator, not with an API key");
            }
            // recorded before it is done: when the audit trail cannot record, the node is left alone (503)
            support.audit.recordNow(AuditEvent.of("node.drained", caller.actor().user().value(), Outcome.OK)
                    .subject(node).remoteAddress(RestSupport.address(request)));
            LOG.info("event=rest_node_drain node={} by={}", node, caller.actor().user().value());
            CompletableFuture.delayedExecutor(ANSWER_FIRST_MS, TimeUnit.MILLISECONDS).execute(drain);
            return support.respond(HttpResponseStatus.ACCEPTED, Map.of("node", node, "status", "draining"));
        });
    }
}
