package io.telesignal.sip.message;

import java.util.Map;
import java.util.Optional;

/**
 * A From, To, Contact, Route or Record-Route value (RFC 3261 §20.10, §25.1 name-addr / addr-spec): an optional
 * display name (a quoted string, quoted-pairs undone, or tokens), the URI (in angle brackets or bare), and the
 * header's parameters. In a bare addr-spec every {@code ;param} is the header's, not the URI's (§20). The URI is kept
 * as written; {@link #sipUri} parses it when it is a SIP or SIPS URI.
 */
public record NameAddr(Optional<String> displayName, String uri, Map<String, String> params) {
    public NameAddr {
        params = Map.copyOf(params);
    }

    public static NameAddr parse(String text) {
        String s = text.strip();
        int i = 0;
        Optional<String> display = Optional.empty();
        if (s.startsWith("\"")) {
            Syntax.Quoted q = Syntax.quoted(s, 0);
            display = Optional.of(q.text());
            i = Syntax.skipWs(s, q.end());
            if (i >= s.length() || s.charAt(i) != '<') {
                throw SipParseException.malformed("a display name is not followed by <URI>");
            }
        }
        int open = s.indexOf('<', i);
        if (open >= 0 && (display.isPresent() || beforeParams(s, open))) {
            if (display.isEmpty()) {
                String tokens = s.substring(0, open).strip();
                for (int k = 0; k < tokens.length(); k++) {
                    char c = tokens.charAt(k);
                    if (!Syntax.isTokenChar(c) && !Syntax.isWhitespace(c)) {
                        throw SipParseException.malformed("an unquoted display name holds a character it may not");
                    }
                }
                display = tokens.isEmpty() ? Optional.empty() : Optional.of(tokens);
            }
            int close = s.indexOf('>', open);
            if (close < 0) {
                throw SipParseException.malformed("'<' without '>'");
            }
            String uri = s.substring(open + 1, close);
            if (uri.isEmpty() || uri.chars().anyMatch(c -> c == ' ' || c == '\t' || c == '<')) {
                throw SipParseException.malformed("the URI in angle brackets is empty or holds whitespace");
            }
            return new NameAddr(display, uri, Syntax.params(s, close + 1));
        }
        int end = 0;
        while (end < s.length() && s.charAt(end) != ';' && !Syntax.isWhitespace(s.charAt(end))) {
            end++;
        }
        String uri = s.substring(0, end);
        if (uri.isEmpty() || uri.indexOf(':') < 0) {
            throw SipParseException.malformed("an address has no URI");
        }
        if (uri.indexOf('?') >= 0 || uri.indexOf(',') >= 0) {
            throw SipParseException.malformed("a URI with '?' or ',' must be in angle brackets");
        }
        return new NameAddr(Optional.empty(), uri, Syntax.params(s, end));
    }

    /** The '<' opens the URI when no ';' comes before it (else it is inside a parameter of a bare addr-spec). */
    private static boolean beforeParams(String s, int open) {
        int semi = s.indexOf(';');
        return semi < 0 || semi > open;
    }

    public Optional<SipUri> sipUri() {
        try {
            return Optional.of(SipUri.parse(uri));
        } catch (SipParseException e) {
            return Optional.empty();
        }
    }

    public Optional<String> tag() {
        return Optional.ofNullable(params.get("tag"));
    }
}
