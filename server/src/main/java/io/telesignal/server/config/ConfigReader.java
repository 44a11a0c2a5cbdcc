package io.telesignal.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Typed reads of one key each; every failure names the key. Scalars may arrive as YAML values or text. */
final class ConfigReader {
    private final ObjectNode root;

    ConfigReader(ObjectNode root) {
        this.root = root;
    }

    private JsonNode node(String key) {
        JsonNode node = root;
        for (String part : key.split("\\.")) {
            node = node.get(part);
            if (node == null) {
                throw new IllegalStateException("no default for " + key);
            }
        }
        return node;
    }

    String string(String key) {
        JsonNode node = node(key);
        if (!node.isValueNode()) {
            throw new ConfigException(key, "must be a single value");
        }
        return node.asText().trim();
    }

    Optional<String> optionalString(String key) {
        String value = string(key);
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    int integer(String key, int min, int max) {
        String text = string(key);
        try {
            int value = Integer.parseInt(text);
            if (value < min || value > max) {
                throw new ConfigException(key, "must be between " + min + " and " + max + " (got " + value + ")");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be a whole number (got '" + text + "')");
        }
    }

    boolean bool(String key) {
        String text = string(key).toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new ConfigException(key, "must be true or false (got '" + text + "')");
        };
    }

    Duration duration(String key, Duration min, Duration max) {
        Duration value = Durations.parse(key, string(key));
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigException(key, "must be between " + min + " and " + max + " (got " + value + ")");
        }
        return value;
    }

    String oneOf(String key, Set<String> allowed) {
        String value = string(key);
        if (!allowed.contains(value)) {
            throw new ConfigException(key, "must be one of " + new java.util.TreeSet<>(allowed) + " (got '" + value + "')");
        }
        return value;
    }

    List<String> list(String key) {
        JsonNode node = node(key);
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (!item.isValueNode()) {
                    throw new ConfigException(key, "must be a list of values");
                }
                values.add(item.asText().trim());
            }
        } else if (node.isValueNode()) {
            for (String item : node.asText().split(",")) {
                if (!item.isBlank()) {
                    values.add(item.trim());
                }
            }
        } else {
            throw new ConfigException(key, "must be a list");
        }
        return values;
    }

    Optional<Path> optionalPath(String key) {
        return optionalString(key).map(value -> {
            try {
                return Path.of(value);
            } catch (java.nio.file.InvalidPathException e) {
                throw new ConfigException(key, "not a valid path");
            }
        });
    }

    Optional<URL> optionalUrl(String key) {
        return optionalString(key).map(value -> {
            try {
                URI uri = new URI(value);
                if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                    throw new ConfigException(key, "must be an http(s) URL");
                }
                // keys fetched in the clear could be swapped on the way: only a loopback issuer may use http
                if ("http".equals(uri.getScheme()) && !ServerConfig.isLoopback(String.valueOf(uri.getHost())
                        .replace("[", "").replace("]", ""))) {
                    throw new ConfigException(key, "must use https (http only for a loopback host)");
                }
                return uri.toURL();
            } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
                throw new ConfigException(key, "not a valid URL");
            }
        });
    }
}
