package io.telesignal.bench;

/**
 * The call signaling the bench relays, sized like a browser's: a 2 KiB offer or answer for one audio and one
 * video section, and trickled candidates of about 200 bytes. Each carries its number in its direction, where a
 * receiver can find it without parsing JSON: in the candidate's foundation, or in the SDP's session version.
 */
final class Signals {
    static final String SESSION_ID = "4242424242";
    private static final String ORIGIN_MARK = "o=- " + SESSION_ID + " ";
    private static final String CANDIDATE_MARK = "candidate:";

    private Signals() {}

    /** What precedes the number in an escaped description. */
    private static final String HEAD = ("v=0\r\n" + ORIGIN_MARK).replace("\r\n", "\\r\\n");
    /** What follows it, escaped, for an offer and for an answer: built once, the generator's time is the server's. */
    private static final String OFFER_TAIL = tail("offer");
    private static final String ANSWER_TAIL = tail("answer");

    /** An RFC 8866 description the server's parser and RFC 3264 checks accept, escaped for a JSON string. */
    static String sdp(String type, long number) {
        return HEAD + number + (type.equals("offer") ? OFFER_TAIL : ANSWER_TAIL);
    }

    private static String tail(String type) {
        String setup = type.equals("offer") ? "actpass" : "active";
        StringBuilder sdp = new StringBuilder(2200);
        sdp.append(" IN IP4 127.0.0.1\r\n")
                .append("s=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\na=extmap-allow-mixed\r\na=msid-semantic: WMS bench\r\n")
                .append("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\nc=IN IP4 0.0.0.0\r\n")
                .append("a=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:Bx4r\r\na=ice-pwd:sXbTq8T6kH2yDQJcMRpaAq3m\r\n")
                .append("a=ice-options:trickle\r\n")
                .append("a=fingerprint:sha-256 8B:87:09:8A:5D:C2:F3:33:EF:C5:B1:F6:84:3A:3D:D6:A3:E2:9C:17:4C:E7:46:3B:1B:CE:84:98:DD:8E:AF:7B\r\n")
                .append("a=setup:").append(setup).append("\r\na=mid:0\r\n")
                .append("a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n")
                .append("a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n")
                .append("a=sendrecv\r\na=msid:bench a0\r\na=rtcp-mux\r\n")
                .append("a=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n")
                .append("a=rtpmap:63 red/48000/2\r\na=fmtp:63 111/111\r\na=rtpmap:9 G722/8000\r\na=rtpmap:0 PCMU/8000\r\n")
                .append("a=rtpmap:8 PCMA/8000\r\na=rtpmap:13 CN/8000\r\na=rtpmap:110 telephone-event/48000\r\n")
                .append("a=rtpmap:126 telephone-event/8000\r\na=ssrc:1001 cname:benchcname\r\na=ssrc:1001 msid:bench a0\r\n")
                .append("m=video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 100 101\r\nc=IN IP4 0.0.0.0\r\n")
                .append("a=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:Bx4r\r\na=ice-pwd:sXbTq8T6kH2yDQJcMRpaAq3m\r\n")
                .append("a=ice-options:trickle\r\n")
                .append("a=fingerprint:sha-256 8B:87:09:8A:5D:C2:F3:33:EF:C5:B1:F6:84:3A:3D:D6:A3:E2:9C:17:4C:E7:46:3B:1B:CE:84:98:DD:8E:AF:7B\r\n")
                .append("a=setup:").append(setup).append("\r\na=mid:1\r\n")
                .append("a=extmap:14 urn:ietf:params:rtp-hdrext:toffset\r\n")
                .append("a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n")
                .append("a=sendrecv\r\na=msid:bench v0\r\na=rtcp-mux\r\na=rtcp-rsize\r\n")
                .append("a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 goog-remb\r\na=rtcp-fb:96 transport-cc\r\n")
                .append("a=rtcp-fb:96 ccm fir\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\n")
                .append("a=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\n")
                .append("a=rtpmap:98 VP9/90000\r\na=rtcp-fb:98 goog-remb\r\na=rtcp-fb:98 transport-cc\r\n")
                .append("a=rtcp-fb:98 ccm fir\r\na=rtcp-fb:98 nack\r\na=rtcp-fb:98 nack pli\r\na=fmtp:98 profile-id=0\r\n")
                .append("a=rtpmap:99 rtx/90000\r\na=fmtp:99 apt=98\r\n")
                .append("a=rtpmap:100 H264/90000\r\na=rtcp-fb:100 goog-remb\r\na=rtcp-fb:100 transport-cc\r\n")
                .append("a=rtcp-fb:100 ccm fir\r\na=rtcp-fb:100 nack\r\na=rtcp-fb:100 nack pli\r\n")
                .append("a=fmtp:100 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n")
                .append("a=rtpmap:101 rtx/90000\r\na=fmtp:101 apt=100\r\n")
                .append("a=ssrc-group:FID 2001 2002\r\na=ssrc:2001 cname:benchcname\r\na=ssrc:2001 msid:bench v0\r\n")
                .append("a=ssrc:2002 cname:benchcname\r\na=ssrc:2002 msid:bench v0\r\n");
        return sdp.toString().replace("\r\n", "\\r\\n");
    }

    static String candidate(long number) {
        return CANDIDATE_MARK + number + " 1 udp 2122260223 192.0.2." + (1 + number % 250) + " "
                + (49152 + number % 16000) + " typ host generation 0 ufrag Bx4r network-id 1 network-cost 10";
    }

    /** The number a relayed signal carries; -1 when the text carries none. */
    static long numberIn(String text) {
        int at = text.indexOf(CANDIDATE_MARK);
        if (at >= 0) {
            return digits(text, at + CANDIDATE_MARK.length());
        }
        at = text.indexOf(ORIGIN_MARK);
        return at < 0 ? -1 : digits(text, at + ORIGIN_MARK.length());
    }

    static boolean isDescription(String text) {
        return text.contains("\"description\":{");
    }

    static long digits(String text, int from) {
        long value = 0;
        int i = from;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
        }
        return i == from ? -1 : value;
    }

    /** A top-level string field of a server message, as the server writes it ({@code "name":"value"}). */
    static String field(String text, String name) {
        String key = "\"" + name + "\":\"";
        int at = text.indexOf(key);
        if (at < 0) {
            return null;
        }
        int start = at + key.length();
        int end = text.indexOf('"', start);
        return end < 0 ? null : text.substring(start, end);
    }

    /** The message's {@code seq}, written last by the server. */
    static long seq(String text) {
        int at = text.lastIndexOf("\"seq\":");
        return at < 0 ? -1 : digits(text, at + 6);
    }
}
