package io.telesignal.signaling.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written relay encoder writes exactly what Jackson writes for the same message. */
class RelayWriterTest {
    private final ProtocolCodec codec = new ProtocolCodec();

    @Test
    void everyCharacterIsEscapedAsJacksonEscapesIt() {
        for (char c = 0; c < Character.MIN_SURROGATE; c++) {
            same(relay(new ClientMessage.Hangup("a" + c + "b"), null, null), c);
        }
        same(relay(new ClientMessage.Hangup("\uD83D\uDE00 \u2028\u2029\u007F"), null, null), 1);
    }

    @Test
    void randomSignalsOfEveryShapeAreWrittenTheSame() {
        Random random = new Random(19);
        for (int i = 0; i < 50_000; i++) {
            ServerMessage.SignalRelay message = switch (random.nextInt(4)) {
                case 0 -> new ServerMessage.SignalRelay(text(random, 1, 64), text(random, 1, 64), text(random, 1, 128),
                        ServerMessage.RelayedDescription.of(description(random)), null, null, null);
                case 1 -> new ServerMessage.SignalRelay(text(random, 1, 64), text(random, 1, 64), text(random, 1, 128),
                        null, new ClientMessage.Candidate(text(random, 0, 200), maybe(random, 1, 64),
                                random.nextBoolean() ? random.nextInt(1025) : null, maybe(random, 0, 256)),
                        null, null);
                case 2 -> new ServerMessage.SignalRelay(text(random, 1, 64), text(random, 1, 64), text(random, 1, 128),
                        null, null, Boolean.TRUE, null);
                default -> relay(new ClientMessage.Hangup(maybe(random, 0, 64)), text(random, 1, 64), text(random, 1, 64));
            };
            same(message, i);
        }
    }

    @Test
    void signaledIsWrittenAsJacksonWritesIt() {
        Random random = new Random(23);
        for (int i = 0; i < 5_000; i++) {
            ServerMessage.Signaled message = new ServerMessage.Signaled(text(random, 0, 80));
            assertThat(codec.encode(i, message)).as("seq %d", i).isEqualTo(codec.encodeWithJackson(i, message));
        }
        assertThat(codec.encode(7, new ServerMessage.Signaled("r-12"))).isEqualTo(
                "{\"type\":\"signaled\",\"through\":\"r-12\",\"seq\":7}");
    }

    @Test
    void aDescriptionRelayedWithItsLiteralIsWrittenTheSame() {
        String sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=x:\"q\" \\ / \u00e9\u4e2d\uD83D\uDE00\r\n";
        StringBuilder literal = new StringBuilder();
        RelayWriter.string(literal, sdp);
        Decoded decoded = codec.decode("{\"type\":\"signal\",\"id\":\"s1\",\"consultation\":\"c\",\"to\":\"e\","
                + "\"description\":{\"type\":\"offer\",\"sdp\":" + literal.toString().replace("/", "\\/") + "}}");
        ClientMessage.Description description = ((ClientMessage.Signal) decoded.message()).description();
        assertThat(description.sdpLiteral()).contains("\\/"); // kept as it came, not as Jackson would escape it
        ServerMessage.SignalRelay message = new ServerMessage.SignalRelay("c", "u", "e",
                ServerMessage.RelayedDescription.of(new ClientMessage.Description("offer",
                        JsonString.relayed(description.sdpText(), description.sdpLiteral()))),
                null, null, null);
        same(message, 0);
        assertThat(codec.encode(3, message)).contains("\"sdp\":" + description.sdpLiteral() + "},\"seq\":3}");
    }

    private void same(ServerMessage.SignalRelay message, long seq) {
        assertThat(codec.encode(seq, message)).as("seq %d", seq).isEqualTo(codec.encodeWithJackson(seq, message));
    }

    private static ServerMessage.SignalRelay relay(ClientMessage.Hangup hangup, String consultation, String from) {
        return new ServerMessage.SignalRelay(consultation == null ? "c1" : consultation, from == null ? "u1" : from,
                "e1", null, null, null, hangup);
    }

    private static ClientMessage.Description description(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> new ClientMessage.Description("rollback", null);
            case 1 -> new ClientMessage.Description("offer", JsonString.of(text(random, 0, 3000)));
            default -> new ClientMessage.Description(random.nextBoolean() ? "answer" : "pranswer",
                    JsonString.of(text(random, 0, 300)));
        };
    }

    private static String maybe(Random random, int min, int max) {
        return random.nextBoolean() ? null : text(random, min, max);
    }

    /** Well-formed text: ASCII most of the time, with controls, quotes, backslashes, and characters beyond ASCII. */
    private static String text(Random random, int min, int max) {
        int length = min + random.nextInt(max - min + 1);
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            int kind = random.nextInt(20);
            if (kind == 0) {
                out.append((char) random.nextInt(0x20));
            } else if (kind == 1) {
                out.append(random.nextBoolean() ? '"' : '\\');
            } else if (kind == 2) {
                out.append((char) (0x80 + random.nextInt(Character.MIN_SURROGATE - 0x80)));
            } else if (kind == 3 && out.length() + 2 <= length) {
                out.appendCodePoint(0x10000 + random.nextInt(0x100000));
            } else {
                out.append((char) (0x20 + random.nextInt(0x5F)));
            }
        }
        return out.toString();
    }
}
