package io.telesignal.xmpp.component;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The components' secrets file ({@code xmpp.components.secretsFile}): one component a line, its domain and its secret
 * separated by blanks; blank lines and lines starting with {@code #} are skipped. Keep it readable by the server only.
 */
public final class ComponentSecrets {
    /** A secret shorter than this is refused: the handshake is a SHA-1 a listener on the path could try to guess. */
    public static final int MIN_SECRET = 16;
    private static final Pattern DOMAIN = Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private ComponentSecrets() {}

    /**
     * Reads the file; {@code taken} are domains no component may have (the users' and the rooms').
     *
     * @throws IllegalArgumentException it cannot be read, or a line is wrong (the message says which and why)
     */
    public static Map<String, String> read(Path file, Set<String> taken) {
        java.util.List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getClass().getSimpleName());
        }
        Map<String, String> secrets = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String where = file + " line " + (i + 1);
            if (parts.length != 2) {
                throw new IllegalArgumentException(where + ": expected a domain and a secret");
            }
            String domain = parts[0].toLowerCase(Locale.ROOT);
            if (!DOMAIN.matcher(domain).matches()) {
                throw new IllegalArgumentException(where + ": not a domain name");
            }
            if (taken.contains(domain)) {
                throw new IllegalArgumentException(where + ": " + domain + " is already served by this server");
            }
            if (parts[1].length() < MIN_SECRET) {
                throw new IllegalArgumentException(where + ": the secret must be at least " + MIN_SECRET + " characters");
            }
            if (secrets.put(domain, parts[1]) != null) {
                throw new IllegalArgumentException(where + ": " + domain + " is listed twice");
            }
        }
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException(file + " lists no component");
        }
        return secrets;
    }
}
