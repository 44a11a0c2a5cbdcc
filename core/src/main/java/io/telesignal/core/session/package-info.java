/**
 * Resumable sessions shared by the nodes of a cluster ({@link io.telesignal.core.session.SharedSessions}): each front
 * door that keeps a sequenced, acknowledged stream per session (the WebSocket door now, XMPP stream management next)
 * mirrors it here, so that a client whose node died resumes on any other with nothing lost or duplicated. Owns the
 * SPI and its value types; it knows nothing of a door's wire format (a message is opaque text) and holds no state
 * of its own: single-node deployments keep their streams in the door and use none of this.
 */
package io.telesignal.core.session;
