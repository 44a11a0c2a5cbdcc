package io.telesignal.signaling.session;

import io.telesignal.core.identity.NodeId;
import io.telesignal.core.session.SharedSessions;
import java.util.function.Consumer;

/**
 * Cluster mode's link from this node's sessions to the {@link SharedSessions}: the store, this node's id, the limits a
 * deposit keeps, and what to do with a session this node lost to another. Single-node mode has none.
 *
 * @param lost called (from any thread) with a session another node claimed, or that a deposit took from this node
 */
public record SessionMirror(SharedSessions store, NodeId self, SharedSessions.Limits limits,
        Consumer<SignalingSession> lost) {

    /** What the store keeps of a resume token: its SHA-256, so that a dump of the store resumes nothing. */
    public static String tokenHash(String resumeToken) {
        return io.telesignal.core.secrets.Sha256.hex(resumeToken); // an ASCII token: the same bytes as before
    }
}
