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
import io.telesignal.sip.proxy.Proxy;
import io.telesignal.sip.registrar.Registrar;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the SIP door does with each message. Requests go through the transaction layer (RFC 3261 §17: retransmissions
 * are answered there, never seen twice here); this door is its user. An OPTIONS for this server (a Request-URI without
 * a user) is answered 200 with what it allows (§11); REGISTER goes to the registrar; every other request goes to the
 * proxy (§16), and so do the ACKs of 2xx responses, CANCELs of INVITEs it forwards and stray responses. A request this
 * server answers itself that needs an extension it lacks gets 420 with Unsupported (§8.2.2.3; for a proxied request
 * Require is the far end's business, Proxy-Require the proxy's). A message that does not parse gets the status the
 * parser chose (400, 505, 513) when it can be addressed, and is dropped and counted when it cannot.
 */
public final class SipFrontDoor implements SipHandler, TransactionUser {
    private static final Logger LOG = LoggerFactory.getLogger(SipFrontDoor.class);
    /** The methods this server handles or forwards, for Allow. */
    private static final List<String> ALLOWED = List.of("INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "REGISTER",
            "MESSAGE", "INFO", "UPDATE", "PRACK", "SUBSCRIBE", "NOTIFY", "REFER");
    /** Option tags this server supports (RFC 3261 §19.2), for Require and Supported. */
    static final Set<String> SUPPORTED = Set.of("path", "outbound");

    private final TransactionLayer transactions;
    private final Optional<Registrar> registrar;
    private final Optional<Proxy> proxy;
    private final List<String> allowed;
    private final io.telesignal.core.work.WorkerPool workers;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong refusedAnswered = new AtomicLong();
    private final AtomicLong strayResponses = new AtomicLong();

    /** Without a registrar or proxy: OPTIONS only (tests of the transport and transaction layers). */
    public SipFrontDoor(Scheduler scheduler, TimerSettings timers) {
        this(scheduler, timers, Optional.empty(), Optional.empty(), null);
    }

    /**
     * With the registrar, whose blocking work runs on {@code workers}, and the proxy, made over this door's
     * transaction layer.
     */
    public SipFrontDoor(Scheduler scheduler, TimerSettings timers, Optional<Registrar> registrar,
            Optional<Function<TransactionLayer, Proxy>> proxy, io.telesignal.core.work.WorkerPool workers) {
        this.transactions = new TransactionLayer(scheduler, timers, this);
        this.registrar = registrar;
        this.proxy = proxy.map(make -> make.apply(transactions));
        this.workers = workers;
        this.allowed = this.proxy.isPresent() ? ALLOWED : registrar.isPresent() ? List.of("OPTIONS", "REGISTER")
                : List.of("OPTIONS");
    }

    public TransactionLayer transactions() {
        return transactions;
    }

    public Optional<Proxy> proxy() {
        return proxy;
    }

    /** From a transport: into the transaction layer, which hands new requests to {@link #request(ServerTransaction, SipRequest)}. */
    @Override
    public void request(SipRequest request, Flow flow) {
        transactions.request(request, flow);
    }

    @Override
    public void request(ServerTransaction transaction, SipRequest request) {
        boolean forUs = request.method().equals("REGISTER") || request.method().equals("OPTIONS") && forThisServer(request);
        if (!forUs && proxy.isPresent()) {
            proxy.get().request(transaction, request);
            return;
        }
        List<String> unsupported = request.values(HeaderNames.REQUIRE).stream()
                .filter(option -> !SUPPORTED.contains(option)).toList();
        if (!unsupported.isEmpty()) {
            answer(transaction, 420, "Bad Extension", List.of(new Header("Unsupported", String.join(", ", unsupported))));
            return;
        }
        if (request.method().equals("OPTIONS")) {
            answer(transaction, 200, "OK", List.of(new Header("Allow", String.join(", ", allowed)),
                    new Header("Accept", "application/sdp"), new Header("Supported", String.join(", ", SUPPORTED))));
            return;
        }
        if (request.method().equals("REGISTER") && registrar.isPresent()) {
            // checking credentials blocks (the store): on the worker pool, answered from there; a REGISTER without any
            // is challenged at once, on the loop
            (request.first("Authorization").isPresent()
                    ? workers.submit(() -> registrar.get().register(request, transaction.flow())).thenCompose(a -> a)
                    : registrar.get().register(request, transaction.flow()))
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
        answer(transaction, 501, "Not Implemented", List.of(new Header("Allow", String.join(", ", allowed))));
    }

    /** An OPTIONS asks this server itself, unless the proxy would route it elsewhere (a user, a Route). */
    private boolean forThisServer(SipRequest request) {
        return proxy.map(p -> p.addressedHere(request)).orElse(true);
    }

    private static void answer(ServerTransaction transaction, int status, String reason, List<Header> extra) {
        transaction.respond(status, reason, extra);
        LOG.debug("event=sip_answered method={} status={} transport={}", transaction.method(), status,
                transaction.flow().transport());
    }

    @Override
    public void ackFor2xx(SipRequest ack, Flow flow) {
        proxy.ifPresent(p -> p.ack(ack, flow)); // the ACK of a 2xx this server forwarded: end to end
    }

    @Override
    public void cancelled(ServerTransaction invite) {
        proxy.ifPresent(p -> p.cancelled(invite));
    }

    @Override
    public void response(SipResponse response, Flow flow) {
        transactions.response(response, flow);
    }

    @Override
    public void strayResponse(SipResponse response, Flow flow) {
        strayResponses.incrementAndGet();
        proxy.ifPresent(p -> p.strayResponse(response, flow));
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

    /** Responses no client transaction claimed (forwarded statelessly when they carry this node's Via). */
    public long strayResponses() {
        return strayResponses.get();
    }
}
