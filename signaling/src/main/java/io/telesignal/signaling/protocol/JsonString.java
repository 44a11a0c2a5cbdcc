package io.telesignal.signaling.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * A string field kept together with the JSON literal it arrived as (quotes and escapes included), so that relaying
 * it writes those characters back instead of escaping the value again. A session description has a {@code \r\n}
 * every 30-odd characters, and escaping it on the way out was the relay's hottest method. On the wire it is a plain
 * JSON string; the published schemas do not change.
 *
 * <p>The codec cuts the literal out of the message's own text, at the token's offsets, after the parser accepted it
 * as a string: the literal is then well-formed JSON for exactly {@link #value}. It keeps none for a field Jackson
 * had to buffer (because it came before {@code type}), nor for one with a {@code \}{@code u} escape (so that an
 * escaped lone surrogate is written as before, not passed on). A value made in code has none either: those are
 * escaped as usual. Equality is the value's.
 */
@JsonDeserialize(using = JsonString.Reader.class)
@JsonSerialize(using = JsonString.Writer.class)
public final class JsonString {
    private final String value;
    private final String literal;

    private JsonString(String value, String literal) {
        this.value = java.util.Objects.requireNonNull(value, "value");
        this.literal = literal;
    }

    /** A value made in code: written escaped. */
    public static JsonString of(String value) {
        return new JsonString(value, null);
    }

    /**
     * A value to relay with the literal this codec read for it ({@code CallSignal.Description.sdpJson}), which
     * must be for this very value: whoever changes a value drops its literal. What cannot be a JSON string literal
     * of the value (too short, not quoted) is dropped, and the value is escaped.
     */
    public static JsonString relayed(String value, String literal) {
        return new JsonString(value, plausible(literal, value) ? literal : null);
    }

    /** Quoted and long enough to hold {@code value}: what any JSON string literal of it is. */
    private static boolean plausible(String literal, String value) {
        return literal != null && literal.length() >= value.length() + 2 && literal.charAt(0) == '"'
                && literal.charAt(literal.length() - 1) == '"';
    }

    public String value() {
        return value;
    }

    /** The literal it arrived as, or null. */
    public String literal() {
        return literal;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof JsonString string && value.equals(string.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "JsonString[" + value.length() + " chars" + (literal == null ? "" : ", literal") + "]";
    }

    /** Reads a JSON string, keeping its literal when the parser reads straight from the message's characters. */
    static final class Reader extends StdDeserializer<JsonString> {
        Reader() {
            super(JsonString.class);
        }

        @Override
        public JsonString deserialize(JsonParser p, DeserializationContext context) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (JsonString) context.handleUnexpectedToken(JsonString.class, p);
            }
            String value = p.getText();
            return new JsonString(value, literal(p, value));
        }

        private static String literal(JsonParser p, String value) {
            JsonParser at = p;
            while (at instanceof JsonParserDelegate delegate && !(at instanceof ProtocolCodec.MessageParser)) {
                at = delegate.delegate();
            }
            // only the codec's own parser knows the message's text; a field Jackson buffered (it came before
            // "type") is read from a token buffer instead, whose locations are not this token's
            if (!(at instanceof ProtocolCodec.MessageParser message)) {
                return null;
            }
            JsonParser source = message.delegate();
            long from = source.currentTokenLocation().getCharOffset();
            long to = source.currentLocation().getCharOffset();
            String text = message.text;
            if (from < 0 || to > text.length() || from >= to) {
                return null;
            }
            String literal = text.substring((int) from, (int) to);
            return plausible(literal, value) && literal.indexOf("\\u") < 0 ? literal : null;
        }
    }

    /** Writes the literal as it came, or the value escaped when there is none. */
    static final class Writer extends StdSerializer<JsonString> {
        Writer() {
            super(JsonString.class);
        }

        @Override
        public void serialize(JsonString string, JsonGenerator generator, SerializerProvider provider) throws IOException {
            if (string.literal != null) {
                generator.writeRawValue(string.literal);
            } else {
                generator.writeString(string.value);
            }
        }
    }
}
