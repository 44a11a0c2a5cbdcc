/**
 * The JSON-over-WebSocket front door, protocol {@code telesignal.v1} (contract: docs/protocol.md).
 *
 * <p>{@code protocol} holds the closed set of messages and their strict codec; {@code session} the sequenced,
 * acknowledged, resumable stream of one client; {@code ws} the per-connection state machine that turns messages
 * into core operations and core events into messages. Authorization is the core's: nothing here decides who may
 * do what. May use: core, net, Jackson. Must not touch: other front doors, storage.
 */
package io.telesignal.signaling;
