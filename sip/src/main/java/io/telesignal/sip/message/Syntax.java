package io.telesignal.sip.message;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** RFC 3261 §25.1 building blocks: tokens, quoted strings, comma lists, parameters. No regular expressions. */
final class Syntax {
    private Syntax() {}

    /** token chars: alphanum and {@code -.!%*_+`'~}. */
    static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-.!%*_+`'~".indexOf(c) >= 0;
    }

    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * Splits a list header's value at the commas that separate its elements: not those inside a quoted string or
     * between angle brackets. Empty elements are refused.
     */
    static List<String> splitList(String value) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        boolean escaped = false;
        int angle = 0;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                angle++;
            } else if (c == '>') {
                angle = Math.max(0, angle - 1);
            } else if (c == ',' && angle == 0) {
                parts.add(element(value.substring(start, i)));
                start = i + 1;
            }
        }
        if (quoted) {
            throw SipParseException.malformed("unterminated quoted string");
        }
        parts.add(element(value.substring(start)));
        return parts;
    }

    private static String element(String raw) {
        String trimmed = raw.strip();
        if (trimmed.isEmpty()) {
            throw SipParseException.malformed("empty element in a header list");
        }
        return trimmed;
    }

    /**
     * A quoted string starting at {@code from} (at its opening quote): its content with quoted-pairs undone, and the
     * index after the closing quote.
     */
    static Quoted quoted(String s, int from) {
        StringBuilder out = new StringBuilder();
        for (int i = from + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                if (i + 1 >= s.length()) {
                    break;
                }
                char next = s.charAt(++i);
                if (next == '\r' || next == '\n') {
                    throw SipParseException.malformed("a quoted-pair escapes a line break");
                }
                out.append(next);
            } else if (c == '"') {
                return new Quoted(out.toString(), i + 1);
            } else {
                out.append(c);
            }
        }
        throw SipParseException.malformed("unterminated quoted string");
    }

    record Quoted(String text, int end) {}

    /**
     * {@code *( SEMI generic-param )} from {@code from}: names lower-cased, values as written (a quoted value keeps
     * its quotes); a name without value maps to the empty string. Whitespace around {@code ;} and {@code =} is allowed.
     */
    static Map<String, String> params(String s, int from) {
        Map<String, String> params = new LinkedHashMap<>();
        int i = skipWs(s, from);
        while (i < s.length()) {
            if (s.charAt(i) != ';') {
                throw SipParseException.malformed("expected ';' before a parameter");
            }
            i = skipWs(s, i + 1);
            int nameStart = i;
            while (i < s.length() && isTokenChar(s.charAt(i))) {
                i++;
            }
            String name = s.substring(nameStart, i);
            if (name.isEmpty()) {
                throw SipParseException.malformed("a parameter has no name");
            }
            i = skipWs(s, i);
            String value = "";
            if (i < s.length() && s.charAt(i) == '=') {
                i = skipWs(s, i + 1);
                if (i < s.length() && s.charAt(i) == '"') {
                    Quoted q = quoted(s, i);
                    value = s.substring(i, q.end());
                    i = q.end();
                } else {
                    int valueStart = i;
                    while (i < s.length() && (isTokenChar(s.charAt(i)) || s.charAt(i) == ':' || s.charAt(i) == '['
                            || s.charAt(i) == ']')) {
                        i++;
                    }
                    value = s.substring(valueStart, i);
                    if (value.isEmpty()) {
                        throw SipParseException.malformed("parameter " + name.toLowerCase(Locale.ROOT) + " has '=' and no value");
                    }
                }
                i = skipWs(s, i);
            }
            if (params.putIfAbsent(name.toLowerCase(Locale.ROOT), value) != null) {
                throw SipParseException.malformed("parameter " + name.toLowerCase(Locale.ROOT) + " given twice");
            }
        }
        return params;
    }

    static int skipWs(String s, int i) {
        while (i < s.length() && isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** %XX escapes undone (RFC 3261 §19.1.2: compare unescaped); a bad escape is malformed. */
    static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw SipParseException.malformed("a bad %-escape in a URI");
                }
                bytes.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
