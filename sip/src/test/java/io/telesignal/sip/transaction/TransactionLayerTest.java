package io.telesignal.sip.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.sip.message.SipLimits;
import io.telesignal.sip.message.SipMessage;
import io.telesignal.sip.message.SipParser;
import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipResponse;
import io.telesignal.sip.message.SipResponses;
import io.telesignal.sip.transport.Flow;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 3261 §17 (with RFC 6026) on a virtual clock: every timer fires when the RFC says, nothing sleeps. */
class TransactionLayerTest {
    private final SipParser parser = new SipParser(SipLimits.DEFAULTS);
    private final VirtualScheduler clock = new VirtualScheduler();
    private final List<String> events = new ArrayList<>();
    private final List<ServerTransaction> requests = new ArrayList<>();
    private final TransactionUser user = new TransactionUser() {
        @Override
        public void request(ServerTransaction transaction, SipRequest request) {
            requests.add(transaction);
            events.add("request " + request.method());
        }

        @Override
        public void ackFor2xx(SipRequest ack, Flow flow) {
            events.add("ack2xx");
        }

        @Override
        public void cancelled(ServerTransaction invite) {
            events.add("cancelled");
        }

        @Override
        public void noAck(ServerTransaction transaction) {
            events.add("noAck");
        }
    };
    private final TransactionLayer layer = new TransactionLayer(clock, TimerSettings.DEFAULTS, user);

    /** A flow that records what is sent over it, with the virtual time. */
    private final class Recorder implements Flow {
        final boolean reliable;
        final List<String> sent = new ArrayList<>();
        final List<Long> at = new ArrayList<>();

        Recorder(boolean reliable) {
            this.reliable = reliable;
        }

        @Override
        public String transport() {
            return reliable ? "TCP" : "UDP";
        }

        @Override
        public InetSocketAddress remote() {
            return new InetSocketAddress("192.0.2.1", 5060);
        }

        @Override
        public boolean reliable() {
            return reliable;
        }

        @Override
        public void send(byte[] message) {
            SipMessage m = parser.parseDatagram(message);
            sent.add(m instanceof SipResponse r ? String.valueOf(r.status()) : ((SipRequest) m).method());
            at.add(clock.now());
        }
    }

