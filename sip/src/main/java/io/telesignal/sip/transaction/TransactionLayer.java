package io.telesignal.sip.transaction;

import io.telesignal.sip.message.HeaderNames;
import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipResponse;
import io.telesignal.sip.message.Via;
import io.telesignal.sip.transport.Flow;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Matches messages to transactions (RFC 3261 §17.1.3, §17.2.3) and keeps them until they end. A request with an
 * RFC 3261 branch is matched by branch, sent-by and method (ACK to its INVITE); one without (RFC 2543) by Call-ID,
 * CSeq, From tag and top Via. A CANCEL is a transaction of its own, answered 200 (or 481 when it matches no INVITE),
 * and the INVITE's TU hears of it. Responses match client transactions by branch and CSeq method.
 */
public final class TransactionLayer {
    private final Scheduler scheduler;
    private final TimerSettings timers;
    private final TransactionUser user;
    private final Map<String, ServerTransaction> servers = new ConcurrentHashMap<>();
    private final Map<String, ClientTransaction> clients = new ConcurrentHashMap<>();

    public TransactionLayer(Scheduler scheduler, TimerSettings timers, TransactionUser user) {
        this.scheduler = scheduler;
        this.timers = timers;
        this.user = user;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    TimerSettings timers() {
        return timers;
    }

    TransactionUser user() {
        return user;
    }

    public int serverTransactions() {
        return servers.size();
    }

    public int clientTransactions() {
        return clients.size();
    }

    /** A request from a transport. */
    public void request(SipRequest request, Flow flow) {
        String method = request.method();
        String key = serverKey(request, method.equals("ACK") ? "INVITE" : method);
        ServerTransaction existing = servers.get(key);
        if (existing != null) {
            existing.retransmitted(request);
            return;
        }
        if (method.equals("ACK")) {
            user.ackFor2xx(request, flow); // no transaction: the ACK of a 2xx, end to end
            return;
        }
        ServerTransaction created = new ServerTransaction(this, key, request, flow);
        ServerTransaction raced = servers.putIfAbsent(key, created);
        if (raced != null) {
            raced.retransmitted(request);
            return;
        }
        if (method.equals("CANCEL")) {
            ServerTransaction invite = servers.get(serverKey(request, "INVITE"));
            if (invite == null || invite.state() == ServerTransaction.State.TERMINATED) {
                created.respond(481, "Call/Transaction Does Not Exist", List.of());
                return;
            }
            created.respond(200, "OK", List.of());
            user.cancelled(invite);
            return;
        }
        if (method.equals("INVITE")) {
            created.respond(100, "Trying", List.of()); // at once: the TU may take longer than 200 ms (§17.2.1)
        }
        user.request(created, request);
    }

    /** A response from a transport. */
    public void response(SipResponse response, Flow flow) {
        ClientTransaction transaction = clients.get(clientKey(response.vias().get(0), response.cseq().method()));
        if (transaction == null) {
            user.strayResponse(response, flow);
            return;
        }
        transaction.received(response);
    }

    /**
     * Sends a request in a new client transaction over {@code flow}; its responses (or a 408 of its own when none comes)
     * go to {@code listener}. The request's top Via must carry a fresh RFC 3261 branch.
     */
    public ClientTransaction send(SipRequest request, Flow flow, Consumer<SipResponse> listener) {
        Via top = request.vias().get(0);
        if (top.branch().filter(b -> b.startsWith(Via.MAGIC_COOKIE)).isEmpty()) {
            throw new IllegalArgumentException("a client transaction needs an RFC 3261 branch");
        }
        String key = clientKey(top, request.method());
        ClientTransaction transaction = new ClientTransaction(this, key, request, flow, listener);
        if (clients.putIfAbsent(key, transaction) != null) {
            throw new IllegalStateException("a client transaction with this branch exists");
        }
        transaction.start();
        return transaction;
    }

    void forget(String key, ServerTransaction transaction) {
        servers.remove(key, transaction);
    }

    void forget(String key, ClientTransaction transaction) {
        clients.remove(key, transaction);
    }

    private static String serverKey(SipRequest request, String method) {
        Via top = request.vias().get(0);
        String sentBy = top.host() + ":" + top.port().orElse(-1);
        String branch = top.branch().orElse("");
        if (branch.startsWith(Via.MAGIC_COOKIE)) {
            return branch + "|" + sentBy + "|" + method;
        }
        // RFC 2543 (§17.2.3): no usable branch
        return "2543|" + request.callId() + "|" + request.cseq().number() + "|" + request.from().tag().orElse("") + "|"
                + request.values(HeaderNames.VIA).get(0) + "|" + method;
    }

    private static String clientKey(Via top, String method) {
        return top.branch().orElse("") + "|" + method;
    }
}
