package io.telesignal.net.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exact-path routes, registered by the modules that own them before the listener starts. A path with no
 * route is 404; a path whose route does not take the method is 405 with {@code Allow}.
 */
public final class Routes {
    private final Map<String, Map<HttpMethod, HttpHandler>> byPath = new ConcurrentHashMap<>();
    private final Map<String, io.telesignal.net.websocket.WebSocketRoute> webSockets = new ConcurrentHashMap<>();

    /** Registers a WebSocket path; a plain GET on it (no upgrade) is answered 426. */
    public Routes webSocket(io.telesignal.net.websocket.WebSocketRoute route) {
        if (webSockets.putIfAbsent(route.path(), route) != null || byPath.containsKey(route.path())) {
            throw new IllegalStateException("route " + route.path() + " registered twice");
        }
        return this;
    }

    private String routeKey(String path) {
        if (byPath.containsKey(path)) {
            return path;
        }
        String best = null;
        for (String key : byPath.keySet()) {
            if (key.endsWith("/*") && path.startsWith(key.substring(0, key.length() - 1))
                    && path.length() > key.length() - 1 && (best == null || key.length() > best.length())) {
                best = key;
            }
        }
        return best == null ? path : best;
    }

    public Optional<io.telesignal.net.websocket.WebSocketRoute> webSocket(String path) {
        return Optional.ofNullable(webSockets.get(path));
    }

    public Routes get(String path, HttpHandler handler) {
        Routes routes = add(HttpMethod.GET, path, handler);
        return routes.add(HttpMethod.HEAD, path, handler);
    }

    public Routes post(String path, HttpHandler handler) {
        return add(HttpMethod.POST, path, handler);
    }

    /** A route's own body limit, and what it checks before the body is read. */
    public record LargeBody(int maxBytes, BodyGate gate) {}

    /** Request bodies larger than the listener's limit that a route takes: method and route path to its limit. */
    private final Map<String, LargeBody> largeBodies = new ConcurrentHashMap<>();

    /**
     * Registers a route whose requests may carry bodies up to {@code maxBodyBytes}, more than the listener's
     * {@code maxRequestBytes} (file uploads): {@code gate} sees each request's headers before its body is read; a body
     * past the limit is 413.
     */
    public Routes add(HttpMethod method, String path, int maxBodyBytes, BodyGate gate, HttpHandler handler) {
        add(method, path, handler);
        largeBodies.put(method.name() + " " + path, new LargeBody(maxBodyBytes, gate));
        return this;
    }

    /** The body limit and gate of the route a request goes to, when it has a limit of its own. */
    public Optional<LargeBody> largeBody(HttpMethod method, String path) {
        return Optional.ofNullable(largeBodies.get(method.name() + " " + routeKey(path)));
    }

    public Routes add(HttpMethod method, String path, HttpHandler handler) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("route path must start with /");
        }
        Map<HttpMethod, HttpHandler> methods = byPath.computeIfAbsent(path, p -> new LinkedHashMap<>());
        synchronized (methods) {
            if (methods.putIfAbsent(method, handler) != null) {
                throw new IllegalStateException("route " + method + " " + path + " registered twice");
            }
        }
        return this;
    }

    /**
     * The handler for a path: an exact route first, else the longest registered prefix route
     * ({@code /api/v1/consultations/*} matches {@code /api/v1/consultations/c1/end}).
     */
    public Optional<HttpHandler> find(HttpMethod method, String path) {
        Map<HttpMethod, HttpHandler> methods = byPath.get(routeKey(path));
        if (methods == null) {
            return Optional.empty();
        }
        synchronized (methods) {
            return Optional.ofNullable(methods.get(method));
        }
    }

    public boolean knows(String path) {
        return byPath.containsKey(routeKey(path));
    }

    public Set<HttpMethod> methods(String path) {
        Map<HttpMethod, HttpHandler> methods = byPath.getOrDefault(routeKey(path), Map.of());
        synchronized (methods) {
            return Set.copyOf(methods.keySet());
        }
    }
}
