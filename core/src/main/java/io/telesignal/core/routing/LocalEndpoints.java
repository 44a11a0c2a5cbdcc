package io.telesignal.core.routing;

import io.telesignal.core.identity.EndpointId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The connections this node holds, by endpoint id. */
public final class LocalEndpoints {
    private final Map<EndpointId, EndpointSink> sinks = new ConcurrentHashMap<>();

    public void attach(EndpointId id, EndpointSink sink) {
        sinks.put(id, sink);
    }

    public void detach(EndpointId id) {
        sinks.remove(id);
    }

    public Optional<EndpointSink> find(EndpointId id) {
        return Optional.ofNullable(sinks.get(id));
    }

    public int size() {
        return sinks.size();
    }
}
