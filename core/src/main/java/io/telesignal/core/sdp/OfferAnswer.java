package io.telesignal.core.sdp;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RFC 3264 offer/answer between endpoints: remembers the outstanding offer of each direction and holds answers
 * to it — an answer (or provisional answer) needs an offer from the peer it answers, and has exactly the offer's
 * m-lines, in order, of the same media types (RFC 3264 §6). A final answer settles the offer; a rollback
 * (RFC 8829 §4.1.8.2) drops the outstanding offers of both directions. Keys are opaque endpoint ids.
 *
 * <p>An offer is remembered where it is {@link #received}, by the node that holds its recipient's connection: that
 * is where the recipient's answer is {@link #sent} and checked, whichever node the offer came from, so offer/answer
 * holds between endpoints on different nodes of a cluster with no state shared between them.
 */
public final class OfferAnswer {
    private record Direction(String scope, String from, String to) {}

    private final Map<Direction, List<String>> outstanding = new ConcurrentHashMap<>();
    /** Endpoints whose offers were received on another node (their session moved here): answers go unchecked. */
    private final java.util.Set<String> unknown = ConcurrentHashMap.newKeySet();

    /**
     * Checks a description about to be sent {@code from} an endpoint of this node {@code to} another, within
     * {@code scope}: an answer must match the offer this node received from {@code to}; a rollback drops that offer.
     */
    public void sent(String scope, String from, String to, String type, SessionDescription description) {
        Objects.requireNonNull(type, "type");
        switch (type) {
            case "offer" -> { }
            case "answer", "pranswer" -> answer(scope, from, to, type.equals("answer"), description);
            case "rollback" -> outstanding.remove(new Direction(scope, to, from));
            default -> throw new IllegalArgumentException("unknown description type " + type);
        }
    }

    /** A description {@code from} another endpoint was delivered {@code to} an endpoint of this node. */
    public void received(String scope, String from, String to, String type, SessionDescription description) {
        Objects.requireNonNull(type, "type");
        switch (type) {
            case "offer" -> outstanding.put(new Direction(scope, from, to), mediaTypes(description));
            case "rollback" -> outstanding.remove(new Direction(scope, from, to));
            default -> { }
        }
    }

    /** Forgets an endpoint's negotiations (it left). */
    public void forget(String endpoint) {
        unknown.remove(endpoint);
        outstanding.keySet().removeIf(d -> d.from().equals(endpoint) || d.to().equals(endpoint));
    }

    /**
     * The offers an endpoint received are not known here (its session moved from another node): an answer from it
     * with no offer known is let through unchecked, since this node cannot tell; offers it receives from now on are
     * checked as usual.
     */
    public void unknown(String endpoint) {
        unknown.add(endpoint);
    }

    private void answer(String scope, String from, String to, boolean settles, SessionDescription description) {
        Direction offered = new Direction(scope, to, from);
        List<String> offer = outstanding.get(offered);
        if (offer == null) {
            if (unknown.contains(from)) {
                return;
            }
            throw SdpException.unexpectedAnswer();
        }
        List<String> answer = mediaTypes(description);
        if (answer.size() != offer.size()) {
            throw SdpException.answerMismatch("the answer has " + answer.size() + " m-lines, the offer " + offer.size());
        }
        for (int i = 0; i < offer.size(); i++) {
            if (!offer.get(i).equals(answer.get(i))) {
                throw SdpException.answerMismatch("m-line " + (i + 1) + " is " + answer.get(i) + " in the answer, "
                        + offer.get(i) + " in the offer");
            }
        }
        if (settles) {
            outstanding.remove(offered);
        }
    }

    private static List<String> mediaTypes(SessionDescription description) {
        return description.media().stream().map(SessionDescription.Media::type).toList();
    }
}
