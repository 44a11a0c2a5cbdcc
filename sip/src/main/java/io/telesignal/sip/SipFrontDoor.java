package io.telesignal.sip;

import io.telesignal.sip.message.Header;
import io.telesignal.sip.message.HeaderNames;
import io.telesignal.sip.message.SipParseException;
import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipResponse;
import io.telesignal.sip.message.SipResponses;
import io.telesignal.sip.transaction.Scheduler;
import io.telesignal.sip.transaction.ServerTransaction;
import io.telesignal.sip.transaction.TimerSettings;
import io.telesignal.sip.transaction.TransactionLayer;
import io.telesignal.sip.transaction.TransactionUser;
import io.telesignal.sip.transport.Flow;
import io.telesignal.sip.transport.SipHandler;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the SIP door does with each message, so far. Requests go through the transaction layer (RFC 3261 §17:
 * retransmissions are answered there, never seen twice here); this door is its user: OPTIONS is answered 200 with what
 * the server allows (§11); a request that needs an extension the server lacks gets 420 with Unsupported (§8.2.2.3).
 * A message that does not parse gets the status the parser chose (400, 505, 513) when it can be addressed, and is
 * dropped and counted when it cannot. The registrar and the proxy (REGISTER, INVITE and the rest) are not built yet:
 * their methods are answered 501 Not Implemented, which is what they are.
 */
public final class SipFrontDoor implements SipHandler, TransactionUser {
    private static final Logger LOG = LoggerFactory.getLogger(SipFrontDoor.class);
    /** The methods this server implements, for Allow. */
    private final List<String> allowed;
    /** Option tags this server supports (RFC 3261 §19.2), for Require and Supported. */
    static final Set<String> SUPPORTED = Set.of();

    private final TransactionLayer transactions;
    private final java.util.Optional<io.telesignal.sip.registrar.Registrar> registrar;
    private final java.util.Optional<io.telesignal.sip.proxy.Locator> locator;
    private final io.telesignal.core.work.WorkerPool workers;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refusedAnswered = new AtomicLong();
    private final AtomicLong strayResponses = new AtomicLong();

    /** Without a registrar: OPTIONS only (tests of the transport and transaction layers). */
    public SipFrontDoor(Scheduler scheduler, TimerSettings timers) {
        this(scheduler, timers, java.util.Optional.empty(), java.util.Optional.empty(), null);
    }

    /** With the registrar, whose blocking work runs on {@code workers}. */
    public SipFrontDoor(Scheduler scheduler, TimerSettings timers,
            java.util.Optional<io.telesignal.sip.registrar.Registrar> registrar,
            java.util.Optional<io.telesignal.sip.proxy.Locator> locator, io.telesignal.core.work.WorkerPool workers) {
        this.transactions = new TransactionLayer(scheduler, timers, this);
        this.registrar = registrar;
        this.locator = locator;
        this.workers = workers;
        this.allowed = registrar.isPresent() ? List.of("OPTIONS", "REGISTER") : List.of("OPTIONS");
    }

    public TransactionLayer transactions() {
        return transactions;
    }

    /** From a transport: into the transaction layer, which hands new requests to {@link #request(ServerTransaction, SipRequest)}. */
    @Override
    public void request(SipRequest request, Flow flow) {
        transactions.request(request, flow);
    }

    @Override
    public void request(ServerTransaction transaction, SipRequest request) {
        List<String> unsupported = request.values(HeaderNames.REQUIRE).stream()
                .filter(option -> !SUPPORTED.contains(option)).toList();
        if (!unsupported.isEmpty()) {
            answer(transaction, 420, "Bad Extension", List.of(new Header("Unsupported", String.join(", ", unsupported))));
            return;
        }
        if (request.method().equals("OPTIONS")) {
            answer(transaction, 200, "OK", List.of(new Header("Allow", String.join(", ", allowed)),
                    new Header("Accept", "application/sdp")));
            return;
        }
        if (request.method().equals("REGISTER") && registrar.isPresent()) {
            // digest and the location store block: on the worker pool, answered from there
            workers.submit(() -> registrar.get().register(request, transaction.flow())).thenCompose(answer -> answer)
                    .whenComplete((response, failure) -> {
                        if (failure != null) {
                            Throwable cause = io.telesignal.core.work.Failures.cause(failure);
                            boolean busy = cause instanceof io.telesignal.core.DomainException;
                            if (!busy) {
                                io.telesignal.core.work.Failures.unexpected(LOG, "event=sip_register outcome=error", cause);
                            }
                            transaction.respond(busy ? 503 : 500, busy ? "Service Unavailable" : "Server Internal Error",
                                    busy ? List.of(new Header("Retry-After", "1")) : List.of());
                            return;
                        }
                        transaction.respond(response);
                        LOG.debug("event=sip_answered method=REGISTER status={} transport={}", response.status(),
                                transaction.flow().transport());
                    });
            return;
        }
        if (locator.isPresent()) {
            // RFC 3261 §16.3 step 3: a request out of hops is answered, never forwarded
            if (request.maxForwards().orElse(70) == 0) {
                answer(transaction, 483, "Too Many Hops", List.of());
                return;
            }
            locator.get().locate(request).whenComplete((target, failure) -> {
                if (failure != null) {
                    transaction.respond(503, "Service Unavailable", List.of(new Header("Retry-After", "1")));
                } else if (target instanceof io.telesignal.sip.proxy.Locator.Target.Unknown) {
                    answer(transaction, 404, "Not Found", List.of());
                } else if (target instanceof io.telesignal.sip.proxy.Locator.Target.NotRegistered) {
                    answer(transaction, 480, "Temporarily Unavailable", List.of());
                } else {
                    // found and registered: forwarding is the proxy's, not built yet
                    answer(transaction, 501, "Not Implemented", List.of(new Header("Allow", String.join(", ", allowed))));
                }
            });
            return;
        }
        answer(transaction, 501, "Not Implemented", List.of(new Header("Allow", String.join(", ", allowed))));
    }

    private static void answer(ServerTransaction transaction, int status, String reason, List<Header> extra) {
        transaction.respond(status, reason, extra);
        LOG.debug("event=sip_answered method={} status={} transport={}", transaction.request().method(), status,
                transaction.flow().transport());
    }

    @Override
    public void ackFor2xx(SipRequest ack, Flow flow) {
        // no dialogs yet: the door never answers 2xx to an INVITE, so there is nothing this could acknowledge
    }

    @Override
    public void response(SipResponse response, Flow flow) {
        transactions.response(response, flow);
    }

    @Override
    public void strayResponse(SipResponse response, Flow flow) {
        strayResponses.incrementAndGet();
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
