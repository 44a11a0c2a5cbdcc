package io.telesignal.xmpp.im;

import io.telesignal.core.call.IceServers;
import io.telesignal.core.identity.UserId;
import io.telesignal.xmpp.xml.XmlElement;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * External service discovery (XEP-0215, {@code urn:xmpp:extdisco:2}): the same STUN and TURN servers, with the same
 * ephemeral TURN credentials, as the web door hands out ({@code ice.*}).
 */
public final class ExternalServices {
    public static final String NS = "urn:xmpp:extdisco:2";

    private final IceServers ice;
    private final Duration ttl;
    private final Clock clock;

    public ExternalServices(IceServers ice, Duration ttl, Clock clock) {
        this.ice = ice;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** XEP-0215 §3.1: every service for the user, or only those of {@code type} (stun, turn, turns, stuns). */
    public XmlElement services(UserId user, Optional<String> type) {
        XmlElement.Builder services = XmlElement.builder("services", NS);
        type.ifPresent(t -> services.attr("type", t));
        String expires = clock.instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        for (IceServers.Server server : ice.forUser(user)) {
            for (String url : server.urls()) {
                Optional<XmlElement> service = service(url, server, expires);
                service.filter(s -> type.map(t -> t.equals(s.attr("type"))).orElse(true)).ifPresent(services::add);
            }
        }
        return services.build();
    }

    /** {@code stun:host[:port]} or {@code turn:host[:port][?transport=udp|tcp]} as one service element. */
    static Optional<XmlElement> service(String url, IceServers.Server server, String expires) {
        int colon = url.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String scheme = url.substring(0, colon).toLowerCase(Locale.ROOT);
        URI parsed;
        try {
            parsed = URI.create("x://" + url.substring(colon + 1));
        } catch (IllegalArgumentException notAUri) {
            return Optional.empty();
        }
        if (parsed.getHost() == null) {
            return Optional.empty();
        }
        boolean secure = scheme.endsWith("s");
        int port = parsed.getPort() > 0 ? parsed.getPort() : secure ? 5349 : 3478;
        String transport = parsed.getQuery() != null && parsed.getQuery().contains("transport=tcp") ? "tcp"
                : secure ? "tcp" : "udp";
        XmlElement.Builder service = XmlElement.builder("service", NS).attr("type", scheme).attr("host", parsed.getHost())
                .attr("port", Integer.toString(port)).attr("transport", transport);
        if (server.username() != null) {
            service.attr("username", server.username()).attr("password", server.credential()).attr("expires", expires)
                    .attr("restricted", "1");
        }
        return Optional.of(service.build());
    }
}
