package io.telesignal.core.session;

import io.telesignal.core.identity.NodeId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * SPI: the streams of resumable sessions, shared by every node (Redis in cluster mode).
 *
 * <p>Algorithm. The node that holds a session's connection (its <em>owner</em>) numbers its messages and
 * {@link #mirror mirrors} each one here before the client may see it, so whatever a client has seen is here too. The
 * owner {@link #acknowledge trims} what the client acknowledged. When the owner cannot be reached (it died), another
 * node {@link #deposit deposits} a message for the session instead: the store numbers it, and the session has no owner
 * until a node {@link #claim claims} it for a resuming client and replays what that client has not seen. A deposit
 * also tells a live owner, through {@link #listen}, that it lost the session: its next mirror is refused, so that two
 * nodes never number the same stream. Every change is atomic in the store.
 */
public interface SharedSessions {
    /** Limits a deposit must keep, the same as the owner's. */
    record Limits(int maxMessages, long maxBytes, int remembered) {}

    /** A session as its owner writes it: at open, and again in full should the store have lost it. */
    record Snapshot(String session, String user, String resumeTokenHash, String endpoint, NodeId owner, long first,
            long next, List<String> messages, Map<String, String> context) {}

    /** What a claiming node needs to take a session up: replay, numbering, answers and the door's context. */
    record Claimed(Optional<NodeId> previousOwner, long first, long next, List<String> replay,
            Map<String, Long> answers, List<String> delivered, Map<String, String> context) {}

    /** Why a claim was refused. */
    enum Refusal { EXPIRED, OVERFLOWED, POSITION }

    /** A claim's outcome: the session, or why not. */
    record Claim(Optional<Claimed> claimed, Optional<Refusal> refusal) {
        public static Claim of(Claimed claimed) {
            return new Claim(Optional.of(claimed), Optional.empty());
        }

        public static Claim refused(Refusal refusal) {
            return new Claim(Optional.empty(), Optional.of(refusal));
        }
    }

    /** What became of a mirrored message. */
    enum Mirrored {
        /** Stored. */
        OK,
        /** The store does not know the session (it lost its data): the owner writes its snapshot again. */
        MISSING,
        /** Another node claimed it, or a deposit took it from its owner: the owner lets it go. */
        MOVED,
        /** A message before this one is missing (a mirror failed): the owner writes its snapshot again. */
        GAP
    }

    /** What became of a deposit: its number, or why it was not stored. */
    record Deposited(long seq, Optional<Outcome> refused) {
        /**
         * MISSING: no such session; OVERFLOWED: it can take no more; DUPLICATE: it has this delivery already; MOVED:
         * a node other than the unreachable one holds it now.
         */
        public enum Outcome { MISSING, OVERFLOWED, DUPLICATE, MOVED }
    }

    /**
     * Hears the ids of sessions this node owned and lost to a deposit or another node's claim; every listener of the
     * node hears every id (each door picks its own sessions).
     */
    void listen(NodeId self, Consumer<String> lost);

    /** Writes a session in full (it opens, or the store lost it); never over another owner's claim. */
    CompletionStage<Void> write(Snapshot snapshot);

    /**
     * Stores message {@code seq} of a session {@code owner} holds; {@code answers} names the request it answers and
     * {@code delivery} identifies it for deposits of the same message (each empty when not).
     */
    CompletionStage<Mirrored> mirror(String session, NodeId owner, long seq, String text, Optional<String> answers,
            Optional<String> delivery);

    /** The client acknowledged everything up to {@code seq}. */
    CompletionStage<Void> acknowledge(String session, NodeId owner, long seq);

    /**
     * Hands a session over to whichever node claims it next (its client resumes there): writes {@code context} into it
     * with {@code moved} set, in one step, only while {@code owner} holds it and has stored every message up to
     * {@code next - 1}. Answers OK, or why not (MISSING, MOVED: another node has it, GAP: a message is missing); made
     * again with the same arguments it answers the same (safe to retry). The claim that follows reads {@code moved}
     * and clears it.
     */
    CompletionStage<Mirrored> handOver(String session, NodeId owner, long next, Map<String, String> context);

    /** Sets a value of the door's context (what a claiming node must restore, e.g. consultations joined). */
    CompletionStage<Void> context(String session, NodeId owner, String key, String value);

    /**
     * Stores a message for a session whose owner, {@code unreachable}, cannot be reached: the store numbers it
     * {@code n} and stores {@code prefix + n + suffix}; a delivery id seen before is refused as a duplicate, and a
     * session another node holds now is left to it.
     */
    CompletionStage<Deposited> deposit(String session, NodeId unreachable, String prefix, String suffix,
            Optional<String> delivery, Limits limits);

    /**
     * Takes a session over for a client that has seen everything up to {@code lastSeq}: checks its user and resume
     * token, trims what the client has, and answers the rest.
     */
    CompletionStage<Claim> claim(String session, String user, String resumeTokenHash, NodeId node, long lastSeq);

    /** The session overflowed: it can no longer be resumed anywhere. */
    CompletionStage<Void> overflowed(String session, NodeId owner);

    /**
     * Takes a session over for node {@code by}, whatever its token, when {@code dead} holds it, nobody does or
     * {@code by} took it already, and answers everything it still keeps: for a door that keeps a dead node's messages
     * another way (XMPP's offline storage) when no client resumed them. {@code by} {@link #end ends} it once they are
     * kept (a failure meanwhile leaves it to try again). Empty when another node holds the session, or it is gone.
     */
    CompletionStage<Optional<List<String>>> abandon(String session, NodeId dead, NodeId by);

    /** What {@link #end} found. */
    enum Ended { REMOVED, ABSENT, HELD_ELSEWHERE }

    /**
     * Removes a session; when {@code owner} is given, only while that node holds it or nobody does (a deposit took it
     * and no client claimed it since).
     */
    CompletionStage<Ended> end(String session, Optional<NodeId> owner);
}
