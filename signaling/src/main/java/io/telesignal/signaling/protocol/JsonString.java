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
 * as a string: the literal is always well-formed JSON for exactly {@link #value}. A field Jackson had to buffer
 * (because it came before {@code type}) gets none, nor does a value made in code: those are escaped as usual.
 */
@JsonDeserialize(using = JsonString.Reader.class)
@JsonSerialize(using = JsonString.Writer.class)
public record JsonString(String value, String literal) {
    public JsonString {
        java.util.Objects.requireNonNull(value, "value");
    }

    /** A value made in code: written escaped. */
    public static JsonString of(String value) {
        return new JsonString(value, null);
    }

    /** A value with the literal it arrived in, when it has one. */
    public static JsonString of(String value, String literal) {
        return new JsonString(value, literal);
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
            if (from < 0 || to > text.length() || to - from < value.length() + 2L
                    || text.charAt((int) from) != '"' || text.charAt((int) to - 1) != '"') {
                return null;
            }
            return text.substring((int) from, (int) to);
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
