package io.telesignal.sip.message;

import java.util.List;

/** A response: status code, reason phrase (possibly empty), headers, body. */
public final class SipResponse extends SipMessage {
    private final int status;
    private final String reason;

    public SipResponse(int status, String reason, List<Header> headers, byte[] body) {
        super(headers, body);
        if (status < 100 || status > 699) {
            throw new IllegalArgumentException("status must be 100-699");
        }
        this.status = status;
        this.reason = reason;
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    @Override
    String startLine() {
        return "SIP/2.0 " + status + " " + reason;
    }

    @Override
    String summary() {
        return String.valueOf(status);
    }
}
