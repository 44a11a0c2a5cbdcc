/**
 * WebSocket on the HTTP listener: upgrade of a registered path with a required subprotocol (RFC 6455 §4.2.2),
 * message size limit (close 1009), fragmented messages reassembled, ping/pong heartbeats and an idle timeout.
 * A front door registers a {@link io.telesignal.net.websocket.WebSocketEndpoint} and gets one
 * {@link io.telesignal.net.websocket.WebSocketHandler} per connection, called on that connection's event loop. A
 * connection can move to another loop of the server's group ({@code WebSocketConnection.moveTo}): what was queued or
 * scheduled for it on the old loop hops to the new one ({@code OnChannelLoop}, also behind
 * {@code WebSocketConnection.execute} for what a front door queues), and its heartbeat starts again there.
 * Must not touch: what the messages mean.
 */
package io.telesignal.net.websocket;
