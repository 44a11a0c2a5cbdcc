package io.telesignal.server.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The configuration as a tree: the defaults, with a YAML file and environment variables laid over them.
 * The defaults name every key there is, so a misspelt key in the file is refused rather than silently ignored; an
 * unknown {@code TELESIGNAL_*} variable is reported back (a platform may have set it) and warned about at start.
 */
final class ConfigTree {
    static final String ENV_PREFIX = "TELESIGNAL_";
    /** Variables with this prefix that are not configuration keys. */
    private static final String[] ENV_NOT_KEYS = {"TELESIGNAL_CONFIG", "TELESIGNAL_TEST_"};

    private static final ObjectMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private final ObjectNode root;

    private ConfigTree(ObjectNode root) {
        this.root = root;
    }

    static ConfigTree defaults() {
        try (InputStream in = ConfigTree.class.getResourceAsStream("defaults.yaml")) {
            return new ConfigTree((ObjectNode) YAML.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("built-in defaults.yaml unreadable", e);
        }
    }

    ObjectNode root() {
        return root;
    }

    void overlayFile(Path file) {
        JsonNode overlay;
        try {
            if (!Files.isReadable(file)) {
                throw new ConfigException("--config", "cannot read " + file);
            }
            overlay = YAML.readTree(file.toFile());
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            String reason = String.valueOf(e.getOriginalMessage()).replaceAll("\\s+", " ").trim();
            throw new ConfigException("--config", "not valid YAML" + where + ": " + reason);
        } catch (IOException e) {
            throw new ConfigException("--config", "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        if (overlay == null || overlay.isMissingNode() || overlay.isNull()) {
            return;
        }
        if (!overlay.isObject()) {
            throw new ConfigException("--config", "the file must be a YAML mapping of keys");
        }
        overlay(root, (ObjectNode) overlay, "");
    }

    private static void overlay(ObjectNode base, ObjectNode overlay, String prefix) {
        for (Iterator<Map.Entry<String, JsonNode>> it = overlay.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = prefix + field.getKey();
            JsonNode current = base.get(field.getKey());
            if (current == null) {
                throw new ConfigException(key, "unknown key");
            }
            JsonNode value = field.getValue();
            if (current.isObject()) {
                if (!value.isObject()) {
                    throw new ConfigException(key, "must be a mapping of keys");
                }
                overlay((ObjectNode) current, (ObjectNode) value, key + ".");
            } else if (value.isObject()) {
                throw new ConfigException(key, "must be a single value, not a mapping");
            } else {
                base.set(field.getKey(), value.isNull() ? TextNode.valueOf("") : value);
            }
        }
    }

    /**
     * Lays the {@code TELESIGNAL_*} variables over the tree; answers the names of those that match no key, sorted.
     * Those are not refused: platforms set such variables themselves (Kubernetes injects {@code TELESIGNAL_PORT},
     * {@code TELESIGNAL_SERVICE_HOST} and more into every pod when a Service is named {@code telesignal}), so the
     * server warns about them and goes on. A bad value of a known key still stops the start.
     */
    java.util.List<String> overlayEnvironment(Map<String, String> env) {
        Map<String, String> keyByVariable = new LinkedHashMap<>();
        collectVariables(root, "", keyByVariable);
        java.util.List<String> ignored = new java.util.ArrayList<>();
        for (Map.Entry<String, String> variable : env.entrySet()) {
            String name = variable.getKey();
            if (!name.startsWith(ENV_PREFIX) || isNotAKey(name)) {
                continue;
            }
            String key = keyByVariable.get(name);
            if (key == null) {
                ignored.add(name);
                continue;
            }
            set(key, variable.getValue());
        }
        java.util.Collections.sort(ignored);
        return java.util.List.copyOf(ignored);
    }

    /** Sets one leaf from text (environment variables and command-line flags). */
    void set(String key, String text) {
        String[] parts = key.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (ObjectNode) node.get(parts[i]);
        }
        String leaf = parts[parts.length - 1];
        if (node.get(leaf).isArray()) {
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            for (String item : text.split(",")) {
                if (!item.isBlank()) {
                    list.add(item.trim());
                }
            }
            node.set(leaf, list);
        } else {
            node.set(leaf, TextNode.valueOf(text));
        }
    }

    private static boolean isNotAKey(String name) {
        for (String prefix : ENV_NOT_KEYS) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static void collectVariables(ObjectNode node, String prefix, Map<String, String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = prefix + field.getKey();
            if (field.getValue().isObject()) {
                collectVariables((ObjectNode) field.getValue(), key + ".", out);
            } else {
                out.put(variableFor(key), key);
            }
        }
    }

    /** {@code http.maxRequestBytes} becomes {@code TELESIGNAL_HTTP_MAX_REQUEST_BYTES}. */
    static String variableFor(String key) {
        StringBuilder name = new StringBuilder(ENV_PREFIX);
        for (char ch : key.toCharArray()) {
            if (ch == '.') {
                name.append('_');
            } else if (Character.isUpperCase(ch)) {
                name.append('_').append(ch);
            } else {
                name.append(Character.toUpperCase(ch));
            }
        }
        return name.toString().toUpperCase(Locale.ROOT);
    }

    /** Every leaf key, in file order. */
    static java.util.List<String> keys(ObjectNode node, String prefix) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isObject()) {
                keys.addAll(keys((ObjectNode) field.getValue(), prefix + field.getKey() + "."));
            } else {
                keys.add(prefix + field.getKey());
            }
        }
        return keys;
    }
}
