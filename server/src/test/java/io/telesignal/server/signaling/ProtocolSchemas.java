package io.telesignal.server.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The published JSON Schemas of telesignal.v1 (docs/schemas), one per message type and direction. */
final class ProtocolSchemas {
    static final Path ROOT = Path.of("..", "docs", "schemas", "telesignal.v1");
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final Map<Path, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private ProtocolSchemas() {}

    static Optional<JsonSchema> schema(String side, String type) {
        Path file = ROOT.resolve(side).resolve(type + ".json");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(CACHE.computeIfAbsent(file, f -> {
            try (InputStream in = Files.newInputStream(f)) {
                return FACTORY.getSchema(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    /** The problems of a message against its type's schema; a type without a schema is a problem too. */
    static Set<ValidationMessage> problems(String side, JsonNode message) {
        String type = message.path("type").asText();
        return schema(side, type).map(s -> s.validate(message))
                .orElseThrow(() -> new AssertionError("no " + side + " schema for message type '" + type + "'"));
    }

    static void assertValid(String side, JsonNode message) {
        Set<ValidationMessage> problems = problems(side, message);
        if (!problems.isEmpty()) {
            throw new AssertionError(side + " message does not match docs/schemas: " + problems + " in " + message);
        }
    }
}
