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

    /** An answer with no offer from that peer outstanding. */
    public static SdpException unexpectedAnswer() {
        return new SdpException("sdp_unexpected_answer", "no offer from that peer is waiting for an answer");
    }

    @Override
    public String code() {
        return code;
    }
}
