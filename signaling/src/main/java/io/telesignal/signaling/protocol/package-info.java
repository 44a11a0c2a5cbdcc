/**
 * The messages of {@code telesignal.v1}: {@link io.telesignal.signaling.protocol.ClientMessage} and
 * {@link io.telesignal.signaling.protocol.ServerMessage}, closed sets of records with a {@code type}
 * discriminator, and {@link io.telesignal.signaling.protocol.ProtocolCodec}, which refuses unknown types,
 * unknown or duplicate fields, wrong types and missing fields with a stable error code. The relay's own message
 * takes a shorter way both in and out ({@code SignalReader}, {@code RelayWriter}) with the same meaning and the same
 * characters, tested against the Jackson path; every error still comes from that path. No business logic.
 */
package io.telesignal.signaling.protocol;
