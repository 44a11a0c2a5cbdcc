package io.telesignal.sip.transport;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** The node's transports, by name: what the proxy sends through. A transport not running here fails at once. */
public final class SipTransports implements Connector {
    private final Map<String, Connector> transports = new ConcurrentHashMap<>();

    /** Adds a transport under its Via name ({@code UDP}, {@code TCP}, {@code TLS}, {@code WS}, {@code WSS}). */
    public SipTransports with(String transport, Connector connector) {
        transports.put(transport.toUpperCase(Locale.ROOT), connector);
        return this;
    }

    public boolean has(String transport) {
        return transports.containsKey(transport.toUpperCase(Locale.ROOT));
    }

    @Override
    public CompletionStage<Flow> flow(String transport, InetSocketAddress address) {
        Connector connector = transports.get(transport.toUpperCase(Locale.ROOT));
        if (connector == null) {
            return CompletableFuture.failedFuture(new FlowFailedException("no " + transport + " transport here", false));
        }
        return connector.flow(transport, address);
    }

    @Override
    public CompletionStage<Flow> existing(FlowKey key) {
        Connector connector = transports.get(key.transport());
        if (connector == null) {
            return CompletableFuture.failedFuture(new FlowFailedException("no " + key.transport() + " transport here", true));
        }
        return connector.existing(key);
    }
}
