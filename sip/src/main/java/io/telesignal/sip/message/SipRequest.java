package io.telesignal.sip.message;

import java.util.List;
import java.util.Optional;

/** A request: method, Request-URI as written, headers, body. */
public final class SipRequest extends SipMessage {
    private final String method;
    private final String uri;

    public SipRequest(String method, String uri, List<Header> headers, byte[] body) {
        super(headers, body);
        this.method = method;
        this.uri = uri;
    }

    public String method() {
        return method;
    }

    public String uri() {
        return uri;
    }

    /** The Request-URI when it is a SIP or SIPS URI. */
    public Optional<SipUri> sipUri() {
        try {
            return Optional.of(SipUri.parse(uri));
        } catch (SipParseException e) {
            return Optional.empty();
        }
    }

    @Override
    String startLine() {
        return method + " " + uri + " SIP/2.0";
    }

    @Override
    String summary() {
        return method;
    }
}
