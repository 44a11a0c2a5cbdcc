package io.telesignal.net.websocket;

import io.telesignal.net.http.HttpRequest;

/** A front door's WebSocket path: makes a handler for each new connection. */
@FunctionalInterface
public interface WebSocketEndpoint {
    WebSocketHandler open(WebSocketConnection connection, HttpRequest upgrade);
}
