package io.telesignal.sip;

import io.telesignal.sip.message.Header;
import io.telesignal.sip.message.HeaderNames;
import io.telesignal.sip.message.SipParseException;
import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipResponse;
import io.telesignal.sip.message.SipResponses;
import io.telesignal.sip.transport.Flow;
import io.telesignal.sip.transport.SipHandler;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the SIP door does with each message, so far: OPTIONS is answered 200 with what the server allows (RFC 3261
 * §11); a request that needs an extension the server lacks gets 420 with Unsupported (§8.2.2.3); one that does not parse
 * gets the status the parser chose (400, 505, 513) when it can be addressed, and is dropped and counted when it
 * cannot; ACK and stray responses are absorbed. The registrar and the proxy (REGISTER, INVITE and the rest) are not
 * built yet: their methods are answered 501 Not Implemented, which is what they are.
 */
public final class SipFrontDoor implements SipHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SipFrontDoor.class);
    /** The methods this server implements, for Allow. */
    static final List<String> ALLOWED = List.of("OPTIONS");
    /** Option tags this server supports (RFC 3261 §19.2), for Require and Supported. */
    static final Set<String> SUPPORTED = Set.of();

    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refusedAnswered = new AtomicLong();
    private final AtomicLong strayResponses = new AtomicLong();

    @Override
    public void request(SipRequest request, Flow flow) {
        String method = request.method();
        if (method.equals("ACK")) {
            return; // never answered (§17.2.1); a stateless server has nothing to match it to
        }
        if (!method.equals("CANCEL")) {
            List<String> unsupported = request.values(HeaderNames.REQUIRE).stream()
                    .filter(option -> !SUPPORTED.contains(option)).toList();
            if (!unsupported.isEmpty()) {
                answer(request, 420, "Bad Extension", List.of(new Header("Unsupported", String.join(", ", unsupported))),
                        flow);
                return;
            }
        }
        if (method.equals("OPTIONS")) {
            answer(request, 200, "OK", List.of(new Header("Allow", String.join(", ", ALLOWED)),
                    new Header("Accept", "application/sdp")), flow);
            return;
        }
        answer(request, 501, "Not Implemented", List.of(new Header("Allow", String.join(", ", ALLOWED))), flow);
    }

    private static void answer(SipRequest request, int status, String reason, List<Header> extra, Flow flow) {
        SipResponse response = SipResponses.to(request, status, reason, extra);
        flow.send(response.encode());
        LOG.debug("event=sip_answered method={} status={} transport={}", request.method(), status, flow.transport());
    }

    @Override
    public void response(SipResponse response, Flow flow) {
        strayResponses.incrementAndGet(); // no client transactions yet: nothing to match it to
    }

    @Override
    public void refused(SipParseException reason, byte[] raw, Flow flow) {
        byte[] answer = SipResponses.toUnparsed(raw, reason.status(), reason.reason());
        if (answer == null) {
            dropped.incrementAndGet();
            LOG.debug("event=sip_unparseable outcome=dropped status={} transport={}", reason.status(), flow.transport());
            return;
        }
        refusedAnswered.incrementAndGet();
        flow.send(answer);
        LOG.debug("event=sip_unparseable outcome=answered status={} transport={}", reason.status(), flow.transport());
    }

    /** Messages that could not be parsed nor answered (an unaddressable datagram, a response). */
    public long dropped() {
        return dropped.get();
    }

    public long refusedAnswered() {
        return refusedAnswered.get();
    }

    public long strayResponses() {
        return strayResponses.get();
    }
}
