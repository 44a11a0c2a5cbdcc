package io.telesignal.sip.message;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One Via value (RFC 3261 §20.42): {@code SIP/2.0/<transport> host[:port] *(;param)}, whitespace allowed around the
 * slashes and the colon (SWS). {@link #text} is the value as received; a proxy forwards Vias as they came.
 */
public record Via(String text, String transport, String host, OptionalInt port, Map<String, String> params) {
    /** RFC 3261 §8.1.1.7: the magic cookie of branches that follow RFC 3261. */
    public static final String MAGIC_COOKIE = "z9hG4bK";

    public Via {
        params = Map.copyOf(params);
    }

    public static Via parse(String text) {
        int i = 0;
        String[] protocol = new String[3];
        for (int part = 0; part < 3; part++) {
            i = Syntax.skipWs(text, i);
            int start = i;
            while (i < text.length() && Syntax.isTokenChar(text.charAt(i))) {
                i++;
            }
            protocol[part] = text.substring(start, i);
            if (protocol[part].isEmpty()) {
                throw SipParseException.malformed("a Via's sent-protocol is incomplete");
            }
            i = Syntax.skipWs(text, i);
            if (part < 2) {
                if (i >= text.length() || text.charAt(i) != '/') {
                    throw SipParseException.malformed("a Via's sent-protocol is not name/version/transport");
                }
                i++;
            }
        }
        if (!protocol[0].equalsIgnoreCase("SIP") || !protocol[1].equals("2.0")) {
            throw SipParseException.malformed("a Via is not SIP/2.0");
        }
        int hostStart = i;
        String host;
        if (i < text.length() && text.charAt(i) == '[') {
            int close = text.indexOf(']', i);
            if (close < 0) {
                throw SipParseException.malformed("a Via's IPv6 reference has no ']'");
            }
            host = text.substring(i, close + 1);
            SipUri.checkIpv6(host.substring(1, host.length() - 1));
            i = close + 1;
        } else {
            while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '-'
                    || text.charAt(i) == '.')) {
                i++;
            }
            host = text.substring(hostStart, i);
            SipUri.checkHostname(host);
        }
        OptionalInt port = OptionalInt.empty();
        i = Syntax.skipWs(text, i);
        if (i < text.length() && text.charAt(i) == ':') {
            i = Syntax.skipWs(text, i + 1);
            int portStart = i;
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
            }
            port = OptionalInt.of(SipUri.port(text.substring(portStart, i)));
        }
        return new Via(text, protocol[2].toUpperCase(Locale.ROOT), host.toLowerCase(Locale.ROOT), port,
                Syntax.params(text, i));
    }

    public Optional<String> branch() {
        return Optional.ofNullable(params.get("branch"));
    }

    /** RFC 3581: {@code rport} present (empty when the client asks for it, a number when a proxy filled it in). */
    public Optional<String> rport() {
        return Optional.ofNullable(params.get("rport"));
    }

    public Optional<String> received() {
        return Optional.ofNullable(params.get("received"));
    }
}
