package io.telesignal.sip.transport;

import io.telesignal.sip.message.Header;
import io.telesignal.sip.message.SipMessage;
import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipResponse;
import io.telesignal.sip.message.SipResponses;
import io.telesignal.sip.message.Vias;
import java.util.List;

/** What every transport does with a message it parsed: the flood limit, the Via stamp, the hand-over. */
final class Inbound {
    private Inbound() {}

    /**
     * A message from a stream (TCP, TLS, WebSocket), within the per-address limit: past it a request is answered 503
     * with Retry-After (an ACK never is) and a response dropped. (Over UDP the limit is applied as each datagram is
     * read, and a flood is dropped silently: answering it would feed it.)
     */
    static void deliverLimited(SipMessage message, Flow flow, SipHandler handler, AddressLimiter limiter) {
        if (!limiter.allow(flow.remote().getAddress())) {
            if (message instanceof SipRequest request && !request.method().equals("ACK")) {
                flow.send(SipResponses.to(request, 503, "Service Unavailable", List.of(new Header("Retry-After", "1")))
                        .encode());
            }
            return;
        }
        deliver(message, flow, handler);
    }

    /** Hands a parsed message to the handler; a request with its top Via stamped with where it came from (RFC 3581). */
    static void deliver(SipMessage message, Flow flow, SipHandler handler) {
        if (message instanceof SipRequest request) {
            handler.request(Vias.stamp(request, flow.remote()), flow);
        } else {
            handler.response((SipResponse) message, flow);
        }
    }

    /** Nothing but CRLFs: a keepalive (RFC 5626 §4.4.1), which needs no SIP answer. */
    static boolean isKeepalive(byte[] bytes) {
        for (byte b : bytes) {
            if (b != '\r' && b != '\n') {
                return false;
            }
        }
        return bytes.length > 0;
    }
}
