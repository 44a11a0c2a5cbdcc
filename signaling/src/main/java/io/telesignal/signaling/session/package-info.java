/**
 * One client's session: the sequenced stream of server messages, kept in a bounded buffer until acknowledged,
 * replayed in order when the client resumes on a new connection within the resume window; answers to request
 * ids remembered so that a repeated request is answered, not re-executed. Sessions outlive connections; the
 * {@link io.telesignal.signaling.session.SessionRegistry} ends those whose window lapsed. The buffer lives in this
 * process; in cluster mode every message is also mirrored to the shared sessions (core's
 * {@link io.telesignal.core.session.SharedSessions}, through a {@link io.telesignal.signaling.session.SessionMirror})
 * before the client sees it, so that another node claims the session and replays it when this one dies. Owns no
 * routing and no consultation state: the front door does that with what a session tells it.
 */
package io.telesignal.signaling.session;
