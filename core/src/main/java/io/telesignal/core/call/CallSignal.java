package io.telesignal.core.call;

import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.CoreEvent;
import java.util.Objects;

/**
 * One piece of call signaling from an endpoint to a peer endpoint in the same consultation. Exactly one payload
 * is set: a {@link Description}, a {@link Candidate}, an ICE restart request, or a {@link Hangup}. The SDP may
 * identify a patient (addresses, names in {@code s=} or {@code o=}): relayed, never logged. {@code signalId}, when
 * set, is the sender's own id for it (its request id): with {@code fromEndpoint}, what a recipient takes once however
 * often it is relayed (a request sent again after its sender's node died).
 */
public record CallSignal(ConsultationId consultation, UserId from, EndpointId fromEndpoint, Description description,
        Candidate candidate, boolean restart, Hangup hangup, String signalId) implements CoreEvent {

    /** A signal with no id of its own. */
    public CallSignal(ConsultationId consultation, UserId from, EndpointId fromEndpoint, Description description,
            Candidate candidate, boolean restart, Hangup hangup) {
        this(consultation, from, fromEndpoint, description, candidate, restart, hangup, null);
    }

    /**
     * RFC 8829 §4.1.8: offer, answer, pranswer or rollback, and the SDP (absent for rollback). {@code sdpJson},
     * when set, is the same SDP as the JSON string literal it arrived in (quotes and escapes included): a front
     * door that writes JSON relays it as it came instead of escaping the SDP again. It never differs from
     * {@code sdp} in meaning: whoever makes a description with another SDP drops it. Front doors that do not speak
     * JSON ignore it.
     */
    public record Description(String type, String sdp, String sdpJson) {
        public Description {
            Objects.requireNonNull(type, "type");
            if (sdpJson != null && sdp == null) {
                throw new IllegalArgumentException("an SDP literal without its SDP");
            }
        }

        public Description(String type, String sdp) {
            this(type, sdp, null);
        }
    }

    /** RFC 8838 trickled candidate; an empty candidate line means end of candidates. */
    public record Candidate(String candidate, String sdpMid, Integer sdpMLineIndex, String usernameFragment) {
        public Candidate {
            Objects.requireNonNull(candidate, "candidate");
        }

        public boolean endOfCandidates() {
            return candidate.isEmpty();
        }
    }

    public record Hangup(String reason) {}

    public CallSignal {
        Objects.requireNonNull(consultation, "consultation");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(fromEndpoint, "fromEndpoint");
        int payloads = (description == null ? 0 : 1) + (candidate == null ? 0 : 1) + (restart ? 1 : 0)
                + (hangup == null ? 0 : 1);
        if (payloads != 1) {
            throw new IllegalArgumentException("a call signal carries exactly one payload");
        }
    }

    @Override
    public String type() {
        return "signal";
    }
}
