package io.telesignal.core.location;

import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * SPI: the SIP location service, shared by every node. Every change of one user's bindings is atomic, and checks RFC
 * 3261 §10.3 step 7 in the same step: a binding is replaced or removed only by a REGISTER with another Call-ID, or the
 * same Call-ID and a higher CSeq.
 */
public interface LocationStore {
    enum Outcome {
        /** Stored, replaced or removed. */
        DONE,
        /** The existing binding has the same Call-ID and a CSeq at least as high: nothing changed. */
        OUT_OF_ORDER,
        /** Nothing to remove. */
        NOT_FOUND
    }

    /** Adds the binding, or replaces the one with its key. */
    CompletionStage<Outcome> put(Binding binding);

    /** Removes the user's binding with this key (Expires 0). */
    CompletionStage<Outcome> remove(UserId user, String key, String callId, long cseq);

    /** Removes every binding of the user ({@code Contact: *}); answers those removed. */
    CompletionStage<List<Binding>> removeAll(UserId user);

    /** The user's bindings not expired at {@code now}, highest q first (then newest expiry); expired ones are purged. */
    CompletionStage<List<Binding>> bindingsOf(UserId user, Instant now);

    /** The bindings whose flows {@code node} holds (to clean up after it died). */
    CompletionStage<List<Binding>> onNode(NodeId node);
}
