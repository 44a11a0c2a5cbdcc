package io.telesignal.sip.proxy;

import io.telesignal.sip.message.SipUri;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who this node is in SIP: the host it puts in Vias and Record-Routes, the port of each transport, and the domains it
 * is responsible for (RFC 3261 §16.4, §16.5): the configured ones, the realm, the advertised host and the machine's own
 * addresses. A URI is this node when its host is one of those and its port is absent or one this node listens on.
 */
public final class SipDomain {
    private final String host;
    private final Map<String, Integer> ports = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<String> names;

    /**
     * @param host    the host this node puts in Vias and Record-Routes (a name or an IP literal, IPv6 in brackets)
     * @param domains the other names and addresses that are this server: its SIP domains, its addresses
     */
    public SipDomain(String host, Set<String> domains) {
        this.host = host.toLowerCase(Locale.ROOT);
        Set<String> all = new LinkedHashSet<>();
        all.add(normal(this.host));
        domains.forEach(d -> all.add(normal(d)));
        this.names = Set.copyOf(all);
    }

    /** A transport listens here, on {@code port} as peers reach it (the bound port, once bound). */
    public SipDomain listening(String transport, int port) {
        ports.put(transport.toUpperCase(Locale.ROOT), port);
        return this;
    }

    public String host() {
        return host;
    }

    /** The port peers reach {@code transport} on; empty when it does not run here. */
    public Optional<Integer> port(String transport) {
        return Optional.ofNullable(ports.get(transport.toUpperCase(Locale.ROOT)));
    }

    /** Whether requests for this host are this server's to route (a From or Request-URI host). */
    public boolean isOurDomain(String uriHost) {
        return names.contains(normal(uriHost));
    }

    /** A name lower-cased; an IPv6 reference in one spelling ({@code [::1]} and {@code [0:0:0:0:0:0:0:1]} alike). */
    private static String normal(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            try {
                return "[" + java.net.InetAddress.getByName(h.substring(1, h.length() - 1)).getHostAddress() + "]";
            } catch (java.net.UnknownHostException | RuntimeException e) {
                return h;
            }
        }
        return h;
    }

    /** Whether the URI names this node: one of its hosts, and a port it listens on or none. */
    public boolean isUs(SipUri uri) {
        return isUs(uri.host(), uri.port());
    }

    /** Whether a host and port (a URI's, a Via's sent-by) are this node. */
    public boolean isUs(String uriHost, java.util.OptionalInt port) {
        return isOurDomain(uriHost) && (port.isEmpty() || ports.containsValue(port.getAsInt()));
    }

    /** The Via sent-by a request sent over {@code transport} carries: where its responses reach this node. */
    public String sentBy(String transport) {
        return host + ":" + port(transport).orElseThrow(() -> new IllegalArgumentException("no " + transport + " here"));
    }

    /** A loose-routing URI for this node on {@code transport}, with {@code user} (a flow token) and more parameters. */
    public String routeUri(String user, String transport, String params) {
        StringBuilder uri = new StringBuilder("sip:");
        if (user != null) {
            uri.append(user).append('@');
        }
        uri.append(sentBy(transport));
        if (!transport.equalsIgnoreCase("UDP")) {
            uri.append(";transport=").append(transport.toLowerCase(Locale.ROOT));
        }
        return uri.append(";lr").append(params).toString();
    }
}
