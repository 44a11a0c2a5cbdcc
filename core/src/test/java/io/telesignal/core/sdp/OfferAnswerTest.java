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

    @Test
    void anAnswerMatchingTheOfferSettlesIt() {
        offerAnswer.described("c1", "a", "b", "offer", audioVideo);
        assertThatCode(() -> offerAnswer.described("c1", "b", "a", "pranswer", audioVideo)).doesNotThrowAnyException();
        offerAnswer.described("c1", "b", "a", "answer", audioVideo);
        assertThatThrownBy(() -> offerAnswer.described("c1", "b", "a", "answer", audioVideo))
                .isInstanceOfSatisfying(SdpException.class, e -> assertThat(e.code()).isEqualTo("sdp_unexpected_answer"));
    }

    @Test
    void answersMustHaveTheOffersMLinesInOrder() {
        offerAnswer.described("c1", "a", "b", "offer", audioVideo);
        assertThatThrownBy(() -> offerAnswer.described("c1", "b", "a", "answer", parser.parse(sdp("audio"))))
                .isInstanceOfSatisfying(SdpException.class, e -> assertThat(e.code()).isEqualTo("sdp_answer_mismatch"));
        assertThatThrownBy(() -> offerAnswer.described("c1", "b", "a", "answer", parser.parse(sdp("video", "audio"))))
                .hasMessageContaining("m-line 1");
    }

    @Test
    void answersNeedAnOfferFromThatPeerInThatScope() {
        offerAnswer.described("c1", "a", "b", "offer", audioVideo);
        assertThatThrownBy(() -> offerAnswer.described("c1", "a", "b", "answer", audioVideo)).isInstanceOf(SdpException.class);
        assertThatThrownBy(() -> offerAnswer.described("c2", "b", "a", "answer", audioVideo)).isInstanceOf(SdpException.class);
        assertThatThrownBy(() -> offerAnswer.described("c1", "x", "a", "answer", audioVideo)).isInstanceOf(SdpException.class);
    }

    @Test
    void rollbackAndLeavingDropOutstandingOffers() {
        offerAnswer.described("c1", "a", "b", "offer", audioVideo);
        offerAnswer.described("c1", "b", "a", "rollback", null);
        assertThatThrownBy(() -> offerAnswer.described("c1", "b", "a", "answer", audioVideo)).isInstanceOf(SdpException.class);

        offerAnswer.described("c1", "a", "b", "offer", audioVideo);
        offerAnswer.forget("a");
        assertThatThrownBy(() -> offerAnswer.described("c1", "b", "a", "answer", audioVideo)).isInstanceOf(SdpException.class);
    }
}
