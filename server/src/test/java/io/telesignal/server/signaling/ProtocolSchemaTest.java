package io.telesignal.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.telesignal.signaling.protocol.ClientMessage;
import io.telesignal.signaling.protocol.ProtocolCodec;
import io.telesignal.signaling.protocol.ServerMessage;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The schemas in docs/schemas agree with the codec: every message type has one, what the codec accepts the schema
 * accepts, and what the schema refuses the codec refuses. Server messages are checked against their schemas in
 * every WebSocket test (WsClient validates all it receives).
 */
class ProtocolSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ProtocolCodec codec = new ProtocolCodec();

    @Test
    void everyMessageTypeHasASchema() {
        for (JsonSubTypes.Type type : ClientMessage.class.getAnnotation(JsonSubTypes.class).value()) {
            assertThat(ProtocolSchemas.schema("client", type.name())).as("client " + type.name()).isPresent();
        }
        for (JsonSubTypes.Type type : ServerMessage.class.getAnnotation(JsonSubTypes.class).value()) {
            assertThat(ProtocolSchemas.schema("server", type.name())).as("server " + type.name()).isPresent();
        }
        assertThat(Arrays.stream(ClientMessage.class.getAnnotation(JsonSubTypes.class).value())).hasSize(14);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"hello\",\"token\":\"t\"}",
        "{\"type\":\"hello\",\"token\":\"t\",\"resume\":{\"session\":\"s\",\"resumeToken\":\"r\",\"lastSeq\":7}}",
        "{\"type\":\"hello\",\"token\":\"t\",\"signalAcks\":\"cumulative\"}",
        "{\"type\":\"hello\",\"token\":\"t\",\"signalAcks\":\"each\"}",
        "{\"type\":\"ack\",\"seq\":3}",
        "{\"type\":\"join\",\"id\":\"1\",\"consultation\":\"c1\",\"ack\":2}",
        "{\"type\":\"join\",\"id\":\"1\",\"consultation\":\"c1\",\"invite\":\"a.b.c\"}",
        "{\"type\":\"leave\",\"id\":\"1\",\"consultation\":\"c1\"}",
        "{\"type\":\"admit\",\"id\":\"1\",\"consultation\":\"c1\",\"user\":\"u\"}",
        "{\"type\":\"deny\",\"id\":\"1\",\"consultation\":\"c1\",\"user\":\"u\"}",
        "{\"type\":\"remove\",\"id\":\"1\",\"consultation\":\"c1\",\"user\":\"u\"}",
        "{\"type\":\"end\",\"id\":\"1\",\"consultation\":\"c1\"}",
        "{\"type\":\"signal\",\"id\":\"1\",\"consultation\":\"c1\",\"to\":\"e\",\"description\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}",
        "{\"type\":\"signal\",\"id\":\"1\",\"consultation\":\"c1\",\"to\":\"e\",\"description\":{\"type\":\"rollback\"}}",
        "{\"type\":\"signal\",\"id\":\"1\",\"consultation\":\"c1\",\"to\":\"e\",\"candidate\":{\"candidate\":\"\",\"sdpMid\":\"0\"}}",
        "{\"type\":\"signal\",\"id\":\"1\",\"consultation\":\"c1\",\"to\":\"e\",\"restart\":true}",
        "{\"type\":\"signal\",\"id\":\"1\",\"consultation\":\"c1\",\"to\":\"e\",\"hangup\":{}}",
        "{\"type\":\"chat\",\"id\":\"1\",\"consultation\":\"c1\",\"text\":\"hi\"}",
        "{\"type\":\"chat\",\"id\":\"1\",\"consultation\":\"c1\",\"text\":\"hi\",\"clientId\":\"k-1\"}",
        "{\"type\":\"history\",\"id\":\"1\",\"consultation\":\"c1\",\"limit\":20}",
        "{\"type\":\"invite\",\"id\":\"1\",\"consultation\":\"c1\",\"role\":\"guest\",\"ttl\":\"2h\"}",
        "{\"type\":\"presence\",\"id\":\"1\",\"status\":\"busy\",\"note\":\"in a call\"}",
        "{\"type\":\"watch\",\"id\":\"1\",\"users\":[\"u1\",\"u2\"]}",
    })
    void whatTheCodecAcceptsTheSchemaAccepts(String json) throws Exception {
        assertThat(codec.decode(json).ok()).as(json).isTrue();
        assertThat(ProtocolSchemas.problems("client", JSON.readTree(json))).as(json).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"join\",\"id\":\"1\"}",
        "{\"type\":\"hello\",\"token\":\"t\",\"signalAcks\":\"sometimes\"}",
        "{\"type\":\"join\",\"id\":\"1\",\"consultation\":\"c1\",\"colour\":\"red\"}",
        "{\"type\":\"join\",\"id\":1,\"consultation\":\"c1\"}",
        "{\"type\":\"ack\",\"seq\":\"5\"}",
        "{\"type\":\"ack\",\"seq\":-1}",
        "{\"type\":\"signal\",\"id\":\"1\",\"consultation\":\"c1\",\"to\":\"e\"}",
        "{\"type\":\"signal\",\"id\":\"1\",\"consultation\":\"c1\",\"to\":\"e\",\"restart\":true,\"hangup\":{}}",
        "{\"type\":\"signal\",\"id\":\"1\",\"consultation\":\"c1\",\"to\":\"e\",\"description\":{\"type\":\"bogus\",\"sdp\":\"x\"}}",
        "{\"type\":\"presence\",\"id\":\"1\",\"status\":\"offline\"}",
        "{\"type\":\"watch\",\"id\":\"1\",\"users\":[]}",
        "{\"type\":\"invite\",\"id\":\"1\",\"consultation\":\"c1\",\"role\":\"provider\"}",
        "{\"type\":\"chat\",\"id\":\"1\",\"consultation\":\"c1\",\"text\":\"\"}",
        "{\"type\":\"chat\",\"id\":\"1\",\"consultation\":\"c1\",\"text\":\"hi\",\"clientId\":\"\"}",
    })
    void whatTheSchemaRefusesTheCodecRefuses(String json) throws Exception {
        assertThat(ProtocolSchemas.problems("client", JSON.readTree(json))).as(json).isNotEmpty();
        assertThat(codec.decode(json).ok()).as(json).isFalse();
    }
}
