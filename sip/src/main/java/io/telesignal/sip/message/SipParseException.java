package io.telesignal.sip.message;

/**
 * A message refused by the codec, with the response that says why (RFC 3261 §21): 400 for a malformed message,
 * 505 for another SIP version, 513 for one over the size limit. The reason never quotes the message (which may carry
 * names and numbers); it names the rule that was broken.
 */
public final class SipParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public SipParseException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    static SipParseException malformed(String reason) {
        return new SipParseException(400, reason);
    }

    /** The status code of the response that refuses the message. */
    public int status() {
        return status;
    }

    /** The reason phrase of that response. */
    public String reason() {
        return getMessage();
    }
}
