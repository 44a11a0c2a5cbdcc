package io.telesignal.core.sdp;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RFC 3264 offer/answer between endpoints. It remembers the outstanding offer of each direction and holds answers to
 * it. An answer (or provisional answer) needs an offer from the peer it answers, and must match it m-line for m-line
 * (RFC 3264 §6):
 * <ul>
 *   <li>the same number of m-lines, in order, of the same media types ({@code sdp_answer_mismatch});</li>
 *   <li>a stream the offer rejected (port 0) stays rejected ({@code sdp_rejected_stream}); the answer may reject any
 *       stream by port 0, and a rejected stream is checked no further;</li>
 *   <li>a direction the offer's allows (§6.1): sendonly answered by recvonly or inactive, recvonly by sendonly or
 *       inactive, inactive by inactive, sendrecv by any ({@code sdp_direction_mismatch});</li>
 *   <li>codecs the offer named: every codec the answer names for an RTP stream is one of the offer's, compared by
 *       encoding name ({@code sdp_codec_mismatch}).</li>
 * </ul>
 * A final answer settles the offer; a rollback (RFC 8829 §4.1.8.2) drops the outstanding offers of both directions.
 * An endpoint may not offer again while its own previous offer to that peer is unanswered (§4,
 * {@code sdp_offer_outstanding}). Glare proper, both ends offering at the same moment, is relayed: the peers resolve it
 * with the documented politeness rule (the polite end answers the other's offer, which implicitly rolls back its own,
 * and its answer settles both here). Keys are opaque endpoint ids.
 *
 * <p>An offer is remembered where it is {@link #received}, by the node that holds its recipient's connection: that
 * is where the recipient's answer is {@link #sent} and checked, whichever node the offer came from, so offer/answer
 * holds between endpoints on different nodes of a cluster with no state shared between them. The offers an endpoint
 * made are remembered on its own node, where its next offer is checked.
 */
public final class OfferAnswer {
    private record Direction(String scope, String from, String to) {}

    /** What an answer is checked against, per m-line. */
    private record Stream(String type, boolean rejected, String direction, List<String> codecs, boolean rtp) {}

    private final Map<Direction, List<Stream>> outstanding = new ConcurrentHashMap<>();
    /** Offers endpoints of this node made and that are not answered yet (checked when they offer again). */
    private final Map<Direction, Boolean> offered = new ConcurrentHashMap<>();
    /** Endpoints whose offers were received on another node (their session moved here): answers go unchecked. */
    private final java.util.Set<String> unknown = ConcurrentHashMap.newKeySet();

    /**
     * Checks a description about to be sent {@code from} an endpoint of this node {@code to} another, within
     * {@code scope}: an answer must match the offer this node received from {@code to}; a rollback drops that offer.
     */
    public void sent(String scope, String from, String to, String type, SessionDescription description) {
        Objects.requireNonNull(type, "type");
        Direction mine = new Direction(scope, from, to);
        switch (type) {
            case "offer" -> {
                // a session that moved here from another node may resend an offer the old node had relayed and the
                // peer answered already (the answer reached it before the resend): its offers are not held to that
                if (offered.putIfAbsent(mine, Boolean.TRUE) != null && !unknown.contains(from)) {
                    throw SdpException.offerOutstanding();
                }
            }
            case "answer", "pranswer" -> {
                answer(scope, from, to, type.equals("answer"), description);
                if (type.equals("answer")) {
                    offered.remove(mine); // answering the peer's offer rolled back any offer of ours (glare)
                }
            }
            case "rollback" -> {
                outstanding.remove(new Direction(scope, to, from));
                offered.remove(mine);
            }
            default -> throw new IllegalArgumentException("unknown description type " + type);
        }
    }

    /** A description {@code from} another endpoint was delivered {@code to} an endpoint of this node. */
    public void received(String scope, String from, String to, String type, SessionDescription description) {
        Objects.requireNonNull(type, "type");
        Direction theirs = new Direction(scope, from, to);
        switch (type) {
            case "offer" -> outstanding.put(theirs, streams(description));
            case "answer" -> {
                // the peer answered our offer; an offer of its own it had made meanwhile is rolled back by doing so
                offered.remove(new Direction(scope, to, from));
                outstanding.remove(theirs);
            }
            case "rollback" -> {
                outstanding.remove(theirs);
                offered.remove(new Direction(scope, to, from));
            }
            default -> { }
        }
    }

    /** Forgets an endpoint's negotiations (it left). */
    public void forget(String endpoint) {
        unknown.remove(endpoint);
        outstanding.keySet().removeIf(d -> d.from().equals(endpoint) || d.to().equals(endpoint));
        offered.keySet().removeIf(d -> d.from().equals(endpoint) || d.to().equals(endpoint));
    }

    /**
     * The offers an endpoint received and made are not known here (its session moved from another node): an answer from
     * it with no offer known is let through unchecked, and so is an offer while one of its own seems unanswered, since
     * this node cannot tell; offers it receives from now on are checked as usual.
     */
    public void unknown(String endpoint) {
        unknown.add(endpoint);
    }

    private void answer(String scope, String from, String to, boolean settles, SessionDescription description) {
        Direction offeredToUs = new Direction(scope, to, from);
        List<Stream> offer = outstanding.get(offeredToUs);
        if (offer == null) {
            if (unknown.contains(from)) {
                return;
            }
            throw SdpException.unexpectedAnswer();
        }
        List<Stream> answer = streams(description);
        if (answer.size() != offer.size()) {
            throw SdpException.answerMismatch("the answer has " + answer.size() + " m-lines, the offer " + offer.size());
        }
        for (int i = 0; i < offer.size(); i++) {
            Stream o = offer.get(i);
            Stream a = answer.get(i);
            int mLine = i + 1;
            if (!o.type().equals(a.type())) {
                throw SdpException.answerMismatch("m-line " + mLine + " is " + a.type() + " in the answer, "
                        + o.type() + " in the offer");
            }
            if (o.rejected() && !a.rejected()) {
                throw SdpException.rejectedStream(mLine);
            }
            if (a.rejected()) {
                continue;
            }
            if (!allowed(o.direction(), a.direction())) {
                throw SdpException.directionMismatch(mLine, o.direction(), a.direction());
            }
            if (o.rtp() && a.rtp()) {
                for (String codec : a.codecs()) {
                    if (!o.codecs().contains(codec)) {
                        throw SdpException.codecMismatch(mLine, codec);
                    }
                }
            }
        }
        if (settles) {
            outstanding.remove(offeredToUs);
        }
    }

    /** RFC 3264 §6.1. */
    private static boolean allowed(String offered, String answered) {
        return switch (offered) {
            case "sendonly" -> answered.equals("recvonly") || answered.equals("inactive");
            case "recvonly" -> answered.equals("sendonly") || answered.equals("inactive");
            case "inactive" -> answered.equals("inactive");
            default -> true;
        };
    }

    private static List<Stream> streams(SessionDescription description) {
        // RFC 8866 §6.7: a session-level direction is the default of every media section that names none
        String session = description.direction("sendrecv");
        List<SessionDescription.Media> media = description.media();
        Stream[] streams = new Stream[media.size()];
        for (int i = 0; i < streams.length; i++) {
            SessionDescription.Media m = media.get(i);
            streams[i] = new Stream(m.type(), m.rejected(), m.direction(session), m.codecs(), m.rtp());
        }
        return List.of(streams);
    }
}
