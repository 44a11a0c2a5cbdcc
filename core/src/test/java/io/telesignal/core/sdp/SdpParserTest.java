package io.telesignal.core.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SdpParserTest {
    /** RFC 8866 §5, the example session description. */
    static final String RFC_EXAMPLE = """
            v=0\r
            o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1\r
            s=Call to John Smith\r
            i=SDP Offer #1\r
            u=http://www.jdoe.example.com/home.html\r
            e=Jane Doe <jane@jdoe.example.com>\r
            p=+1 617 555-6011\r
            c=IN IP4 198.51.100.1\r
            t=0 0\r
            m=audio 49170 RTP/AVP 0\r
            m=audio 49180 RTP/AVP 0\r
            m=video 51372 RTP/AVP 99\r
            c=IN IP6 2001:db8::2\r
            a=rtpmap:99 h263-1998/90000\r
            """;

    /** Shaped like a browser's offer (RFC 8829), trimmed. */
    static final String WEBRTC_OFFER = """
            v=0
            o=- 4611731400430051336 2 IN IP4 127.0.0.1
            s=-
            t=0 0
            a=group:BUNDLE 0 1
            a=msid-semantic: WMS
            m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=ice-ufrag:EsAw
            a=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1
            a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F
            a=setup:actpass
            a=mid:0
            a=sendrecv
            a=rtcp-mux
            a=rtpmap:111 opus/48000/2
            a=rtpmap:63 red/48000/2
            a=rtpmap:126 telephone-event/8000
            m=video 9 UDP/TLS/RTP/SAVPF 96 97
            c=IN IP4 0.0.0.0
            a=mid:1
            a=rtpmap:96 VP8/90000
            a=rtpmap:97 rtx/90000
            a=fmtp:97 apt=96
            """;

    private final SdpParser parser = new SdpParser(65536);

    @Test
    void parsesTheRfcExample() {
        SessionDescription sdp = parser.parse(RFC_EXAMPLE);
        assertThat(sdp.origin().username()).isEqualTo("jdoe");
        assertThat(sdp.origin().address()).isEqualTo("198.51.100.1");
        assertThat(sdp.media()).extracting(SessionDescription.Media::type).containsExactly("audio", "audio", "video");
        assertThat(sdp.media().get(2).port()).isEqualTo(51372);
        assertThat(sdp.media().get(2).codecs()).containsExactly("h263-1998");
    }

    @Test
    void parsesABrowserOfferWithBareNewlines() {
        SessionDescription sdp = parser.parse(WEBRTC_OFFER);
        assertThat(sdp.attributes()).extracting(SessionDescription.Attribute::name).contains("group", "msid-semantic");
        assertThat(sdp.media().get(0).protocol()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(sdp.media().get(0).formats()).containsExactly("111", "63", "9", "0", "8", "13", "110", "126");
        // 9, 0, 8 and 13 are static payload types (RFC 3551), named without an rtpmap; 110 is dynamic with none
        assertThat(sdp.media().get(0).codecs()).containsExactly("opus", "red", "g722", "pcmu", "pcma", "cn",
                "telephone-event");
        assertThat(sdp.media().get(1).codecs()).containsExactly("vp8", "rtx");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "v=1\\no=- 1 1 IN IP4 0.0.0.0\\ns=-\\nt=0 0\\n|1",
        "o=- 1 1 IN IP4 0.0.0.0\\nv=0\\ns=-\\nt=0 0\\n|1",
        "v=0\\no=- x 1 IN IP4 0.0.0.0\\ns=-\\nt=0 0\\n|2",
        "v=0\\no=- 1 1 IN IP4 0.0.0.0\\ns=-\\n|4",
        "v=0\\no=- 1 1 IN IP4 0.0.0.0\\ns=-\\nt=0 0\\nx=what\\n|5",
        "v=0\\no=- 1 1 IN IP4 0.0.0.0\\ns=-\\nt=0 0\\nm=audio\\n|5",
        "v=0\\no=- 1 1 IN IP4 0.0.0.0\\ns=-\\nt=0 0\\nm=audio 99999 RTP/AVP 0\\n|5",
        "v=0\\no=- 1 1 IN IP4 0.0.0.0\\ns=-\\nt=0 0\\nm=audio 9 RTP/AVP 0\\nt=0 0\\n|6",
        "v=0\\no=- 1 1 IN IP4 0.0.0.0\\ns=-\\nt=0 0\\na=\\n|5",
        "garbage|1",
    })
    void malformedSdpNamesTheLine(String escaped, int line) {
        String sdp = escaped.replace("\\n", "\n");
        assertThatThrownBy(() -> parser.parse(sdp))
                .isInstanceOfSatisfying(SdpException.class, e -> {
                    assertThat(e.code()).isEqualTo("sdp_invalid");
                    assertThat(e.getMessage()).startsWith("line " + line + ":");
                });
    }

    @Test
    void aTrailingBlankLineIsTolerated() {
        String ended = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\n";
        assertThat(parser.parse(ended + "\r\n").media()).hasSize(1);
        assertThat(parser.parse(ended + "\n\n").media()).hasSize(1);
        // a blank line in the middle is still not a line
        assertThatThrownBy(() -> parser.parse(ended.replace("s=-\r\n", "s=-\r\n\r\n")))
                .isInstanceOfSatisfying(SdpException.class, e -> assertThat(e.getMessage()).startsWith("line 4:"));
    }

    @Test
    void thousandsOfFormatsOnOneMLineAreParsedWithoutRecursion() {
        StringBuilder many = new StringBuilder("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP");
        for (int pt = 0; pt < 20_000; pt++) {
            many.append(' ').append(pt % 128);
        }
        many.append("\r\n");
        assertThat(new SdpParser(1 << 20).parse(many.toString()).media().get(0).formats()).hasSize(20_000);
        for (String bad : new String[] {"m=audio 9 RTP/AVP 0  8", "m=audio 9 RTP/AVP 0 ", "m=audio 9 RTP/AVP (0)"}) {
            assertThatThrownBy(() -> parser.parse("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n" + bad + "\n"))
                    .as(bad).isInstanceOfSatisfying(SdpException.class, e -> assertThat(e.code()).isEqualTo("sdp_invalid"));
        }
    }

    @Test
    void sizeIsCheckedFirst() {
        assertThatThrownBy(() -> new SdpParser(100).parse(WEBRTC_OFFER))
                .isInstanceOfSatisfying(SdpException.class, e -> assertThat(e.code()).isEqualTo("sdp_too_large"));
    }

    @Test
    void theSizeLimitCountsUtf8BytesNotCharacters() {
        // "s=" with 40 two-byte characters: 80 bytes but 40 characters
        String wide = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=" + "\u00e9".repeat(40) + "\r\nt=0 0\r\n";
        int bytes = wide.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        assertThat(new SdpParser(bytes).parse(wide).sessionName()).hasSize(40);
        assertThatThrownBy(() -> new SdpParser(bytes - 1).parse(wide))
                .isInstanceOfSatisfying(SdpException.class, e -> assertThat(e.code()).isEqualTo("sdp_too_large"));
        String emoji = "\ud83d\ude00".repeat(10); // 4 bytes each as UTF-8, 2 chars
        assertThat(SdpParser.utf8Exceeds(emoji, 40)).isFalse();
        assertThat(SdpParser.utf8Exceeds(emoji, 39)).isTrue();
        assertThat(SdpParser.utf8Exceeds("a\u0800", 4)).isFalse();
        assertThat(SdpParser.utf8Exceeds("a\u0800", 3)).isTrue();
    }

    @Test
    void commonAndUncommonAttributeNamesAreReadAlike() {
        SessionDescription offer = parser.parse(WEBRTC_OFFER.replace("a=rtcp-mux\n", "a=rtcp-mux\na=x-custom:1\na=rtcp:9\n"));
        var names = offer.media().get(0).attributes().stream().map(SessionDescription.Attribute::name).toList();
        assertThat(names).contains("rtcp-mux", "x-custom", "rtcp", "rtpmap", "mid");
        assertThat(offer.media().get(0).attributes().stream().filter(a -> a.name().equals("x-custom")).findFirst()
                .orElseThrow().value()).contains("1");
        assertThatThrownBy(() -> parser.parse(WEBRTC_OFFER.replace("a=rtcp-mux\n", "a=rtc(p:1\n")))
                .isInstanceOfSatisfying(SdpException.class, e -> assertThat(e.code()).isEqualTo("sdp_invalid"));
    }

    @Test
    void codecPolicyRefusesSectionsWithoutAnAllowedCodec() {
        SessionDescription offer = parser.parse(WEBRTC_OFFER);
        new CodecPolicy(Set.of("opus", "VP8")).check(offer);
        CodecPolicy.any().check(offer);
        assertThatThrownBy(() -> new CodecPolicy(Set.of("opus", "h264")).check(offer))
                .isInstanceOfSatisfying(SdpException.class, e -> {
                    assertThat(e.code()).isEqualTo("sdp_codec_not_allowed");
                    assertThat(e.getMessage()).isEqualTo("the video section (m-line 2) offers no allowed codec");
                });
        // helpers alone do not satisfy the policy
        assertThatThrownBy(() -> new CodecPolicy(Set.of("red", "vp8")).check(offer)).isInstanceOf(SdpException.class);
    }

    @Test
    void codecPolicyKnowsStaticPayloadTypesAndDtmfOnlySections() {
        // a pjproject-based gateway: PCMU and PCMA by payload type alone, DTMF by rtpmap
        SessionDescription gateway = parser.parse("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=pjmedia\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\n");
        assertThat(gateway.media().get(0).codecs()).containsExactly("pcmu", "pcma", "telephone-event");
        new CodecPolicy(Set.of("opus", "pcmu")).check(gateway);
        assertThatThrownBy(() -> new CodecPolicy(Set.of("opus", "telephone-event")).check(gateway))
                .as("a helper does not make a section with codecs pass").isInstanceOf(SdpException.class);

        SessionDescription dtmfOnly = parser.parse("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 101\r\na=rtpmap:101 telephone-event/8000\r\n");
        new CodecPolicy(Set.of("opus", "telephone-event")).check(dtmfOnly);
        assertThatThrownBy(() -> new CodecPolicy(Set.of("opus")).check(dtmfOnly)).isInstanceOf(SdpException.class);

        // formats of a profile that is not RTP are not payload types
        SessionDescription data = parser.parse("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n");
        assertThat(data.media().get(0).codecs()).isEmpty();
    }

    @Test
    void whatIsReadFromTheTextOnDemandIsWhatTheLinesSay() {
        SessionDescription sdp = parser.parse("v=0\r\no=alice 42 7 IN IP6 2001:db8::1\r\ns=Consult\r\nt=0 0\r\n"
                + "a=recvonly\r\na=group:BUNDLE 0\r\n"
                + "m=audio 49170/2 RTP/AVP 96 0 97 00 98 35 120 096 12345678\r\n"
                + "a=rtpmap:96 OPUS/48000/2\r\na=rtpmap:96 pcmu/8000\r\n" // the first rtpmap of a payload type counts
                + "a=rtpmap:97 X-Vendor\r\n" // no clock rate: the name runs to the line's end
                + "a=rtpmap:98\r\na=rtpmap: speex/8000\r\n" // no name, no payload type: neither names a codec
                + "a=rtpmap:120 ÉCODEC/8000\r\n" // not a common name: lower-cased as any string is
                + "a=rtpmap:12345678 LongPT/1\r\n" // longer than a payload type is compared quickly: still found
                + "a=x-flag\r\na=x-kv:a:b\r\n"
                + "m=video 0 RTP/AVPF 99\r\na=sendonly\r\n");
        assertThat(sdp.origin()).isEqualTo(new SessionDescription.Origin("alice", "42", "7", "IN", "IP6", "2001:db8::1"));
        assertThat(sdp.sessionName()).isEqualTo("Consult");
        assertThat(sdp.attributes()).containsExactly(new SessionDescription.Attribute("recvonly", java.util.Optional.empty()),
                new SessionDescription.Attribute("group", java.util.Optional.of("BUNDLE 0")));
        SessionDescription.Media audio = sdp.media().get(0);
        assertThat(audio.port()).isEqualTo(49170);
        assertThat(audio.formats()).containsExactly("96", "0", "97", "00", "98", "35", "120", "096", "12345678");
        // "00" and "35" are no static payload types, "096" is not "96"; 98 has an rtpmap with no name after its number
        assertThat(audio.codecs()).containsExactly("opus", "pcmu", "x-vendor", "écodec", "longpt");
        // read once (the codec policy and the offer/answer check both ask), and not to be changed by either
        assertThat(audio.codecs()).isSameAs(audio.codecs());
        assertThatThrownBy(() -> audio.codecs().add("vp8")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(audio.attributes()).hasSize(9).last()
                .isEqualTo(new SessionDescription.Attribute("x-kv", java.util.Optional.of("a:b")));
        assertThat(audio.attributes().get(7)).isEqualTo(new SessionDescription.Attribute("x-flag", java.util.Optional.empty()));
        // the session's direction is each section's default (RFC 8866 §6.7), a section's own overrides it
        assertThat(audio.direction("sendrecv")).isEqualTo("sendrecv");
        assertThat(sdp.direction("sendrecv")).isEqualTo("recvonly");
        assertThat(sdp.media().get(1).direction("recvonly")).isEqualTo("sendonly");
        assertThat(sdp.media().get(1).rejected()).isTrue();
        assertThat(sdp.media().get(1).codecs()).isEmpty();
    }

    @Test
    void aLineIsNeverSearchedPastItsEnd() {
        // an rtpmap with no space or slash, an attribute with no colon and an m= line with no proto: what each looks
        // for is on a later line, and must not be taken from there
        SessionDescription sdp = parser.parse("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9 RTP/AVP 96 97\r\na=rtpmap:96\r\na=rtpmap:97 opus\r\na=x-y:1 2\r\n");
        assertThat(sdp.media().get(0).codecs()).containsExactly("opus");
        assertThatThrownBy(() -> parser.parse("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                + "a=sendrecv\r\na=(:x\r\n"))
                .isInstanceOfSatisfying(SdpException.class, e -> assertThat(e.getMessage()).startsWith("line 6:"));
        assertThatThrownBy(() -> parser.parse("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                + "m=audio 9\r\na=x 1 2\r\n"))
                .isInstanceOfSatisfying(SdpException.class, e -> assertThat(e.getMessage()).startsWith("line 5:"));
        assertThatThrownBy(() -> parser.parse("v=0\r\no=- 1 1 IN IP4\r\ns=- x\r\nt=0 0\r\n"))
                .isInstanceOfSatisfying(SdpException.class, e -> assertThat(e.getMessage()).startsWith("line 2:"));
    }
}
