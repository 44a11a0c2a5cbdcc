package io.telesignal.signaling.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads client messages strictly and writes server messages. Strict means: one JSON object per message, a known
 * {@code type}, no unknown or duplicate fields, no type coercion ({@code "5"} is not a number, {@code 1} not a
 * string), nesting at most 16 deep. Problems are told apart by exception type, never by message text.
 */
public final class ProtocolCodec {
    private final ObjectMapper mapper;
    private final ObjectReader reader;
    private final com.fasterxml.jackson.databind.ObjectWriter writer;

    public ProtocolCodec() {
        JsonMapper jsonMapper = JsonMapper.builder()
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // absent, not null: the published schemas have no nullable fields
                .serializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                .build();
        jsonMapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(16).maxStringLength(128 * 1024).maxNumberLength(32).build());
        // "5" is not a number and 5 is not a string: refuse every scalar coercion
        jsonMapper.coercionConfigDefaults()
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        jsonMapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        jsonMapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
        jsonMapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.TryConvert);
        this.mapper = jsonMapper;
        this.reader = jsonMapper.readerFor(ClientMessage.class);
        this.writer = jsonMapper.writerFor(ServerMessage.class);
    }

    public Decoded decode(String text) {
        JsonNode tree;
        try {
            tree = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return Decoded.failed(new ProtocolError(ProtocolError.MALFORMED_JSON, "not a JSON object", null));
        }
        if (tree == null || !tree.isObject()) {
            return Decoded.failed(new ProtocolError(ProtocolError.MALFORMED_JSON, "not a JSON object", null));
        }
        ObjectNode object = (ObjectNode) tree;
        String re = object.path("id").isTextual() && object.path("id").asText().length() <= Fields.MAX_ID
                ? object.path("id").asText() : null;
        Optional<Long> ack = Optional.empty();
        JsonNode ackNode = object.remove("ack");
        if (ackNode != null && !object.path("type").asText().equals("ack")) {
            if (!ackNode.isIntegralNumber() || !ackNode.canConvertToLong() || ackNode.asLong() < 0) {
                return Decoded.failed(new ProtocolError(ProtocolError.INVALID_FIELD, "ack must be a non-negative integer", re));
            }
            ack = Optional.of(ackNode.asLong());
        } else if (ackNode != null) {
            object.set("ack", ackNode);
        }
        if (!object.path("type").isTextual()) {
            return Decoded.failed(new ProtocolError(ProtocolError.UNKNOWN_TYPE, "type is required and must be a string", re));
        }
        try {
            return Decoded.of(reader.readValue(object), ack);
        } catch (InvalidTypeIdException e) {
            return Decoded.failed(new ProtocolError(ProtocolError.UNKNOWN_TYPE, "unknown message type", re));
        } catch (UnrecognizedPropertyException e) {
            return Decoded.failed(new ProtocolError(ProtocolError.UNKNOWN_FIELD, "unknown field " + path(e), re));
        } catch (ValueInstantiationException e) {
            String problem = e.getCause() instanceof InvalidFieldException invalid ? invalid.getMessage() : "invalid value";
            return Decoded.failed(new ProtocolError(ProtocolError.INVALID_FIELD, problem, re));
        } catch (MismatchedInputException e) {
            return Decoded.failed(new ProtocolError(ProtocolError.INVALID_FIELD, path(e) + " has the wrong type", re));
        } catch (java.io.IOException e) {
            return Decoded.failed(new ProtocolError(ProtocolError.INVALID_FIELD, "invalid message", re));
        }
    }

    /** Writes a server message with its sequence number (0 for connection-level messages). */
    public String encode(long seq, ServerMessage message) {
        try {
            // the type id comes from ServerMessage's @JsonTypeInfo, which Jackson applies to every subtype; seq goes
            // last, spliced in place of the closing brace (no intermediate tree: this runs for every message sent)
            String json = writer.writeValueAsString(message);
            return new StringBuilder(json.length() + 24).append(json, 0, json.length() - 1)
                    .append(",\"seq\":").append(seq).append('}').toString();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("server message not serializable: " + message.getClass().getSimpleName(), e);
        }
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        String joined = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return joined.isEmpty() ? "(message)" : joined;
    }
}
