package io.telesignal.core.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The o= and m= lines are split by hand for speed; they must accept exactly what the regular expressions they replaced
 * accepted, with the same fields. Checked on lines that look like WebRTC's and on random lines over an alphabet rich
 * in the characters that matter (digits, spaces, slashes, tabs, letters, line separators).
 */
class SdpLineSplitTest {
    private static final Pattern MEDIA = Pattern.compile("([a-z]+) (\\d{1,5})(/\\d{1,5})? ([A-Za-z0-9/._-]+) (.+)");
    private static final Pattern ORIGIN = Pattern.compile("(\\S+) (\\d{1,20}) (\\d{1,20}) (\\S+) (\\S+) (\\S+)");
    private static final String ALPHABET = "aaz  09/9/._-AZ\t\u000b\f\u0085\u2028x1 2 3 45";

    @Test
    void knownLinesSplitAsTheExpressionsDid() {
        for (String line : new String[] {"m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0", "m=video 0 RTP/AVP 96",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "m=audio 49170/2 RTP/AVP 0", "m=audio 123456 RTP/AVP 0",
            "m=Audio 9 RTP/AVP 0", "m=audio 9 RTP/AVP ", "m=audio 9  RTP/AVP 0", "m=audio 9/ RTP/AVP 0", "m= 9 RTP/AVP 0",
            "m=audio 9 RTP/AVP 0 \u2028", "m=audio", "m=audio 9"}) {
            assertSame(line);
        }
        for (String line : new String[] {"o=- 4611731400430051336 2 IN IP4 127.0.0.1", "o=- 1 2 IN IP4",
            "o=- 1 2 IN IP4 1.2.3.4 extra", "o=-  1 2 IN IP4 x", "o=- a 2 IN IP4 x", "o=- 123456789012345678901 2 IN IP4 x",
            "o=jdoe\t 1 2 IN IP4 x", "o=- 1 2 IN IP4 x\u000b", "o=\u2028 1 2 IN IP4 x"}) {
            assertSame(line);
        }
    }

    @Test
    void randomLinesSplitAsTheExpressionsDid() {
        Random random = new Random(19);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder line = new StringBuilder(random.nextBoolean() ? "m=" : "o=");
            if (random.nextInt(3) == 0) {
                line.append(line.charAt(0) == 'm' ? "audio 9 RTP/AVP " : "- 1 2 IN IP4 ");
            }
            int length = random.nextInt(24);
            for (int k = 0; k < length; k++) {
                line.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            assertSame(line.toString());
        }
    }

    private static void assertSame(String line) {
        boolean media = line.startsWith("m=");
        Matcher m = (media ? MEDIA : ORIGIN).matcher(line.substring(2));
        String[] split = media ? SdpParser.media(line) : SdpParser.origin(line);
        if (!m.matches()) {
            assertThat(split).as(line).isNull();
            return;
        }
        assertThat(split).as(line).isNotNull();
        if (media) {
            assertThat(split).as(line).containsExactly(m.group(1), m.group(2), m.group(4), m.group(5));
        } else {
            assertThat(split).as(line).containsExactly(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6));
        }
    }
}
