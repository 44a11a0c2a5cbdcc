/**
 * Where a user can be reached on the SIP front door: the registrar's location service (RFC 3261 §10), as bindings of
 * a user to contacts, each with its expiry, q-value, Call-ID and CSeq, RFC 5626 instance and reg-id, Path (RFC 3327),
 * and the flow (endpoint) and node it came in on, so that a phone behind NAT or on a WebSocket is reached over the
 * connection it registered on. {@link io.telesignal.core.location.LocationStore} is the SPI: in memory on a single
 * node, Redis in cluster mode, so a phone registered through one node is reachable from every node.
 * May use: identity. Must not touch: SIP parsing or transports (the sip module owns those), JDBC.
 */
package io.telesignal.core.location;
