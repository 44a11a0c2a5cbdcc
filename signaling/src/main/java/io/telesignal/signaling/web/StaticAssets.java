package io.telesignal.signaling.web;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.telesignal.net.http.HttpRequest;
import io.telesignal.net.http.HttpResponse;
import io.telesignal.net.http.Routes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The files the server hands to browsers, from its own jar (never a CDN): the SDK at {@code /sdk/telesignal.js}
 * and the web app at {@code /} ({@code /app.js}, {@code /app.css}, {@code /favicon.ico}). Each is read once at start and answered from memory with a strong ETag, so a
 * browser revalidates cheaply ({@code 304}) and always runs the SDK of the server it talks to.
 */
public final class StaticAssets {
    private static final String ROOT = "/io/telesignal/signaling/web";
    private static final Map<String, String> TYPES = Map.of(
            ".js", "text/javascript; charset=utf-8",
            ".html", "text/html; charset=utf-8",
            ".css", "text/css; charset=utf-8",
            ".ico", "image/x-icon");

    private record Asset(byte[] body, String contentType, String etag) {}

    private final Map<String, Asset> assets;

    public StaticAssets() {
        this.assets = Map.of(
                "/sdk/telesignal.js", load("/sdk/telesignal.js"),
                "/", load("/app/index.html"),
                "/app.js", load("/app/app.js"),
                "/app.css", load("/app/app.css"),
                "/favicon.ico", load("/app/favicon.ico"));
    }

    public void register(Routes routes) {
        assets.keySet().forEach(path -> routes.get(path, this::serve));
    }

    private CompletableFuture<HttpResponse> serve(HttpRequest request) {
        Asset asset = assets.get(request.path());
        String condition = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        if (condition != null && condition.contains(asset.etag())) {
            return CompletableFuture.completedFuture(new HttpResponse(HttpResponseStatus.NOT_MODIFIED, asset.contentType(),
                    new byte[0], Map.of("ETag", asset.etag(), "Cache-Control", "no-cache")));
        }
        return CompletableFuture.completedFuture(new HttpResponse(HttpResponseStatus.OK, asset.contentType(), asset.body(),
                Map.of("ETag", asset.etag(), "Cache-Control", "no-cache", "X-Content-Type-Options", "nosniff",
                        // the app runs only its own scripts; media and WebSockets go to this server
                        "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; media-src 'self' blob:;"
                                + " connect-src 'self' ws: wss:; frame-ancestors 'none'",
                        "Referrer-Policy", "no-referrer")));
    }

    private static Asset load(String path) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new IllegalStateException("asset missing from the jar: " + path);
            }
            byte[] body = in.readAllBytes();
            String type = TYPES.get(path.substring(path.lastIndexOf('.')));
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new Asset(body, type, "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
