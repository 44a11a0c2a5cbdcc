package io.telesignal.xmpp.component;

import java.time.Duration;
import java.util.Map;

/**
 * External components (XEP-0114): where they connect ({@code host}, by default loopback only: the protocol has no TLS
 * and a component is trusted with its whole domain), each domain's secret, and the limits of one component's stream.
 *
 * @param secrets     component domain to its shared secret (from {@code xmpp.components.secretsFile})
 * @param stanzaRate  stanzas a second one component may send, bursts of {@code stanzaBurst}
 */
public record ComponentSettings(String host, int port, Map<String, String> secrets, int stanzaRate, int stanzaBurst,
        Duration idleTimeout, int maxConnections) {
    public ComponentSettings {
        secrets = Map.copyOf(secrets);
    }
}
