package io.telesignal.net.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;

/**
 * Decides from a request's path and headers alone, before its body is read, whether a route with a large body limit
 * takes it: a refusal (its status) is answered at once and the body is never buffered. Called on the event loop: it
 * must not block.
 */
@FunctionalInterface
public interface BodyGate {
    /** Empty to read the body; else the status to answer with. */
    Optional<HttpResponseStatus> admit(String path, HttpHeaders headers);

    /** Takes every request (within the route's limit). */
    BodyGate OPEN = (path, headers) -> Optional.empty();
}
