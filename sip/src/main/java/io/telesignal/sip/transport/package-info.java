/**
 * SIP transports (RFC 3261 §18): UDP and TCP on the server's Netty loops, stream framing, keepalives (RFC 5626), Via
 * stamping (RFC 3581) and the {@link io.telesignal.sip.transport.Flow} a message came on, which is the way back. Must
 * not touch: message semantics (the door's) or transactions.
 */
package io.telesignal.sip.transport;
