/**
 * The messages of {@code telesignal.v1}: {@link io.telesignal.signaling.protocol.ClientMessage} and
 * {@link io.telesignal.signaling.protocol.ServerMessage}, closed sets of records with a {@code type}
 * discriminator, and {@link io.telesignal.signaling.protocol.ProtocolCodec}, which refuses unknown types,
 * unknown or duplicate fields, wrong types and missing fields with a stable error code. No business logic.
 */
package io.telesignal.signaling.protocol;
