package io.telesignal.core.location;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One registered contact of a user.
 *
 * @param key      what identifies the binding among the user's (RFC 5626 §6): {@code instance + reg-id} when the
 *                 contact has a {@code +sip.instance}, else the contact URI as the registrar normalized it
 * @param contact  the Contact URI, as registered
 * @param q        preference, 0 to 1 (RFC 3261 §10.2.1.2)
 * @param callId   the REGISTER's Call-ID, and {@code cseq} its CSeq: a later REGISTER with the same Call-ID must have
 *                 a higher CSeq (RFC 3261 §10.3 step 7)
 * @param instance the {@code +sip.instance} (RFC 5626), when given; {@code regId} its reg-id, 0 when none
 * @param path     the Path header values (RFC 3327), in order
 * @param flow     the endpoint (connection) the REGISTER arrived on, and {@code node} the node holding it
 */
public record Binding(UserId user, String key, String contact, double q, Instant expiresAt, String callId, long cseq,
        Optional<String> instance, int regId, List<String> path, EndpointId flow, NodeId node) {
    /** The order the proxy tries bindings in: highest q first, then the one that lasts longest. */
    public static final java.util.Comparator<Binding> PREFERENCE = java.util.Comparator.comparingDouble(Binding::q)
            .reversed().thenComparing(Binding::expiresAt, java.util.Comparator.reverseOrder());

    public Binding {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(node, "node");
        path = List.copyOf(path);
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("q must be between 0 and 1");
        }
        if (key.isEmpty() || contact.isEmpty()) {
            throw new IllegalArgumentException("key and contact must not be empty");
        }
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Whether a REGISTER with this Call-ID and CSeq may replace or remove this binding (RFC 3261 §10.3 step 7). */
    public boolean supersededBy(String otherCallId, long otherCseq) {
        return !callId.equals(otherCallId) || otherCseq > cseq;
    }
}
