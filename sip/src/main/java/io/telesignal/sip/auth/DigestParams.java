package io.telesignal.sip.auth;

import io.telesignal.sip.message.SipParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The parameters of a {@code Digest} credentials or challenge (RFC 7616 §3.4, RFC 3261 §25.1 digest-response):
 * comma-separated {@code name=value} pairs, values as tokens or quoted strings (quoted-pairs undone). Names are lower
 * case; each may appear once.
 */
final class DigestParams {
    private DigestParams() {}

    static Map<String, String> parse(String header) {
        String s = header.strip();
        if (!s.regionMatches(true, 0, "Digest", 0, 6) || (s.length() > 6 && s.charAt(6) != ' ' && s.charAt(6) != '\t')) {
            throw new SipParseException(400, "credentials are not Digest");
        }
        Map<String, String> params = new LinkedHashMap<>();
        int i = 6;
        while (i < s.length()) {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == ',')) {
                i++;
            }
            if (i >= s.length()) {
                break;
            }
            int nameStart = i;
            while (i < s.length() && s.charAt(i) != '=' && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                i++;
            }
            String name = s.substring(nameStart, i).toLowerCase(Locale.ROOT);
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            if (name.isEmpty() || i >= s.length() || s.charAt(i) != '=') {
                throw new SipParseException(400, "a Digest parameter has no value");
            }
            i++;
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
            String value;
            if (i < s.length() && s.charAt(i) == '"') {
                StringBuilder out = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < s.length()) {
                    char c = s.charAt(i++);
                    if (c == '\\' && i < s.length()) {
                        out.append(s.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        out.append(c);
                    }
                }
                if (!closed) {
                    throw new SipParseException(400, "a Digest parameter's quoted value is not closed");
                }
                value = out.toString();
            } else {
                int valueStart = i;
                while (i < s.length() && s.charAt(i) != ',' && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                    i++;
                }
                value = s.substring(valueStart, i);
            }
            if (params.putIfAbsent(name, value) != null) {
                throw new SipParseException(400, "Digest parameter " + name + " given twice");
            }
        }
        return params;
    }
}
