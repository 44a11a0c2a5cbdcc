package io.telesignal.signaling.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The signal reader against the strict path: whatever it accepts, Jackson accepts with the same meaning, on
 * well-formed signals of every shape and on hundreds of thousands of mutations of them; what it declines is read the
 * strict way, so its errors are the strict path's.
 */
class SignalReaderTest {
    private static final String SDP = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "a=group:BUNDLE 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n"
            + "a=rtpmap:111 opus/48000/2\r\na=fingerprint:sha-256 AB:CD\r\na=setup:actpass\r\na=sendrecv\r\n";
    private final ProtocolCodec codec = new ProtocolCodec();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void plainSignalsOfEveryShapeAreReadInOnePassAsTheStrictPathReadsThem() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            String text = signal(random);
            Decoded fast = SignalReader.read(text);
            assertThat(fast).as(text).isNotNull();
            Decoded strict = codec.decodeWithJackson(text);
            assertThat(fast).as(text).isEqualTo(strict);
            ClientMessage.Description description = ((ClientMessage.Signal) fast.message()).description();
            if (description != null && description.sdp() != null) {
                // the literal kept is a JSON string of exactly the value, whatever the field order
                assertThat(description.sdpLiteral()).isNotNull();
                assertThat(json.readValue(description.sdpLiteral(), String.class)).isEqualTo(description.sdpText());
            }
        }
    }

    @Test
    void aMutatedSignalIsEitherReadWithTheStrictPathsMeaningOrLeftToIt() throws Exception {
        Random random = new Random(11);
        int accepted = 0;
        int declined = 0;
        for (int i = 0; i < 200_000; i++) {
            String text = mutate(random, signal(random));
            Decoded fast = SignalReader.read(text);
            Decoded strict = codec.decodeWithJackson(text);
            if (fast == null) {
                declined++;
                assertThat(codec.decode(text)).isEqualTo(strict);
            } else {
                accepted++;
                assertThat(strict.ok()).as(text).isTrue();
                assertThat(fast).as(text).isEqualTo(strict);
                ClientMessage.Description description = ((ClientMessage.Signal) fast.message()).description();
                if (description != null && description.sdp() != null) {
                    // the literal it keeps, relayed as it came, is a JSON string of exactly the value
                    assertThat(json.readValue(description.sdpLiteral(), String.class)).as(text)
                            .isEqualTo(description.sdpText());
                }
            }
        }
        // both ways were taken often: the comparison means something
        assertThat(accepted).isGreaterThan(20_000);
        assertThat(declined).isGreaterThan(20_000);
    }

    @Test
    void whatItLeavesToTheStrictPathGetsTheStrictPathsError() {
        String head = "{\"type\":\"signal\",\"id\":\"4\",\"consultation\":\"c1\",\"to\":\"e\",";
        for (String text : List.of(
                head + "\"restart\":false}", // a record refuses it
                head + "\"restart\":true,\"restart\":true}", // duplicate
                head + "\"hangup\":{},\"bogus\":1}", // unknown field
                head + "\"hangup\":{\"reason\":null}}", // null
                head + "\"candidate\":{\"candidate\":\"x\",\"sdpMLineIndex\":01}}", // leading zero
                head + "\"candidate\":{\"candidate\":\"x\",\"sdpMLineIndex\":1.0}}", // not an integer
                head + "\"candidate\":{\"candidate\":\"x\",\"sdpMLineIndex\":-1}}",
                head + "\"candidate\":{\"candidate\":\"x\",\"sdpMLineIndex\":99999999999}}",
                head + "\"candidate\":{\"candidate\":\"a\u0001b\"}}", // raw control character
                head + "\"candidate\":{\"candidate\":\"a\\qb\"}}", // no such escape
                head + "\"hangup\":{\"reason\":\"\\ud800\"}}", // \\u: the strict path
                head + "\"hangup\":{}} x", // trailing
                head + "\"hangup\":{}", // unfinished
                head + "\"hangup\":{},\"ack\":-1}",
                "{\"type\":\"chat\",\"id\":\"1\",\"consultation\":\"c\",\"text\":\"hi\"}")) {
            assertThat(SignalReader.read(text)).as(text).isNull();
            assertThat(codec.decode(text)).as(text).isEqualTo(codec.decodeWithJackson(text));
        }
        assertThat(codec.decode(head + "\"restart\":false}").error().message()).isEqualTo("restart must be true when present");
    }

    @Test
    void controlCharactersAndQuestionMarksAreFoundAtEveryPositionOfTheEightByteBlocks() {
        Random random = new Random(29);
        byte[] alphabet = {'a', 'Z', '?', ' ', '~', 0x1F, 0x00, 0x20, (byte) 0x80, (byte) 0xFF, (byte) 0x9F, '\\', '"'};
        for (int i = 0; i < 100_000; i++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int k = 0; k < bytes.length; k++) {
                // mostly plain, so that a single control character or ? lands anywhere in a block or the tail
                bytes[k] = random.nextInt(6) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) ('a' + k % 26);
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            int to = from + random.nextInt(bytes.length - from + 1);
            int questions = 0;
            boolean control = false;
            for (int k = from; k < to; k++) {
                questions += bytes[k] == '?' ? 1 : 0;
                control |= bytes[k] >= 0 && bytes[k] < 0x20;
            }
            assertThat(SignalReader.controlsAndQuestions(bytes, from, to)).as("%s [%d, %d)",
                    java.util.Arrays.toString(bytes), from, to).isEqualTo(control ? -1 : questions);
        }
    }

    @Test
    void aPiggyBackedAckIsTakenAsTheStrictPathTakesIt() {
        String text = "{\"ack\":42,\"type\":\"signal\",\"id\":\"4\",\"consultation\":\"c1\",\"to\":\"e\",\"restart\":true}";
        assertThat(SignalReader.read(text)).isEqualTo(codec.decodeWithJackson(text));
        assertThat(SignalReader.read(text).ack()).contains(42L);
    }

    /** A well-formed signal: every payload kind, fields in random order, random spacing, escapes JSON allows. */
    private static String signal(Random random) {
        List<String> fields = new ArrayList<>();
        fields.add(pair(random, "type", quote(random, "signal")));
        fields.add(pair(random, "id", quote(random, "s" + random.nextInt(1000))));
        fields.add(pair(random, "consultation", quote(random, "c-" + random.nextInt(50))));
        fields.add(pair(random, "to", quote(random, "websocket-" + Integer.toHexString(random.nextInt()))));
        switch (random.nextInt(4)) {
            case 0 -> {
                String type = List.of("offer", "answer", "pranswer", "rollback").get(random.nextInt(4));
                List<String> inner = new ArrayList<>();
                inner.add(pair(random, "type", quote(random, type)));
                if (!type.equals("rollback")) {
                    inner.add(pair(random, "sdp", quote(random, SDP + "a=x:" + word(random) + "\r\n")));
                }
                Collections.shuffle(inner, random);
                fields.add(pair(random, "description", object(random, inner)));
            }
            case 1 -> {
                List<String> inner = new ArrayList<>();
                inner.add(pair(random, "candidate", quote(random, random.nextInt(5) == 0 ? ""
                        : "candidate:1 1 udp 2122260223 192.0.2.1 " + random.nextInt(65536) + " typ host")));
                if (random.nextBoolean()) {
                    inner.add(pair(random, "sdpMid", quote(random, Integer.toString(random.nextInt(3)))));
                }
                if (random.nextBoolean()) {
                    inner.add(pair(random, "sdpMLineIndex", Integer.toString(random.nextInt(1025))));
                }
                if (random.nextBoolean()) {
                    inner.add(pair(random, "usernameFragment", quote(random, word(random))));
                }
                Collections.shuffle(inner, random);
                fields.add(pair(random, "candidate", object(random, inner)));
            }
            case 2 -> fields.add(pair(random, "restart", "true"));
            default -> fields.add(pair(random, "hangup", object(random,
                    random.nextBoolean() ? List.of() : List.of(pair(random, "reason", quote(random, word(random)))))));
        }
        if (random.nextInt(3) == 0) {
            fields.add(pair(random, "ack", Long.toString(random.nextInt(3) == 0 ? 0 : random.nextLong() & 0xFFFFFFFFFFFFL)));
        }
        Collections.shuffle(fields, random);
        return space(random) + object(random, fields) + space(random);
    }

    private static String word(Random random) {
        StringBuilder out = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(14);
            if (kind == 6) {
                out.append("\uD83D\uDE00"); // past U+FFFF: two chars, each scanned as '?'
                continue;
            }
            out.append(kind == 0 ? '"' : kind == 1 ? '\\' : kind == 2 ? '/' : kind == 3 ? '\t'
                    : kind == 4 ? '\u00e9' : kind == 5 ? '\u4e2d' : kind == 7 ? '?' : (char) ('a' + random.nextInt(26)));
        }
        return out.toString();
    }

    private static String object(Random random, List<String> fields) {
        return "{" + space(random) + String.join("," + space(random), fields) + space(random) + "}";
    }

    private static String pair(Random random, String name, String value) {
        return "\"" + name + "\"" + space(random) + ":" + space(random) + value;
    }

    private static String space(Random random) {
        return random.nextInt(4) != 0 ? "" : List.of(" ", "\n", "\r\n", "\t ").get(random.nextInt(4));
    }

    /** A JSON string of the value, with the escapes a client may choose (never \\u, which the reader leaves alone). */
    private static String quote(Random random, String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '/' -> out.append(random.nextBoolean() ? "/" : "\\/");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static final String NOISE = "{}[]:,\"\\ \t\r\n0123456789-+.eEtruefalsnl/u\u0000\u001f\u00e9abc";

    /** One to three random edits: deletions, insertions and replacements of characters JSON cares about. */
    private static String mutate(Random random, String text) {
        StringBuilder out = new StringBuilder(text);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && out.length() > 0; e++) {
            int at = random.nextInt(out.length());
            char noise = NOISE.charAt(random.nextInt(NOISE.length()));
            switch (random.nextInt(4)) {
                case 0 -> out.deleteCharAt(at);
                case 1 -> out.insert(at, noise);
                case 2 -> out.setCharAt(at, noise);
                default -> {
                    // a field written twice, or a whole value swapped for another kind
                    int comma = out.indexOf(",", at);
                    if (comma > 0) {
                        out.insert(comma, random.nextBoolean() ? ",\"restart\":true" : ",\"x\":null");
                    }
                }
            }
        }
        return out.toString();
    }
}
