package io.telesignal.sip.transport;

import io.telesignal.sip.message.SipParseException;
import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipResponse;

/** What a transport hands its messages to. Called on the transport's event loop: do not block. */
public interface SipHandler {
    void request(SipRequest request, Flow flow);

    void response(SipResponse response, Flow flow);

    /**
     * A message that does not parse; {@code raw} is what arrived (never to be logged). The handler answers it when a
     * response can be addressed, else drops it.
     */
    void refused(SipParseException reason, byte[] raw, Flow flow);
}