    private SipRequest request(String method, String branch) {
        String text = method + " sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=" + branch + "\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:bob@example.com>\r\nFrom: <sip:alice@example.com>;tag=a\r\n"
                + "Call-ID: call-1\r\nCSeq: 1 " + method + "\r\nContent-Length: 0\r\n\r\n";
        return (SipRequest) parser.parseDatagram(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aNonInviteServerTransactionAnswersRetransmissionsWithItsLastResponseUntilTimerJ() {
        Recorder flow = new Recorder(false);
        layer.request(request("OPTIONS", "z9hG4bK1"), flow);
        layer.request(request("OPTIONS", "z9hG4bK1"), flow); // Trying: discarded
        assertThat(events).containsExactly("request OPTIONS");
        assertThat(flow.sent).isEmpty();
        requests.get(0).respond(200, "OK", List.of());
        layer.request(request("OPTIONS", "z9hG4bK1"), flow);
        assertThat(flow.sent).containsExactly("200", "200");
        // final: the transaction keeps only its answer, and a later response from the TU is not sent
        assertThat(requests.get(0).request()).isNull();
        assertThat(requests.get(0).method()).isEqualTo("OPTIONS");
        requests.get(0).respond(500, "Server Internal Error", List.of());
        assertThat(flow.sent).containsExactly("200", "200");
        clock.advance(Duration.ofMillis(31_999));
        assertThat(layer.serverTransactions()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        assertThat(layer.serverTransactions()).as("Timer J: 64*T1").isZero();
        layer.request(request("OPTIONS", "z9hG4bK1"), flow);
        assertThat(events).containsExactly("request OPTIONS", "request OPTIONS");
    }

    @Test
    void anInviteRejectedIsRetransmittedOnTimerGUntilTheAckThenTimerIEndsIt() {
        Recorder flow = new Recorder(false);
        layer.request(request("INVITE", "z9hG4bK2"), flow);
        assertThat(flow.sent).containsExactly("100");
        layer.request(request("INVITE", "z9hG4bK2"), flow);
        assertThat(flow.sent).as("a retransmission gets the last provisional").containsExactly("100", "100");
        requests.get(0).respond(486, "Busy Here", List.of());
        clock.advance(Duration.ofMillis(7_600)); // G: 0.5, 1, 2, 4 (=T2) s after each other
        assertThat(flow.at.subList(3, flow.sent.size())).containsExactly(500L, 1_500L, 3_500L, 7_500L);
        layer.request(request("ACK", "z9hG4bK2"), flow);
        assertThat(requests.get(0).state()).isEqualTo(ServerTransaction.State.CONFIRMED);
        int sent = flow.sent.size();
        clock.advance(Duration.ofSeconds(4));
        assertThat(flow.sent).as("no more after the ACK").hasSize(sent);
        clock.advance(Duration.ofSeconds(1));
        assertThat(layer.serverTransactions()).as("Timer I: T4").isZero();
        assertThat(events).containsExactly("request INVITE");
    }

    @Test
    void anInviteRejectedAndNeverAckedEndsOnTimerH() {
        Recorder flow = new Recorder(true);
        layer.request(request("INVITE", "z9hG4bK3"), flow);
        requests.get(0).respond(603, "Decline", List.of());
        clock.advance(Duration.ofSeconds(31));
        assertThat(flow.sent).as("no Timer G over a reliable transport").containsExactly("100", "603");
        clock.advance(Duration.ofSeconds(1));
        assertThat(events).containsExactly("request INVITE", "noAck");
        assertThat(layer.serverTransactions()).isZero();
    }

    @Test
    void anInviteAcceptedAbsorbsRetransmissionsAndPassesTheAckUp() {
        Recorder flow = new Recorder(false);
        layer.request(request("INVITE", "z9hG4bK4"), flow);
        requests.get(0).respond(200, "OK", List.of());
        assertThat(requests.get(0).state()).isEqualTo(ServerTransaction.State.ACCEPTED);
        layer.request(request("INVITE", "z9hG4bK4"), flow);
        assertThat(flow.sent).as("absorbed in Accepted (RFC 6026)").containsExactly("100", "200");
        requests.get(0).respond(200, "OK", List.of()); // the TU retransmits its 2xx
        layer.request(request("ACK", "z9hG4bK4"), flow);
        assertThat(events).containsExactly("request INVITE", "ack2xx");
        clock.advance(Duration.ofSeconds(32));
        assertThat(layer.serverTransactions()).as("Timer L").isZero();
        layer.request(request("ACK", "z9hG4bK4"), flow);
        assertThat(events).as("an ACK after it: still the TU's").endsWith("ack2xx");
    }

    @Test
    void aCancelIsAnsweredAndReachesTheInvitesUser() {
        Recorder flow = new Recorder(false);
        layer.request(request("INVITE", "z9hG4bK5"), flow);
        layer.request(request("CANCEL", "z9hG4bK5"), flow);
        layer.request(request("CANCEL", "z9hG4bK6"), flow);
        assertThat(flow.sent).containsExactly("100", "200", "481");
        assertThat(events).containsExactly("request INVITE", "cancelled");
    }

    @Test
    void aNonInviteClientRetransmitsOnTimerEUpToT2AndGetsA408OnTimerF() {
        Recorder flow = new Recorder(false);
        List<Integer> got = new ArrayList<>();
        layer.send(request("OPTIONS", "z9hG4bKc1"), flow, r -> got.add(r.status()));
        clock.advance(Duration.ofSeconds(32));
        assertThat(flow.at.subList(0, 7)).containsExactly(0L, 500L, 1_500L, 3_500L, 7_500L, 11_500L, 15_500L);
        assertThat(got).containsExactly(408);
        assertThat(layer.clientTransactions()).isZero();
    }

    @Test
    void aNonInviteClientHearsItsFinalResponseOnce() {
        Recorder flow = new Recorder(false);
        List<Integer> got = new ArrayList<>();
        SipRequest options = request("OPTIONS", "z9hG4bKc2");
        layer.send(options, flow, r -> got.add(r.status()));
        SipResponse ok = SipResponses.to(options, 200, "OK", List.of());
        layer.response(ok, flow);
        layer.response(ok, flow);
        assertThat(got).containsExactly(200);
        clock.advance(Duration.ofSeconds(5));
        assertThat(layer.clientTransactions()).as("Timer K: T4").isZero();
        assertThat(flow.sent).containsExactly("OPTIONS");
    }

    @Test
    void anInviteClientAcksAFailureItselfAndPassesEach2xxUp() {
        Recorder flow = new Recorder(false);
        List<Integer> got = new ArrayList<>();
        SipRequest invite = request("INVITE", "z9hG4bKc3");
        layer.send(invite, flow, r -> got.add(r.status()));
        clock.advance(Duration.ofMillis(1_600));
        assertThat(flow.at).as("Timer A doubles").containsExactly(0L, 500L, 1_500L);
        layer.response(SipResponses.to(invite, 180, "Ringing", List.of()), flow);
        clock.advance(Duration.ofSeconds(10));
        assertThat(flow.sent).as("no retransmission once proceeding").hasSize(3);
        SipResponse busy = SipResponses.to(invite, 486, "Busy Here", List.of());
        layer.response(busy, flow);
        layer.response(busy, flow);
        assertThat(flow.sent).endsWith("ACK", "ACK");
        assertThat(got).containsExactly(180, 486);
        clock.advance(Duration.ofSeconds(32));
        assertThat(layer.clientTransactions()).as("Timer D").isZero();

        SipRequest second = request("INVITE", "z9hG4bKc4");
        layer.send(second, flow, r -> got.add(r.status()));
        SipResponse ok = SipResponses.to(second, 200, "OK", List.of());
        layer.response(ok, flow);
        layer.response(ok, flow);
        assertThat(got).as("each 2xx to the TU (RFC 6026)").endsWith(200, 200);
        clock.advance(Duration.ofSeconds(32));
        assertThat(layer.clientTransactions()).as("Timer M").isZero();
    }

    @Test
    void theAckOfAFailureFollowsRfc3261Section17113() {
        Recorder flow = new Recorder(false);
        SipRequest invite = request("INVITE", "z9hG4bKc5");
        ClientTransaction transaction = layer.send(invite, flow, r -> { });
        SipResponse busy = SipResponses.to(invite, 486, "Busy Here", List.of());
        SipRequest ack = transaction.ack(busy);
        assertThat(ack.uri()).isEqualTo(invite.uri());
        assertThat(ack.vias()).hasSize(1);
        assertThat(ack.vias().get(0).branch()).contains("z9hG4bKc5");
        assertThat(ack.cseq().method()).isEqualTo("ACK");
        assertThat(ack.cseq().number()).isEqualTo(invite.cseq().number());
        assertThat(ack.to().tag()).isEqualTo(busy.to().tag());
        assertThat(ack.callId()).isEqualTo(invite.callId());
    }
}
