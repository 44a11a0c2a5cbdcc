package io.telesignal.sip.transaction;

import io.telesignal.sip.message.Header;
import io.telesignal.sip.message.HeaderNames;
import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipResponse;
import io.telesignal.sip.transport.Flow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A client transaction (RFC 3261 §17.1 with the RFC 6026 corrections). INVITE: Calling (Timer A retransmits over
 * UDP, Timer B gives up: the TU gets a 408), Proceeding on a provisional, Completed on a final non-2xx (the ACK is
 * sent here and again for each retransmitted final; Timer D), Accepted on a 2xx (Timer M; further 2xx go to the TU,
 * whose ACK is its own). Non-INVITE: Trying (Timer E retransmits, Timer F gives up), Proceeding, Completed (Timer K).
 */
public final class ClientTransaction {
    public enum State { CALLING, TRYING, PROCEEDING, COMPLETED, ACCEPTED, TERMINATED }

    private final TransactionLayer layer;
    private final String key;
    private final SipRequest request;
    private final byte[] wire;
    private final Flow flow;
    private final boolean invite;
    private final Consumer<SipResponse> listener;
    private State state;
    private Duration interval;
    private Scheduler.Timer retransmit;
    private Scheduler.Timer timeout;
    private byte[] ack;

    ClientTransaction(TransactionLayer layer, String key, SipRequest request, Flow flow, Consumer<SipResponse> listener) {
        this.layer = layer;
        this.key = key;
        this.request = request;
        this.wire = request.encode();
        this.flow = flow;
        this.invite = request.method().equals("INVITE");
        this.listener = listener;
        this.state = invite ? State.CALLING : State.TRYING;
    }

    public SipRequest request() {
        return request;
    }

    public synchronized State state() {
        return state;
    }

    synchronized void start() {
        flow.send(wire);
        if (!flow.reliable()) {
            interval = layer.timers().t1();
            retransmit = layer.scheduler().schedule(interval, this::retransmit); // Timer A or E
        }
        timeout = layer.scheduler().schedule(layer.timers().sixtyFourT1(), this::timedOut); // Timer B or F
    }

    private synchronized void retransmit() {
        if (state != State.CALLING && state != State.TRYING && !(state == State.PROCEEDING && !invite)) {
            return;
        }
        flow.send(wire);
        // INVITE: doubling without bound (Timer A); non-INVITE: doubling up to T2, and T2 once proceeding (Timer E)
        interval = invite ? interval.multipliedBy(2) : state == State.PROCEEDING ? layer.timers().t2()
                : min(interval.multipliedBy(2), layer.timers().t2());
        retransmit = layer.scheduler().schedule(interval, this::retransmit);
    }

    private void timedOut() {
        boolean waiting;
        synchronized (this) {
            waiting = state == State.CALLING || state == State.TRYING || state == State.PROCEEDING && !invite;
            if (!waiting) {
                return;
            }
            terminate();
        }
        // the TU hears a 408 of the transaction's own (RFC 3261 §17.1.1.2, §17.1.2.2)
        listener.accept(io.telesignal.sip.message.SipResponses.to(request, 408, "Request Timeout", List.of()));
    }

    /** A response matched this transaction. */
    void received(SipResponse response) {
        int status = response.status();
        boolean pass;
        synchronized (this) {
            pass = switch (state) {
                case CALLING, TRYING, PROCEEDING -> {
                    if (status < 200) {
                        if (invite) {
                            cancel(retransmit);
                        }
                        state = State.PROCEEDING;
                    } else if (invite && status < 300) {
                        stopTimers();
                        state = State.ACCEPTED;
                        timeout = layer.scheduler().schedule(layer.timers().sixtyFourT1(), this::terminate); // Timer M
                    } else {
                        stopTimers();
                        state = State.COMPLETED;
                        if (invite) {
                            ack = ack(response).encode();
                            flow.send(ack);
                            timeout = layer.scheduler().schedule(layer.timers().timerD(flow.reliable()), this::terminate);
                        } else {
                            timeout = layer.scheduler().schedule(flow.reliable() ? Duration.ZERO : layer.timers().t4(),
                                    this::terminate); // Timer K
                        }
                    }
                    yield true;
                }
                case COMPLETED -> {
                    if (invite && ack != null) {
                        flow.send(ack); // a retransmitted final: the ACK again, nothing to the TU
                    }
                    yield false;
                }
                case ACCEPTED -> status >= 200 && status < 300; // retransmitted 2xx: the TU ACKs it
                case TERMINATED -> false;
            };
        }
        if (pass) {
            listener.accept(response);
        }
    }

    /** RFC 3261 §17.1.1.3: the ACK for a non-2xx final response, made by the transaction. */
    SipRequest ack(SipResponse response) {
        List<Header> headers = new ArrayList<>();
        boolean viaDone = false;
        for (Header h : request.headers()) {
            switch (h.name()) {
                case HeaderNames.VIA -> {
                    if (!viaDone) {
                        headers.add(new Header(HeaderNames.VIA, request.values(HeaderNames.VIA).get(0)));
                        viaDone = true;
                    }
                }
                case HeaderNames.FROM, HeaderNames.CALL_ID, HeaderNames.ROUTE, HeaderNames.MAX_FORWARDS -> headers.add(h);
                case HeaderNames.CSEQ -> headers.add(new Header(HeaderNames.CSEQ, request.cseq().number() + " ACK"));
                case HeaderNames.TO -> headers.add(new Header(HeaderNames.TO, response.first(HeaderNames.TO).orElse(h.value())));
                default -> { }
            }
        }
        return new SipRequest("ACK", request.uri(), headers, new byte[0]);
    }

    private void stopTimers() {
        cancel(retransmit);
        cancel(timeout);
    }

    synchronized void terminate() {
        if (state == State.TERMINATED) {
            return;
        }
        state = State.TERMINATED;
        stopTimers();
        layer.forget(key, this);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void cancel(Scheduler.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }
}
