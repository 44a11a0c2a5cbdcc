package io.telesignal.server.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.net.http.HttpRequest;
import io.telesignal.net.http.HttpResponse;
import io.telesignal.net.http.Routes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /healthz} answers 200 while the process runs. {@code /readyz} answers 200 only when every listener is
 * bound, the store answers within {@value #STORE_DEADLINE_MS} ms, in cluster mode Redis answered the last heartbeat,
 * and the server is not stopping; otherwise 503 with the failing check named, so a load balancer takes the node out
 * before it goes, and sends its clients to nodes that can serve them.
 */
public final class HealthRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);
    private static final long STORE_DEADLINE_MS = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BooleanSupplier listenersBound;
    private final Runnable storePing;
    private final WorkerPool workers;
    private final BooleanSupplier stopping;
    private static final long REUSE_MS = 1000;
    private final java.util.concurrent.atomic.AtomicReference<CompletableFuture<Boolean>> probe =
            new java.util.concurrent.atomic.AtomicReference<>();
    private volatile long probedAt;

    /** The cluster's shared state: empty in single-node mode, else whether it is reachable. */
    private final java.util.function.Supplier<java.util.Optional<Boolean>> sharedState;

    public HealthRoutes(BooleanSupplier listenersBound, Runnable storePing, WorkerPool workers, BooleanSupplier stopping,
            java.util.function.Supplier<java.util.Optional<Boolean>> sharedState) {
        this.sharedState = sharedState;
        this.listenersBound = listenersBound;
        this.storePing = storePing;
        this.workers = workers;
        this.stopping = stopping;
    }

    public void register(Routes routes) {
        register(routes, java.util.function.UnaryOperator.identity());
    }

    /** With a guard around each route (the management listener's bearer secret). */
    public void register(Routes routes, java.util.function.UnaryOperator<io.telesignal.net.http.HttpHandler> guard) {
        routes.get("/healthz", guard.apply(this::alive));
        routes.get("/readyz", guard.apply(this::ready));
    }

    private CompletionStage<HttpResponse> alive(HttpRequest request) {
        ObjectNode body = JSON.createObjectNode().put("status", "alive");
        return CompletableFuture.completedFuture(HttpResponse.json(HttpResponseStatus.OK, bytes(body)));
    }

    private CompletionStage<HttpResponse> ready(HttpRequest request) {
        boolean listeners = listenersBound.getAsBoolean();
        boolean notStopping = !stopping.getAsBoolean();
        java.util.Optional<Boolean> cluster = sharedState.get();
        return storeAnswers().copy()
                .completeOnTimeout(false, STORE_DEADLINE_MS, TimeUnit.MILLISECONDS)
                .thenApply(store -> {
                    boolean ready = listeners && store && notStopping && cluster.orElse(true);
                    ObjectNode body = JSON.createObjectNode().put("status", ready ? "ready" : "not_ready");
                    ObjectNode checks = body.putObject("checks");
                    checks.put("listeners", listeners ? "ok" : "not_bound");
                    checks.put("store", store ? "ok" : "unavailable");
                    checks.put("cluster", cluster.map(ok -> ok ? "ok" : "unavailable").orElse("off"));
                    checks.put("lifecycle", notStopping ? "running" : "stopping");
                    return HttpResponse.json(ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                            bytes(body));
                });
    }

    /**
     * One store ping at a time, its answer reused for {@value #REUSE_MS} ms: probes from load balancers then
     * cost one worker at most, even while the store hangs.
     */
    private CompletableFuture<Boolean> storeAnswers() {
        CompletableFuture<Boolean> current = probe.get();
        if (current != null && (!current.isDone() || System.nanoTime() - probedAt < REUSE_MS * 1_000_000)) {
            return current;
        }
        CompletableFuture<Boolean> next = new CompletableFuture<>();
        if (!probe.compareAndSet(current, next)) {
            return probe.get();
        }
        probedAt = System.nanoTime();
        workers.submit(() -> {
            storePing.run();
            return true;
        }).whenComplete((ok, failure) -> {
            if (failure != null) {
                Throwable cause = io.telesignal.core.work.Failures.cause(failure);
                LOG.warn("event=readiness_check check=store outcome=failed kind={}", cause.getClass().getSimpleName());
            }
            probedAt = System.nanoTime();
            next.complete(failure == null);
        });
        return next;
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
