package io.telesignal.sip.message;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A SIP or SIPS URI (RFC 3261 §19.1): user (with %-escapes undone for comparison), password, host (a name, an IPv4
 * address or an IPv6 reference in brackets), port, parameters and headers. {@link #text} is the URI as written,
 * which is what a proxy forwards.
 */
public record SipUri(String text, boolean secure, Optional<String> user, Optional<String> password, String host,
        OptionalInt port, Map<String, String> params, Optional<String> headers) {

    public SipUri {
        params = Map.copyOf(params);
    }

    /** A {@code sip:} or {@code sips:} URI; anything else is malformed here. */
    public static SipUri parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw SipParseException.malformed("a URI has no scheme");
        }
        String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("sip") && !scheme.equals("sips")) {
            throw new SipParseException(416, "Unsupported URI Scheme");
        }
        String rest = text.substring(colon + 1);
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c <= ' ' || c == '<' || c == '>' || c == '"' || c >= 0x7f) {
                throw SipParseException.malformed("a URI holds a character that must be escaped");
            }
        }
        // the user part may hold '?', ';', '/' and more (user-unreserved): the '@' ends it first, then '?' begins
        // the headers
        Optional<String> user = Optional.empty();
        Optional<String> password = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            String userinfo = rest.substring(0, at);
            int pw = userinfo.indexOf(':');
            String rawUser = pw >= 0 ? userinfo.substring(0, pw) : userinfo;
            if (rawUser.isEmpty()) {
                throw SipParseException.malformed("a URI has '@' and no user");
            }
            user = Optional.of(Syntax.unescape(rawUser));
            if (pw >= 0) {
                password = Optional.of(Syntax.unescape(userinfo.substring(pw + 1)));
            }
            rest = rest.substring(at + 1);
        }
        Optional<String> headers = Optional.empty();
        int question = rest.indexOf('?');
        if (question >= 0) {
            headers = Optional.of(rest.substring(question + 1));
            rest = rest.substring(0, question);
        }
        int semi = rest.indexOf(';');
        String hostport = semi >= 0 ? rest.substring(0, semi) : rest;
        Map<String, String> params = semi >= 0 ? Syntax.params(rest, semi) : Map.of();
        String host;
        OptionalInt port = OptionalInt.empty();
        String portText = null;
        if (hostport.startsWith("[")) {
            int close = hostport.indexOf(']');
            if (close < 0) {
                throw SipParseException.malformed("an IPv6 reference has no ']'");
            }
            host = hostport.substring(0, close + 1);
            checkIpv6(host.substring(1, close));
            if (close + 1 < hostport.length()) {
                if (hostport.charAt(close + 1) != ':') {
                    throw SipParseException.malformed("a URI's host is followed by something other than a port");
                }
                portText = hostport.substring(close + 2);
            }
        } else {
            int portColon = hostport.indexOf(':');
            host = portColon >= 0 ? hostport.substring(0, portColon) : hostport;
            if (portColon >= 0) {
                portText = hostport.substring(portColon + 1);
            }
            checkHostname(host);
        }
        if (portText != null) {
            port = OptionalInt.of(port(portText));
        }
        return new SipUri(text, scheme.equals("sips"), user, password, host.toLowerCase(Locale.ROOT), port, params,
                headers);
    }

    static int port(String text) {
        if (text.isEmpty() || text.length() > 5) {
            throw SipParseException.malformed("a port is not 1-5 digits");
        }
        int port = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw SipParseException.malformed("a port is not a number");
            }
            port = port * 10 + (c - '0');
        }
        if (port > 65535) {
            throw SipParseException.malformed("a port over 65535");
        }
        return port;
    }

    static void checkHostname(String host) {
        if (host.isEmpty() || host.length() > 255) {
            throw SipParseException.malformed("a host name is empty or too long");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '.';
            if (!ok) {
                throw SipParseException.malformed("a host name holds a character it may not");
            }
        }
    }

    static void checkIpv6(String address) {
        if (address.isEmpty() || address.length() > 45 || address.indexOf(':') < 0) {
            throw SipParseException.malformed("an IPv6 reference is not an IPv6 address");
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                throw SipParseException.malformed("an IPv6 reference is not an IPv6 address");
            }
        }
        try {
            java.net.InetAddress.getByName(address); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw SipParseException.malformed("an IPv6 reference is not an IPv6 address");
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
