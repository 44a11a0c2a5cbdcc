/**
 * The XMPP front door (RFC 6120, RFC 6121): {@link io.telesignal.xmpp.xml} (non-blocking, restricted XML on Aalto's
 * async parser, with limits), {@link io.telesignal.xmpp.sasl} (SCRAM-SHA-256, SCRAM-SHA-1 and PLAIN against device
 * passwords), {@link io.telesignal.xmpp.stream} (the client session: TLS, SASL, binding, stanza routing through the
 * core's router), {@link io.telesignal.xmpp.im} (roster, archive, presence across doors, external services),
 * {@link io.telesignal.xmpp.muc} (group chat rooms, XEP-0045) and {@link io.telesignal.xmpp.transport} (TCP with
 * STARTTLS, direct TLS, WebSocket).
 *
 * <p>Owns: XMPP syntax and semantics. Must not touch: the JSON protocol, the SIP door, the store (it reaches users,
 * device passwords, presence, endpoints, rooms and occupants through the core's SPIs). Never logs stanzas, bodies or JIDs' resources
 * (names, chat text): user and endpoint ids and conditions only.
 */
package io.telesignal.xmpp;
