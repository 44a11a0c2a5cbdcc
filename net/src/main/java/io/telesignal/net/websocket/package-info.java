/**
 * WebSocket on the HTTP listener: upgrade of a registered path with a required subprotocol (RFC 6455 §4.2.2),
 * message size limit (close 1009), fragmented messages reassembled, ping/pong heartbeats and an idle timeout.
 * A front door registers a {@link io.telesignal.net.websocket.WebSocketEndpoint} and gets one
 * {@link io.telesignal.net.websocket.WebSocketHandler} per connection, called on that connection's event loop.
 * Must not touch: what the messages mean.
 */
package io.telesignal.net.websocket;
