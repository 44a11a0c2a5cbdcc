/**
 * One client's session: the sequenced stream of server messages, kept in a bounded buffer until acknowledged,
 * replayed in order when the client resumes on a new connection within the resume window; answers to request
 * ids remembered so that a repeated request is answered, not re-executed. Sessions outlive connections; the
 * {@link io.telesignal.signaling.session.SessionRegistry} ends those whose window lapsed. Single node for now:
 * the buffer lives in this process (cluster mode moves it behind an SPI).
 */
package io.telesignal.signaling.session;
