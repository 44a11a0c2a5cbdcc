package io.telesignal.sip.transaction;

import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipResponse;
import io.telesignal.sip.message.SipResponses;
import io.telesignal.sip.transport.Flow;
import java.time.Duration;
import java.util.List;

/**
 * A server transaction (RFC 3261 §17.2 with the RFC 6026 corrections). INVITE: Proceeding, then Completed on a final
 * non-2xx (Timer G retransmits it over UDP, Timer H gives up waiting for the ACK), Confirmed on the ACK (Timer I), or
 * Accepted on a 2xx (Timer L; retransmitted INVITEs are absorbed there, the ACK goes to the TU). Non-INVITE: Trying,
 * Proceeding, Completed (Timer J). A retransmitted request is answered with the last response sent, never passed up.
 */
public final class ServerTransaction {
    public enum State { TRYING, PROCEEDING, COMPLETED, CONFIRMED, ACCEPTED, TERMINATED }

    private final TransactionLayer layer;
    private final String key;
    /** The request until a final response went: a finished transaction keeps only what it answers retransmissions with. */
    private SipRequest request;
    private final String method;
    private final Flow flow;
    private final boolean invite;
    private State state;
    private byte[] lastResponse;
    private int lastStatus;
    private Duration gInterval;
    private Scheduler.Timer timerG;
    private Scheduler.Timer timerEnd;

    ServerTransaction(TransactionLayer layer, String key, SipRequest request, Flow flow) {
        this.layer = layer;
        this.key = key;
        this.request = request;
        this.method = request.method();
        this.flow = flow;
        this.invite = request.method().equals("INVITE");
        this.state = invite ? State.PROCEEDING : State.TRYING;
    }

    /** The request; null once a final response went (a finished transaction holds its answer, not its request). */
    public synchronized SipRequest request() {
        return request;
    }

    public String method() {
        return method;
    }

    public Flow flow() {
        return flow;
    }

    public synchronized State state() {
        return state;
    }

    /** The status of the last response sent, 0 before any. */
    public synchronized int lastStatus() {
        return lastStatus;
    }

    /** Sends a response to the request, as the TU decides; sent only in a state that allows it. */
    public synchronized void respond(SipResponse response) {
        int status = response.status();
        switch (state) {
            case TRYING, PROCEEDING -> {
                send(response);
                if (status < 200) {
                    state = State.PROCEEDING;
                } else if (invite && status < 300) {
                    state = State.ACCEPTED;
                    timerEnd = layer.scheduler().schedule(layer.timers().sixtyFourT1(), this::terminate); // Timer L
                } else if (invite) {
                    state = State.COMPLETED;
                    if (!flow.reliable()) {
                        gInterval = layer.timers().t1();
                        timerG = layer.scheduler().schedule(gInterval, this::retransmitFinal);
                    }
                    timerEnd = layer.scheduler().schedule(layer.timers().sixtyFourT1(), this::noAck); // Timer H
                } else {
                    state = State.COMPLETED;
                    timerEnd = layer.scheduler().schedule(flow.reliable() ? Duration.ZERO
                            : layer.timers().sixtyFourT1(), this::terminate); // Timer J
                }
            }
            case ACCEPTED -> {
                if (status >= 200 && status < 300) {
                    send(response); // the TU retransmits its 2xx (RFC 6026 §7.1)
                }
            }
            default -> { } // final already: nothing more may be sent
        }
    }

    /** A response built from the request (Via, From, To with a tag, Call-ID, CSeq) and sent; nothing once final. */
    public void respond(int status, String reason, List<io.telesignal.sip.message.Header> extra) {
        SipRequest answered;
        synchronized (this) {
            answered = request;
        }
        if (answered != null) {
            respond(SipResponses.to(answered, status, reason, extra));
        }
    }

    private void send(SipResponse response) {
        lastResponse = response.encode();
        lastStatus = response.status();
        if (lastStatus >= 200) {
            request = null; // up to 32 s more of absorbing retransmissions: only the answer is needed for that
        }
        flow.send(lastResponse);
    }

    /** The same request again (a retransmission), or for an INVITE transaction its ACK. */
    synchronized void retransmitted(SipRequest again) {
        if (again.method().equals("ACK")) {
            if (state == State.COMPLETED) {
                state = State.CONFIRMED;
                cancel(timerG);
                cancel(timerEnd);
                timerEnd = layer.scheduler().schedule(flow.reliable() ? Duration.ZERO : layer.timers().t4(),
                        this::terminate); // Timer I
            } else if (state == State.ACCEPTED) {
                layer.user().ackFor2xx(again, flow);
            }
            return;
        }
        if (state == State.PROCEEDING || state == State.COMPLETED) {
            if (lastResponse != null) {
                flow.send(lastResponse);
            }
        }
        // TRYING: discarded (§17.2.2); ACCEPTED: absorbed (RFC 6026 §7.1)
    }

    private synchronized void retransmitFinal() {
        if (state != State.COMPLETED) {
            return;
        }
        flow.send(lastResponse);
        gInterval = gInterval.multipliedBy(2).compareTo(layer.timers().t2()) > 0 ? layer.timers().t2()
                : gInterval.multipliedBy(2);
        timerG = layer.scheduler().schedule(gInterval, this::retransmitFinal);
    }

    private void noAck() {
        boolean wasCompleted;
        synchronized (this) {
            wasCompleted = state == State.COMPLETED;
        }
        terminate();
        if (wasCompleted) {
            layer.user().noAck(this);
        }
    }

    synchronized void terminate() {
        if (state == State.TERMINATED) {
            return;
        }
        state = State.TERMINATED;
        cancel(timerG);
        cancel(timerEnd);
        layer.forget(key, this);
    }

    private static void cancel(Scheduler.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }
}
