package io.telesignal.core.sdp;

import io.telesignal.core.DomainException;

/** An SDP body that cannot be used: malformed, too large, or outside the codec policy. */
public final class SdpException extends DomainException {
    private static final long serialVersionUID = 1L;
    private final String code;

    private SdpException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** Malformed; the message names the line number and the rule, never the content. */
    public static SdpException invalid(int line, String rule) {
        return new SdpException("sdp_invalid", "line " + line + ": " + rule);
    }

    public static SdpException tooLarge(int limit) {
        return new SdpException("sdp_too_large", "SDP larger than " + limit + " bytes");
    }

    /** {@code mLine}: the section's place among the m= lines, from 1. */
    public static SdpException codecNotAllowed(String media, int mLine) {
        return new SdpException("sdp_codec_not_allowed", "the " + media + " section (m-line " + mLine
                + ") offers no allowed codec");
    }

    /** RFC 3264 §6: an answer must match the offer it answers, m-line for m-line. */
    public static SdpException answerMismatch(String rule) {
        return new SdpException("sdp_answer_mismatch", rule);
    }

    /** RFC 3264 §6: a stream the offer rejected (port 0) must stay rejected in the answer. */
    public static SdpException rejectedStream(int mLine) {
        return new SdpException("sdp_rejected_stream", "m-line " + mLine + " was rejected in the offer (port 0) and"
                + " must have port 0 in the answer");
    }

    /** RFC 3264 §6.1: the answer's direction must be one the offer's allows. */
    public static SdpException directionMismatch(int mLine, String offered, String answered) {
        return new SdpException("sdp_direction_mismatch", "m-line " + mLine + " is " + offered + " in the offer, so it"
                + " cannot be " + answered + " in the answer");
    }

    /** RFC 3264 §6.1: an answer's formats must come from the offer's. */
    public static SdpException codecMismatch(int mLine, String codec) {
        return new SdpException("sdp_codec_mismatch", "m-line " + mLine + " answers with " + codec
                + ", which the offer did not offer");
    }

    /** RFC 3264 §4: no new offer while this endpoint's previous offer to the same peer is unanswered. */
    public static SdpException offerOutstanding() {
        return new SdpException("sdp_offer_outstanding", "your previous offer to that peer is still unanswered:"
                + " wait for the answer, or send a rollback first");
    }

    /** An answer with no offer from that peer outstanding. */
    public static SdpException unexpectedAnswer() {
        return new SdpException("sdp_unexpected_answer", "no offer from that peer is waiting for an answer");
    }

    @Override
    public String code() {
        return code;
    }
}
