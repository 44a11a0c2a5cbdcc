package io.telesignal.signaling.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProtocolCodecTest {
    private final ProtocolCodec codec = new ProtocolCodec();

    @Test
    void readsEveryClientMessage() {
        assertThat(codec.decode("{\"type\":\"hello\",\"token\":\"t\"}").message())
                .isEqualTo(new ClientMessage.Hello("t", null));
        assertThat(codec.decode("{\"type\":\"hello\",\"token\":\"t\",\"resume\":{\"session\":\"s\",\"resumeToken\":\"r\","
                + "\"lastSeq\":7}}").message())
                .isEqualTo(new ClientMessage.Hello("t", new ClientMessage.Resume("s", "r", 7L)));
        assertThat(codec.decode("{\"type\":\"ack\",\"seq\":12}").message()).isEqualTo(new ClientMessage.Ack(12L));
        assertThat(codec.decode("{\"type\":\"join\",\"id\":\"1\",\"consultation\":\"c1\"}").message())
                .isEqualTo(new ClientMessage.Join("1", "c1", null));
        assertThat(codec.decode("{\"type\":\"admit\",\"id\":\"2\",\"consultation\":\"c1\",\"user\":\"u\"}").message())
                .isEqualTo(new ClientMessage.Admit("2", "c1", "u"));
        assertThat(codec.decode("{\"type\":\"signal\",\"id\":\"3\",\"consultation\":\"c1\",\"to\":\"e\","
                + "\"candidate\":{\"candidate\":\"\",\"sdpMid\":\"0\"}}").message())
                .isEqualTo(new ClientMessage.Signal("3", "c1", "e", null,
                        new ClientMessage.Candidate("", "0", null, null), null, null));
    }

    @Test
    void piggyBackedAckIsTakenOffTheMessage() {
        Decoded decoded = codec.decode("{\"type\":\"leave\",\"id\":\"9\",\"consultation\":\"c1\",\"ack\":41}");
        assertThat(decoded.message()).isEqualTo(new ClientMessage.Leave("9", "c1"));
        assertThat(decoded.ack()).contains(41L);
    }

    @Test
    void theAckIsFoundWhereverItIsAtTheTopLevelAndOnlyThere() {
        Decoded first = codec.decode("{\"ack\":7,\"type\":\"leave\",\"id\":\"9\",\"consultation\":\"c1\"}");
        assertThat(first.message()).isEqualTo(new ClientMessage.Leave("9", "c1"));
        assertThat(first.ack()).contains(7L);
        // an ack message may piggy-back one too (its own seq is the same kind of number)
        Decoded onAck = codec.decode("{\"type\":\"ack\",\"seq\":3,\"ack\":5}");
        assertThat(onAck.message()).isEqualTo(new ClientMessage.Ack(3L));
        assertThat(onAck.ack()).contains(5L);
        assertThat(codec.decode("{\"type\":\"ack\",\"seq\":3}").ack()).isEmpty();
        assertThat(codec.decode("{\"type\":\"hello\",\"token\":\"tttttttt\",\"resume\":{\"session\":\"s\","
                + "\"resumeToken\":\"r\",\"lastSeq\":1,\"ack\":2}}").error().code()).isEqualTo("unknown_field");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "not json at all|malformed_json|",
        "[1,2]|malformed_json|",
        "{\"type\":\"join\",\"id\":\"1\",\"consultation\":\"c1\"} trailing|malformed_json|",
        "{\"id\":\"1\"}|unknown_type|1",
        "{\"type\":5,\"id\":\"1\"}|unknown_type|1",
        "{\"type\":\"teleport\",\"id\":\"1\"}|unknown_type|1",
        "{\"type\":\"join\",\"id\":\"1\",\"consultation\":\"c1\",\"extra\":true}|unknown_field|1",
        "{\"type\":\"join\",\"id\":\"1\",\"id\":\"2\",\"consultation\":\"c1\"}|malformed_json|",
        "{\"type\":\"join\",\"id\":\"1\"}|invalid_field|1",
        "{\"type\":\"join\",\"id\":1,\"consultation\":\"c1\"}|invalid_field|",
        "{\"type\":\"ack\",\"seq\":\"5\"}|invalid_field|",
        "{\"type\":\"ack\",\"seq\":-1}|invalid_field|",
        "{\"type\":\"ack\"}|invalid_field|",
        "{\"type\":\"leave\",\"id\":\"7\",\"consultation\":\"c1\",\"ack\":\"x\"}|invalid_field|7",
        "{\"type\":\"leave\",\"id\":\"7\",\"consultation\":\"c1\",\"ack\":-3}|invalid_field|7",
        "{\"type\":\"leave\",\"id\":\"7\",\"consultation\":\"c1\",\"ack\":1.5}|invalid_field|7",
        "{\"type\":\"leave\",\"id\":\"7\",\"consultation\":\"c1\",\"ack\":9223372036854775808}|invalid_field|7",
        "{\"type\":\"leave\",\"id\":\"7\",\"consultation\":\"c1\",\"ack\":{\"seq\":1}}|invalid_field|7",
        "{\"type\":\"leave\",\"id\":\"7\",\"consultation\":\"c1\",\"ack\":1,\"ack\":2}|malformed_json|",
        "{\"type\":\"signal\",\"id\":\"4\",\"consultation\":\"c1\",\"to\":\"e\"}|invalid_field|4",
        "{\"type\":\"signal\",\"id\":\"4\",\"consultation\":\"c1\",\"to\":\"e\",\"restart\":true,\"hangup\":{}}|invalid_field|4",
        "{\"type\":\"signal\",\"id\":\"4\",\"consultation\":\"c1\",\"to\":\"e\",\"description\":{\"type\":\"bogus\",\"sdp\":\"x\"}}|invalid_field|4",
        "{\"type\":\"hello\",\"token\":\"\"}|invalid_field|",
        "{\"type\":\"signal\",\"id\":\"5\",\"consultation\":\"c1\",\"to\":\"e\",\"description\":{\"type\":\"rollback\",\"sdp\":\"v=0\"}}|invalid_field|5",
        "{\"type\":\"signal\",\"id\":\"6\",\"consultation\":\"c1\",\"to\":\"e\",\"description\":{\"type\":\"offer\",\"sdp\":5}}|invalid_field|6",
        "{\"type\":\"signal\",\"id\":\"6\",\"consultation\":\"c1\",\"to\":\"e\",\"description\":{\"type\":\"offer\",\"sdp\":[\"v=0\"]}}|invalid_field|6",
        "{\"type\":\"signal\",\"id\":\"6\",\"consultation\":\"c1\",\"to\":\"e\",\"description\":{\"type\":\"offer\",\"sdp\":null}}|invalid_field|6",
    })
    void badInputGetsAStableCode(String json, String code, String re) {
        Decoded decoded = codec.decode(json);
        assertThat(decoded.ok()).isFalse();
        assertThat(decoded.error().code()).isEqualTo(code);
        assertThat(decoded.error().re()).isEqualTo(re);
    }

    @Test
    void loneSurrogatesAreRefusedAndPairsKept() {
        Decoded lone = codec.decode("{\"type\":\"chat\",\"id\":\"1\",\"consultation\":\"c\",\"text\":\"a\\ud800b\"}");
        assertThat(lone.error().code()).isEqualTo("invalid_field");
        assertThat(lone.error().message()).startsWith("text must be well-formed Unicode");
        Decoded trailing = codec.decode("{\"type\":\"chat\",\"id\":\"1\",\"consultation\":\"c\",\"text\":\"a\\udc00\"}");
        assertThat(trailing.error().code()).isEqualTo("invalid_field");
        Decoded sdp = codec.decode("{\"type\":\"signal\",\"id\":\"2\",\"consultation\":\"c\",\"to\":\"e\","
                + "\"description\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\ns=\\udbff\"}}");
        assertThat(sdp.error().code()).isEqualTo("invalid_field");
        assertThat(sdp.error().re()).isEqualTo("2");
        Decoded pair = codec.decode("{\"type\":\"chat\",\"id\":\"1\",\"consultation\":\"c\",\"text\":\"\\ud83d\\ude00 ok\"}");
        assertThat(pair.ok()).isTrue();
        assertThat(((ClientMessage.Chat) pair.message()).text()).isEqualTo("\ud83d\ude00 ok");
    }

    @Test
    void invalidFieldMessagesNameTheField() {
        assertThat(codec.decode("{\"type\":\"join\",\"id\":\"1\"}").error().message()).isEqualTo("consultation is required");
        assertThat(codec.decode("{\"type\":\"join\",\"id\":\"1\",\"consultation\":\"c\",\"bogus\":1}").error().message())
                .isEqualTo("unknown field bogus");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "{\"type\":\"hello\",\"token\":\"t\",\"x\":" + "[".repeat(50) + "]".repeat(50) + "}";
        assertThat(codec.decode(deep).error().code()).isEqualTo("malformed_json");
    }

    @Test
    void writesServerMessagesWithTypeAndSeq() throws Exception {
        String json = codec.encode(5, new ServerMessage.Welcome("s1", "websocket-e1", "rt", false, null, 20000, 65536,
                new ServerMessage.UserView("u1", "Alice", List.of("patient")), List.of(Map.of("urls", "stun:x"))));
        JsonNode node = new ObjectMapper().readTree(json);
        assertThat(node.path("type").asText()).isEqualTo("welcome");
        assertThat(node.path("seq").asLong()).isEqualTo(5);
        assertThat(node.has("replayFrom")).isFalse();
        assertThat(node.path("maxMessageBytes").asInt()).isEqualTo(65536);
        assertThat(node.path("user").path("displayName").asText()).isEqualTo("Alice");
        assertThat(node.path("user").has("seq")).isFalse();
        assertThat(json).startsWith("{\"type\":\"welcome\",").endsWith(",\"seq\":5}");

        JsonNode error = new ObjectMapper().readTree(codec.encode(0, new ServerMessage.Error("r1", "not_authorized", "no")));
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("re").asText()).isEqualTo("r1");
        assertThat(Optional.ofNullable(error.get("seq")).map(JsonNode::asLong)).contains(0L);
    }

    @Test
    void aDescriptionIsRelayedAsTheLiteralItCameIn() throws Exception {
        // escapes a writer would spell differently: \/ for /, and raw é where a writer might escape it
        String literal = "\"v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\ns=Caf\u00e9 \\/ \\t \\\"x\\\"\\r\\n\"";
        Decoded decoded = codec.decode("{\"type\":\"signal\",\"id\":\"7\",\"consultation\":\"c1\",\"to\":\"e\","
                + "\"description\":{\"type\":\"offer\",\"sdp\":" + literal + "}}");
        ClientMessage.Description description = ((ClientMessage.Signal) decoded.message()).description();
        assertThat(description.sdpText()).isEqualTo("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=Caf\u00e9 / \t \"x\"\r\n");
        assertThat(description.sdp().literal()).isEqualTo(literal);

        String relayed = codec.encode(9, new ServerMessage.SignalRelay("c1", "u1", "e1",
                ServerMessage.RelayedDescription.of(description), null, null, null));
        assertThat(relayed).contains("\"sdp\":" + literal + "}");
        JsonNode node = new ObjectMapper().readTree(relayed);
        assertThat(node.path("description").path("sdp").asText()).isEqualTo(description.sdpText());
        assertThat(node.path("seq").asLong()).isEqualTo(9);
        // what the core carries comes back the same way; what cannot be a literal of the value is dropped
        assertThat(JsonString.relayed(description.sdpText(), literal).literal()).isEqualTo(literal);
        assertThat(JsonString.relayed(description.sdpText(), "\"v=0\"").literal()).isNull();
        assertThat(JsonString.relayed("v=0", "v=0\"\"").literal()).isNull();
        assertThat(JsonString.relayed("v=0", null).literal()).isNull();
    }

    @Test
    void aDescriptionWithUnicodeEscapesKeepsNoLiteral() {
        // written with the server's own escaping (a lone surrogate is refused outright: loneSurrogatesAreRefused...)
        for (String escaped : List.of("\\u0041", "\\ud83d\\ude00", "\\u00e9")) {
            Decoded decoded = codec.decode("{\"type\":\"signal\",\"id\":\"7\",\"consultation\":\"c1\",\"to\":\"e\","
                    + "\"description\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\ns=" + escaped + "\"}}");
            assertThat(((ClientMessage.Signal) decoded.message()).description().sdp().literal()).isNull();
        }
    }

    @Test
    void aDescriptionWithoutItsLiteralIsEscapedWhenWritten() throws Exception {
        // before "type", Jackson buffers the fields: there is no literal to keep, and the value is escaped as usual
        Decoded buffered = codec.decode("{\"description\":{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\\u0041\"},"
                + "\"type\":\"signal\",\"id\":\"7\",\"consultation\":\"c1\",\"to\":\"e\"}");
        ClientMessage.Description description = ((ClientMessage.Signal) buffered.message()).description();
        assertThat(description.sdpText()).isEqualTo("v=0\r\nA");
        assertThat(description.sdp().literal()).isNull();
        // over 32K characters Jackson reads the text as a stream: the offsets still hold
        String big = "v=0\r\n" + "a=x-filler:" + "y".repeat(40_000) + "\r\n";
        String bigLiteral = "\"" + big.replace("\r\n", "\\r\\n") + "\"";
        Decoded large = codec.decode("{\"type\":\"signal\",\"id\":\"8\",\"consultation\":\"c1\",\"to\":\"e\","
                + "\"description\":{\"type\":\"offer\",\"sdp\":" + bigLiteral + "}}");
        assertThat(((ClientMessage.Signal) large.message()).description().sdpText()).isEqualTo(big);
        assertThat(((ClientMessage.Signal) large.message()).description().sdp().literal()).isEqualTo(bigLiteral);
        for (ClientMessage.Description d : List.of(description, ((ClientMessage.Signal) large.message()).description(),
                // made in code: escaped
                new ClientMessage.Description("offer", JsonString.of("v=0\r\n\"quoted\"")))) {
            String relayed = codec.encode(1, new ServerMessage.SignalRelay("c1", "u1", "e1",
                    ServerMessage.RelayedDescription.of(d), null, null, null));
            assertThat(new ObjectMapper().readTree(relayed).path("description").path("sdp").asText()).isEqualTo(d.sdpText());
        }
    }

    @Test
    void aMessageWithoutItsNumberTakesAnyNumberAsEncodeWouldWriteIt() {
        ServerMessage message = new ServerMessage.Error("r1", "peer_unavailable", "the peer could not be reached");
        ProtocolCodec codec = new ProtocolCodec();

        assertThat(codec.unnumbered(message) + 42 + "}").isEqualTo(codec.encode(42, message));
        assertThat(ProtocolCodec.renumber(codec.encode(7, message), 1234)).isEqualTo(codec.encode(1234, message));
    }
}
