package io.telesignal.server.health;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.telesignal.net.http.HttpHandler;
import io.telesignal.net.http.HttpResponse;
import io.telesignal.server.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * The management listener's credential: a secret read from a file at start, required as {@code Authorization: Bearer
 * <secret>} on every request (Prometheus: {@code authorization: {credentials_file: ...}}); compared in constant time.
 */
public final class BearerGuard implements UnaryOperator<HttpHandler> {
    static final int MIN_LENGTH = 32;
    private final byte[] secret;

    private BearerGuard(byte[] secret) {
        this.secret = secret;
    }

    public static BearerGuard fromFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigException("management.bearerTokenFile", "cannot read " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        if (text.length() < MIN_LENGTH || text.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new ConfigException("management.bearerTokenFile", "the secret in " + file + " must be at least "
                    + MIN_LENGTH + " printable ASCII characters without spaces");
        }
        return new BearerGuard(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public HttpHandler apply(HttpHandler handler) {
        return request -> {
            String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
            boolean ok = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                    && MessageDigest.isEqual(secret, header.substring(7).strip().getBytes(StandardCharsets.US_ASCII));
            if (!ok) {
                return CompletableFuture.completedFuture(HttpResponse.error(HttpResponseStatus.UNAUTHORIZED,
                        "unauthorized", "send Authorization: Bearer <management secret>")
                        .withHeader("WWW-Authenticate", "Bearer realm=\"telesignal-management\""));
            }
            return handler.handle(request);
        };
    }
}
