package io.telesignal.signaling.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads client messages strictly and writes server messages. Strict means: one JSON object per message, a known
 * {@code type}, no unknown or duplicate fields, no type coercion ({@code "5"} is not a number, {@code 1} not a
 * string), nesting at most 16 deep. Problems are told apart by exception type, never by message text.
 */
public final class ProtocolCodec {
    /** The attribute, and field, that carries a server message's sequence number. */
    static final String SEQ = "seq";
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

    /**
     * Reads one client message: a plain {@code signal} by {@link SignalReader}, any other in a single streaming pass
     * through Jackson. There the piggy-backed {@code ack} is taken out of the token stream on the way (see
     * {@link MessageParser}), everything else is bound strictly. Only a refused message is looked at a second time,
     * to find its {@code id} for the error's {@code re}.
     */
    public Decoded decode(String text) {
        Decoded plain = SignalReader.read(text); // a plain signal straight from the text; anything else the strict way
        return plain != null ? plain : decodeWithJackson(text);
    }

    /** What {@link #decode} answers for any text, through databind (package-private: the fast reader's test compares). */
    Decoded decodeWithJackson(String text) {
        MessageParser parser;
        try {
            JsonParser raw = mapper.createParser(text);
            if (raw.nextToken() != JsonToken.START_OBJECT) {
                return Decoded.failed(new ProtocolError(ProtocolError.MALFORMED_JSON, "not a JSON object", null));
            }
            parser = new MessageParser(raw, text);
        } catch (java.io.IOException e) {
            return Decoded.failed(new ProtocolError(ProtocolError.MALFORMED_JSON, "not a JSON object", null));
        }
        try (parser) {
            ClientMessage message = reader.readValue(parser);
            if (parser.delegate().nextToken() != null) {
                return Decoded.failed(new ProtocolError(ProtocolError.MALFORMED_JSON, "not a JSON object", null));
            }
            if (parser.invalidAck) {
                return invalidAck(text);
            }
            return Decoded.of(message, parser.ack == null ? Optional.empty() : Optional.of(parser.ack));
        } catch (java.io.IOException e) {
            if (malformed(e)) {
                return Decoded.failed(new ProtocolError(ProtocolError.MALFORMED_JSON, "not a JSON object", null));
            }
            if (parser.invalidAck) {
                return invalidAck(text);
            }
            String re = requestId(text);
            if (e instanceof InvalidTypeIdException) {
                return Decoded.failed(new ProtocolError(ProtocolError.UNKNOWN_TYPE, "type is required and must be a"
                        + " known message type", re));
            } else if (e instanceof UnrecognizedPropertyException unknown) {
                return Decoded.failed(new ProtocolError(ProtocolError.UNKNOWN_FIELD, "unknown field " + path(unknown), re));
            } else if (e instanceof ValueInstantiationException) {
                String problem = e.getCause() instanceof InvalidFieldException invalid ? invalid.getMessage() : "invalid value";
                return Decoded.failed(new ProtocolError(ProtocolError.INVALID_FIELD, problem, re));
            } else if (e instanceof MismatchedInputException mismatched) {
                return Decoded.failed(new ProtocolError(ProtocolError.INVALID_FIELD, path(mismatched) + " has the wrong type", re));
            }
            return Decoded.failed(new ProtocolError(ProtocolError.INVALID_FIELD, "invalid message", re));
        }
    }

    /** Not JSON, or JSON past the reading limits (nesting, lengths), rather than a message that does not bind. */
    private static boolean malformed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.exc.StreamReadException
                    || t instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
                return true;
            }
        }
        return false;
    }

    private Decoded invalidAck(String text) {
        return Decoded.failed(new ProtocolError(ProtocolError.INVALID_FIELD, "ack must be a non-negative integer",
                requestId(text)));
    }

    /** The {@code id} of a refused message, if it has a usable one (the failure path only). */
    private String requestId(String text) {
        try {
            JsonNode id = mapper.readTree(text).path("id");
            return id.isTextual() && id.asText().length() <= Fields.MAX_ID ? id.asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * The parser binding reads a client message through. It takes the top-level {@code ack} field out of the token
     * stream as it goes by, so that binding never sees it: a valid one (a non-negative integer) is kept in
     * {@link #ack}, anything else sets {@link #invalidAck}. It also holds the message's {@link #text}, which the
     * parser under it reads, for {@link JsonString} to cut literals out of.
     */
    static final class MessageParser extends com.fasterxml.jackson.core.util.JsonParserDelegate {
        final String text;
        Long ack;
        boolean invalidAck;

        MessageParser(JsonParser raw, String text) {
            super(raw);
            this.text = text;
        }

        @Override
        public JsonToken nextToken() throws java.io.IOException {
            JsonToken token = delegate.nextToken();
            while (token == JsonToken.FIELD_NAME && delegate.getParsingContext().getParent().inRoot()
                    && "ack".equals(delegate.currentName())) {
                JsonToken value = delegate.nextToken();
                if (value == JsonToken.VALUE_NUMBER_INT && delegate.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                        && delegate.getLongValue() >= 0) {
                    ack = delegate.getLongValue();
                } else {
                    invalidAck = true;
                    delegate.skipChildren();
                }
                token = delegate.nextToken();
            }
            return token;
        }

        @Override
        public String nextFieldName() throws java.io.IOException {
            return nextToken() == JsonToken.FIELD_NAME ? delegate.currentName() : null;
        }

        @Override
        public boolean nextFieldName(com.fasterxml.jackson.core.SerializableString name) throws java.io.IOException {
            return nextToken() == JsonToken.FIELD_NAME && name.getValue().equals(delegate.currentName());
        }

        @Override
        public JsonToken nextValue() throws java.io.IOException {
            JsonToken token = nextToken();
            return token == JsonToken.FIELD_NAME ? nextToken() : token;
        }
    }

    /** Writes a server message with its sequence number (0 for connection-level messages), last. */
    public String encode(long seq, ServerMessage message) {
        if (message instanceof ServerMessage.SignalRelay relay) {
            return RelayWriter.write(relay, seq); // the same characters, without databind's walk
        }
        if (message instanceof ServerMessage.Signaled signaled) {
            return RelayWriter.write(signaled, seq);
        }
        return encodeWithJackson(seq, message);
    }

    /** What {@link #encode} writes for any message, through databind (package-private: the writer's test compares). */
    String encodeWithJackson(long seq, ServerMessage message) {
        try {
            // the type id comes from ServerMessage's @JsonTypeInfo, seq from its @JsonAppend attribute
            return writer.withAttribute(SEQ, seq).writeValueAsString(message);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("server message not serializable: " + message.getClass().getSimpleName(), e);
        }
    }

    private static final String SEQ_FIELD = "\"seq\":";

    /**
     * A server message without its number, for a store to number: {@code unnumbered(m) + n + "}"} is what
     * {@link #encode} writes for {@code n}, since the number is the last field.
     */
    public String unnumbered(ServerMessage message) {
        String text = encode(0, message);
        return text.substring(0, text.length() - "0}".length());
    }

    /** A message as written, with another number in place of its own (the last field). */
    public static String renumber(String text, long seq) {
        return text.substring(0, text.lastIndexOf(SEQ_FIELD)) + SEQ_FIELD + seq + "}";
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        String joined = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        return joined.isEmpty() ? "(message)" : joined;
    }
}
