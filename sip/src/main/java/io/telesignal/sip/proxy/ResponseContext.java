package io.telesignal.sip.proxy;

import io.telesignal.sip.message.Header;
import io.telesignal.sip.message.HeaderNames;
import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipResponse;
import io.telesignal.sip.message.SipResponses;
import io.telesignal.sip.transaction.Scheduler;
import io.telesignal.sip.transaction.ServerTransaction;
import io.telesignal.sip.transport.Flow;
import io.telesignal.sip.transport.FlowFailedException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One proxied request's response context (RFC 3261 §16.7): its branches, each a client transaction, and what has gone
 * upstream. Provisional responses (not 100) and every 2xx go upstream at once; the final non-2xx responses wait until
 * every branch has one, then the best goes (a 6xx, else the lowest class; among 4xx those that tell the caller how to
 * retry; a 503 goes as 500; 401 and 407 carry every branch's challenges). A 2xx or a 6xx to an INVITE cancels the
 * branches still pending, and so does an upstream CANCEL, as soon as each branch has had a provisional response
 * (§16.10). Timer C cancels a branch that rings too long. Called from event loops and workers: synchronized.
 */
final class ResponseContext {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseContext.class);

    private final Proxy proxy;
    private final ServerTransaction server;
    private final SipRequest request;
    private final boolean invite;
    private final List<Branch> branches = new ArrayList<>();
    private boolean forked;
    private boolean cancelled;
    private boolean finalSent;
    private boolean twoHundred;

    ResponseContext(Proxy proxy, ServerTransaction server, SipRequest request) {
        this.proxy = proxy;
        this.server = server;
        this.request = request;
        this.invite = request.method().equals("INVITE");
    }

    /** One target's client transaction and what it has answered. */
    private final class Branch {
        final Proxy.Target target;
        SipRequest sent;
        Flow flow;
        boolean provisional;
        SipResponse last;
        boolean done;
        boolean cancelWanted;
        boolean cancelSent;
        Scheduler.Timer timerC;

        Branch(Proxy.Target target) {
            this.target = target;
        }
    }

    /** Answers the request without branches (no one to send it to, refused). */
    void fail(int status, String reason) {
        fail(status, reason, List.of());
    }

    /** The same with more headers (Retry-After). */
    void fail(int status, String reason, List<Header> extra) {
        synchronized (this) {
            if (finalSent) {
                return;
            }
            finalSent = true;
        }
        server.respond(status, reason, extra);
        proxy.finished(server, this);
        LOG.debug("event=sip_answered method={} status={}", request.method(), status);
    }

    /** The request was answered already (a challenge): nothing left to do here. */
    void abandon() {
        synchronized (this) {
            finalSent = true;
        }
        proxy.finished(server, this);
    }

    /** Sends the request to every target at once (parallel forking, §16.6). */
    void fork(List<Proxy.Target> targets, String loopHash, SipRequest toForward) {
        List<Branch> created = new ArrayList<>();
        synchronized (this) {
            if (cancelled) {
                finalSent = true;
            } else {
                targets.forEach(t -> created.add(new Branch(t)));
                branches.addAll(created);
                forked = true;
            }
        }
        if (created.isEmpty()) {
            if (cancelled()) {
                server.respond(487, "Request Terminated", List.of());
            } else {
                server.respond(480, "Temporarily Unavailable", List.of());
            }
            proxy.finished(server, this);
            return;
        }
        for (Branch branch : created) {
            proxy.flowFor(branch.target).whenComplete((flow, failure) -> {
                if (failure != null) {
                    Throwable cause = io.telesignal.core.work.Failures.cause(failure);
                    boolean gone = cause instanceof FlowFailedException f && f.gone();
                    // §16.9: a transport error is a 503; a phone's flow that is gone is 430 (RFC 5626 §5.3)
                    answered(branch, SipResponses.to(request, gone ? 430 : 503, gone ? "Flow Failed"
                            : "Service Unavailable", List.of()), false);
                    return;
                }
                send(branch, flow, loopHash, toForward);
            });
        }
    }

    private synchronized boolean cancelled() {
        return cancelled;
    }

    private void send(Branch branch, Flow flow, String loopHash, SipRequest toForward) {
        SipRequest sent = proxy.outgoing(toForward, branch.target, server.flow(), flow, proxy.branch(loopHash));
        synchronized (this) {
            branch.sent = sent;
            branch.flow = flow;
            if (cancelled) {
                // cancelled while this branch looked for its flow: it is never sent
                branch.done = true;
                branch.last = SipResponses.to(request, 487, "Request Terminated", List.of());
            }
        }
        if (branch.done) {
            maybeBest();
            return;
        }
        proxy.counted();
        try {
            proxy.transactions().send(sent, flow, response -> answered(branch, SipResponses.withoutTopVia(response), true));
        } catch (RuntimeException e) {
            answered(branch, SipResponses.to(request, 503, "Service Unavailable", List.of()), false);
        }
        LOG.debug("event=sip_forwarded method={} transport={}", request.method(), flow.transport());
    }

    /** A response on a branch, this node's Via already off ({@code fromWire}), or one made here for a failure. */
    private void answered(Branch branch, SipResponse response, boolean fromWire) {
        int status = response.status();
        boolean forwardNow = false;
        boolean cancelNow = false;
        boolean cancelOthers = false;
        synchronized (this) {
            if (status < 200) {
                if (status == 100) {
                    return; // hop by hop: this node sent its own
                }
                branch.provisional = true;
                cancelNow = branch.cancelWanted && !branch.cancelSent;
                if (cancelNow) {
                    branch.cancelSent = true;
                }
                if (invite && !cancelNow) {
                    restartTimerC(branch);
                }
                forwardNow = !finalSent;
            } else if (status < 300) {
                // every 2xx goes up (§16.7 step 5), a retransmitted one too (the UAC ACKs each)
                boolean first = !branch.done;
                branch.done = true;
                branch.last = response;
                cancelTimer(branch);
                forwardNow = true;
                if (!twoHundred && invite) {
                    cancelOthers = true;
                }
                twoHundred = true;
                finalSent = true;
                if (first) {
                    LOG.debug("event=sip_branch method={} status={}", request.method(), status);
                }
            } else {
                if (branch.done) {
                    return;
                }
                branch.done = true;
                branch.last = response;
                cancelTimer(branch);
                if (status >= 600 && invite) {
                    cancelOthers = true;
                }
            }
        }
        if (cancelNow) {
            sendCancel(branch);
        }
        if (forwardNow) {
            server.respond(response);
        }
        if (cancelOthers) {
            cancelPending();
        }
        maybeBest();
    }

    /** When every branch has a final response: the best goes up, unless a 2xx went already. */
    private void maybeBest() {
        SipResponse best;
        synchronized (this) {
            if (!forked || branches.stream().anyMatch(b -> !b.done)) {
                return;
            }
            boolean send = !finalSent;
            finalSent = true;
            best = send ? best() : null;
        }
        if (best != null) {
            server.respond(best);
            LOG.debug("event=sip_answered method={} status={} branches={}", request.method(), best.status(),
                    branches.size());
        }
        proxy.finished(server, this);
    }

    /** §16.7 step 6 and 7. Called with the lock held, every branch done. */
    private SipResponse best() {
        SipResponse chosen = null;
        for (Branch branch : branches) {
            SipResponse r = branch.last;
            if (chosen == null || rank(r) < rank(chosen)) {
                chosen = r;
            }
        }
        if (chosen.status() == 503) {
            chosen = SipResponses.to(request, 500, "Server Internal Error", List.of());
        }
        if (chosen.status() == 401 || chosen.status() == 407) {
            // every branch's challenges in the one response (§16.7 step 7)
            List<Header> headers = new ArrayList<>();
            for (Header h : chosen.headers()) {
                if (!h.name().equals("WWW-Authenticate") && !h.name().equals("Proxy-Authenticate")) {
                    headers.add(h);
                }
            }
            for (Branch branch : branches) {
                if (branch.last.status() == 401 || branch.last.status() == 407) {
                    for (Header h : branch.last.headers()) {
                        if (h.name().equals("WWW-Authenticate") || h.name().equals("Proxy-Authenticate")) {
                            headers.add(h);
                        }
                    }
                }
            }
            chosen = new SipResponse(chosen.status(), chosen.reason(), headers, chosen.body());
        }
        return chosen;
    }

    /** Lower is better: 6xx, then 2xx (never here), then by class; in 4xx those that help a retry first. */
    private static int rank(SipResponse response) {
        int status = response.status();
        int cls = status / 100;
        if (cls == 6) {
            return 0;
        }
        int base = cls * 10;
        if (cls == 4 && (status == 401 || status == 407 || status == 415 || status == 420 || status == 484)) {
            return base;
        }
        if (status == 408 || status == 503 || status == 430) {
            return base + 5; // failures of transport or time: any real answer of the class is better
        }
        return base + 1;
    }

    /** The upstream CANCEL (§16.10). */
    void cancel() {
        List<Branch> now = new ArrayList<>();
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            collectPending(now);
        }
        now.forEach(this::sendCancel);
        if (!forked) {
            return; // still locating: fork() answers 487
        }
        maybeBest();
    }

    private void cancelPending() {
        List<Branch> now = new ArrayList<>();
        synchronized (this) {
            collectPending(now);
        }
        now.forEach(this::sendCancel);
    }

    /** Marks each pending branch for cancelling; those that had a provisional response can be cancelled now. */
    private void collectPending(List<Branch> now) {
        for (Branch branch : branches) {
            if (branch.done || branch.cancelSent || branch.sent == null) {
                if (!branch.done && branch.sent == null) {
                    branch.cancelWanted = true;
                }
                continue;
            }
            if (branch.provisional) {
                branch.cancelSent = true;
                now.add(branch);
            } else {
                branch.cancelWanted = true; // §16.10: wait for its provisional response, then CANCEL
            }
        }
    }

    /** RFC 3261 §9.1: a CANCEL with the branch's Request-URI, Call-ID, From, To, CSeq number, Route and top Via. */
    private void sendCancel(Branch branch) {
        if (!invite) {
            return;
        }
        SipRequest sent = branch.sent;
        List<Header> headers = new ArrayList<>();
        headers.add(new Header(HeaderNames.VIA, sent.values(HeaderNames.VIA).get(0)));
        for (Header h : sent.headers()) {
            switch (h.name()) {
                case HeaderNames.FROM, HeaderNames.TO, HeaderNames.CALL_ID, HeaderNames.ROUTE -> headers.add(h);
                case HeaderNames.CSEQ -> headers.add(new Header(HeaderNames.CSEQ, sent.cseq().number() + " CANCEL"));
                default -> { }
            }
        }
        headers.add(new Header(HeaderNames.MAX_FORWARDS, "70"));
        SipRequest cancel = new SipRequest("CANCEL", sent.uri(), headers, new byte[0]);
        try {
            proxy.transactions().send(cancel, branch.flow, response -> { }); // its answer matters to no one
        } catch (IllegalStateException alreadyCancelling) {
            // a CANCEL for this branch is out already
        }
        // a branch that never answers its CANCEL is given up after 64*T1 (§16.10 relies on the INVITE's Timer B/C)
        Scheduler.Timer unused = proxy.scheduler().schedule(proxy.timers().sixtyFourT1(), () ->
                answered(branch, SipResponses.to(request, 408, "Request Timeout", List.of()), false));
    }

    private void restartTimerC(Branch branch) {
        cancelTimer(branch);
        branch.timerC = proxy.scheduler().schedule(proxy.settings().timerC(), () -> {
            boolean cancel;
            synchronized (this) {
                cancel = !branch.done && !branch.cancelSent;
                if (cancel) {
                    branch.cancelSent = true;
                }
            }
            if (cancel) {
                sendCancel(branch); // Timer C: it rang too long (§16.8)
            }
        });
    }

    private static void cancelTimer(Branch branch) {
        if (branch.timerC != null) {
            branch.timerC.cancel();
            branch.timerC = null;
        }
    }
}
