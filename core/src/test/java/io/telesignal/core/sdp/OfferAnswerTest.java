package io.telesignal.core.sdp;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OfferAnswerTest {
    private final SdpParser parser = new SdpParser(65536);
    private final OfferAnswer offerAnswer = new OfferAnswer();
    private final SessionDescription audioVideo = parser.parse(sdp("audio", "video"));

    private static String sdp(String... media) {
        StringBuilder text = new StringBuilder("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        for (String m : media) {
            text.append("m=").append(m).append(" 9 UDP/TLS/RTP/SAVPF 96\r\n");
        }
        return text.toString();
    }

    /** {@code from} offers {@code to}: checked where it is sent, remembered where it is received. */
    private void offer(String scope, String from, String to, SessionDescription description) {
        offerAnswer.sent(scope, from, to, "offer", description);
        offerAnswer.received(scope, from, to, "offer", description);
    }

    @Test
    void anAnswerMatchingTheOfferSettlesIt() {
        offer("c1", "a", "b", audioVideo);
        assertThatCode(() -> offerAnswer.sent("c1", "b", "a", "pranswer", audioVideo)).doesNotThrowAnyException();
        offerAnswer.sent("c1", "b", "a", "answer", audioVideo);
        assertThatThrownBy(() -> offerAnswer.sent("c1", "b", "a", "answer", audioVideo))
                .isInstanceOfSatisfying(SdpException.class, e -> assertThat(e.code()).isEqualTo("sdp_unexpected_answer"));
    }

    @Test
    void answersMustHaveTheOffersMLinesInOrder() {
        offer("c1", "a", "b", audioVideo);
        assertThatThrownBy(() -> offerAnswer.sent("c1", "b", "a", "answer", parser.parse(sdp("audio"))))
                .isInstanceOfSatisfying(SdpException.class, e -> assertThat(e.code()).isEqualTo("sdp_answer_mismatch"));
        assertThatThrownBy(() -> offerAnswer.sent("c1", "b", "a", "answer", parser.parse(sdp("video", "audio"))))
                .hasMessageContaining("m-line 1");
    }

    @Test
    void answersNeedAnOfferFromThatPeerInThatScope() {
        offer("c1", "a", "b", audioVideo);
        assertThatThrownBy(() -> offerAnswer.sent("c1", "a", "b", "answer", audioVideo)).isInstanceOf(SdpException.class);
        assertThatThrownBy(() -> offerAnswer.sent("c2", "b", "a", "answer", audioVideo)).isInstanceOf(SdpException.class);
        assertThatThrownBy(() -> offerAnswer.sent("c1", "x", "a", "answer", audioVideo)).isInstanceOf(SdpException.class);
    }

    @Test
    void rollbackAndLeavingDropOutstandingOffers() {
        offer("c1", "a", "b", audioVideo);
        offerAnswer.sent("c1", "b", "a", "rollback", null);
        offerAnswer.received("c1", "b", "a", "rollback", null);
        assertThatThrownBy(() -> offerAnswer.sent("c1", "b", "a", "answer", audioVideo)).isInstanceOf(SdpException.class);

        offer("c1", "a", "b", audioVideo);
        offerAnswer.forget("a");
        assertThatThrownBy(() -> offerAnswer.sent("c1", "b", "a", "answer", audioVideo)).isInstanceOf(SdpException.class);
    }

    @Test
    void aRollbackReceivedDropsTheOfferItsSenderMadeAndOnlyReceivedOffersCount() {
        offer("c1", "a", "b", audioVideo);
        // a rolls its offer back: b's node, where it was received, hears the rollback
        offerAnswer.sent("c1", "a", "b", "rollback", null);
        offerAnswer.received("c1", "a", "b", "rollback", null);
        assertThatThrownBy(() -> offerAnswer.sent("c1", "b", "a", "answer", audioVideo)).isInstanceOf(SdpException.class);

        // an offer sent from here to an endpoint of another node is remembered there, not here
        offerAnswer.sent("c1", "a", "b", "offer", audioVideo);
        assertThatThrownBy(() -> offerAnswer.sent("c1", "b", "a", "answer", audioVideo)).isInstanceOf(SdpException.class);
    }

    private static SessionDescription described(String... sections) {
        StringBuilder text = new StringBuilder("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        for (String section : sections) {
            text.append(section);
        }
        return new SdpParser(65536).parse(text.toString());
    }

    private static String audio(int port, String direction, String... codecs) {
        StringBuilder m = new StringBuilder("m=audio " + port + " UDP/TLS/RTP/SAVPF");
        for (int i = 0; i < codecs.length; i++) {
            m.append(' ').append(96 + i);
        }
        m.append("\r\n");
        for (int i = 0; i < codecs.length; i++) {
            m.append("a=rtpmap:").append(96 + i).append(' ').append(codecs[i]).append("/48000\r\n");
        }
        if (direction != null) {
            m.append("a=").append(direction).append("\r\n");
        }
        return m.toString();
    }

    private static String code(Runnable answer) {
        try {
            answer.run();
            return "accepted";
        } catch (SdpException e) {
            return e.code();
        }
    }

    @Test
    void aStreamTheOfferRejectedStaysRejectedAndTheAnswerMayRejectAny() {
        offer("c1", "a", "b", described(audio(9, null, "opus"), audio(0, null, "opus")));
        assertThat(code(() -> offerAnswer.sent("c1", "b", "a", "answer",
                described(audio(9, null, "opus"), audio(9, null, "opus"))))).isEqualTo("sdp_rejected_stream");
        assertThat(code(() -> offerAnswer.sent("c1", "b", "a", "answer",
                described(audio(0, "sendonly", "g722"), audio(0, null, "opus"))))).as("a rejected stream is not checked further")
                .isEqualTo("accepted");
    }

    @Test
    void directionsFollowRfc3264Section61() {
        String[][] cases = {
            {"sendonly", "recvonly", "accepted"}, {"sendonly", "inactive", "accepted"}, {"sendonly", "sendrecv", "sdp_direction_mismatch"},
            {"sendonly", "sendonly", "sdp_direction_mismatch"}, {"recvonly", "sendonly", "accepted"}, {"recvonly", null, "sdp_direction_mismatch"},
            {"inactive", "inactive", "accepted"}, {"inactive", "recvonly", "sdp_direction_mismatch"}, {null, "sendonly", "accepted"},
            {"sendrecv", "inactive", "accepted"}};
        for (String[] c : cases) {
            OfferAnswer fresh = new OfferAnswer();
            SessionDescription o = described(audio(9, c[0], "opus"));
            fresh.sent("c1", "a", "b", "offer", o);
            fresh.received("c1", "a", "b", "offer", o);
            assertThat(code(() -> fresh.sent("c1", "b", "a", "answer", described(audio(9, c[1], "opus")))))
                    .as(c[0] + " answered " + c[1]).isEqualTo(c[2]);
        }
        // a session-level direction is every section's default (RFC 8866 §6.7)
        OfferAnswer fresh = new OfferAnswer();
        SessionDescription sessionSendonly = described("a=sendonly\r\n", audio(9, null, "opus"));
        fresh.received("c1", "a", "b", "offer", sessionSendonly);
        assertThat(code(() -> fresh.sent("c1", "b", "a", "answer", described(audio(9, "sendrecv", "opus")))))
                .isEqualTo("sdp_direction_mismatch");
    }

    @Test
    void anAnswerNamesOnlyCodecsTheOfferOffered() {
        offer("c1", "a", "b", described(audio(9, null, "opus", "telephone-event")));
        assertThat(code(() -> offerAnswer.sent("c1", "b", "a", "pranswer", described(audio(9, null, "OPUS")))))
                .isEqualTo("accepted");
        assertThat(code(() -> offerAnswer.sent("c1", "b", "a", "answer", described(audio(9, null, "opus", "g722")))))
                .isEqualTo("sdp_codec_mismatch");
    }

    @Test
    void aSessionThatMovedHereMayResendAnOfferItsOldNodeRelayed() {
        // a's session came from a node that died: it resends its unacknowledged offer after b's answer to the first
        // copy had reached it already; the resend is let through, and so is its next offer
        offerAnswer.unknown("a");
        assertThatCode(() -> offerAnswer.sent("c1", "a", "b", "offer", audioVideo)).doesNotThrowAnyException();
        assertThatCode(() -> offerAnswer.sent("c1", "a", "b", "offer", audioVideo)).doesNotThrowAnyException();
        // another endpoint is held to the rule as before
        offer("c1", "c", "b", audioVideo);
        assertThat(code(() -> offerAnswer.sent("c1", "c", "b", "offer", audioVideo))).isEqualTo("sdp_offer_outstanding");
    }

    @Test
    void anEndpointDoesNotOfferAgainWhileItsOfferIsUnansweredButGlareIsRelayedAndSettles() {
        offer("c1", "a", "b", audioVideo);
        assertThat(code(() -> offerAnswer.sent("c1", "a", "b", "offer", audioVideo))).isEqualTo("sdp_offer_outstanding");
        // glare: b offers too, at the same moment; relayed both ways
        offer("c1", "b", "a", audioVideo);
        // a is polite: it answers b's offer (rolling its own back); b, the other end, ignored a's offer
        offerAnswer.sent("c1", "a", "b", "answer", audioVideo);
        offerAnswer.received("c1", "a", "b", "answer", audioVideo);
        // both may offer again: a's own offer went with its answer, b's was answered
        assertThat(code(() -> offerAnswer.sent("c1", "b", "a", "offer", audioVideo))).isEqualTo("accepted");
        assertThat(code(() -> offerAnswer.sent("c1", "a", "b", "offer", audioVideo))).isEqualTo("accepted");
    }
}
