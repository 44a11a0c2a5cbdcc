package io.telesignal.server.health;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.telesignal.net.http.HttpResponse;
import io.telesignal.net.http.Routes;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code /metrics}: the Prometheus text exposition of the server's registry. */
public final class MetricsRoute {
    private final PrometheusMeterRegistry registry;

    public MetricsRoute(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    /** On the management listener only, behind its guard: the series name the server's load and its clients. */
    public void register(Routes routes, java.util.function.UnaryOperator<io.telesignal.net.http.HttpHandler> guard) {
        routes.get("/metrics", guard.apply(request -> CompletableFuture.completedFuture(new HttpResponse(
                HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape().getBytes(StandardCharsets.UTF_8), Map.of()))));
    }
}
