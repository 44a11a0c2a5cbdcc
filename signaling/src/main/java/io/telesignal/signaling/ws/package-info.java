/**
 * The {@code /ws} endpoint: one {@link io.telesignal.signaling.ws.SignalingConnection} per WebSocket, a state
 * machine (awaiting hello → authenticating → active → closed) that authenticates the token, opens or resumes a
 * session, and hands requests on: signals to its {@link io.telesignal.signaling.ws.SignalRelay}, the rest to the front
 * door's {@link io.telesignal.signaling.ws.SessionRequests}, which turn them into core operations;
 * {@link io.telesignal.signaling.ws.Views} turns core values
 * and events into messages. Blocking work (token checks with JWKS, directory lookups) runs on the worker pool. A
 * connection that signals a peer connected to this node moves to the peer's event loop ({@code
 * signaling.colocatePeers}), so that the relay between them stays on one thread.
 */
package io.telesignal.signaling.ws;
