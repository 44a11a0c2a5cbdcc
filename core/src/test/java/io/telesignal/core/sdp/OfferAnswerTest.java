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
        assertThatThrownBy(() -> offerAnswer.sent("c1", "b", "a", "answer", audioVideo)).isInstanceOf(SdpException.class);

        offer("c1", "a", "b", audioVideo);
        offerAnswer.forget("a");
        assertThatThrownBy(() -> offerAnswer.sent("c1", "b", "a", "answer", audioVideo)).isInstanceOf(SdpException.class);
    }

    @Test
    void aRollbackReceivedDropsTheOfferItsSenderMadeAndOnlyReceivedOffersCount() {
        offer("c1", "a", "b", audioVideo);
        // a rolls its offer back: b's node, where it was received, hears the rollback
        offerAnswer.received("c1", "a", "b", "rollback", null);
        assertThatThrownBy(() -> offerAnswer.sent("c1", "b", "a", "answer", audioVideo)).isInstanceOf(SdpException.class);

        // an offer sent from here to an endpoint of another node is remembered there, not here
        offerAnswer.sent("c1", "a", "b", "offer", audioVideo);
        assertThatThrownBy(() -> offerAnswer.sent("c1", "b", "a", "answer", audioVideo)).isInstanceOf(SdpException.class);
    }
}
