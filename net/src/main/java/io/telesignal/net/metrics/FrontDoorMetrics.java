package io.telesignal.net.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections and messages of one front door, tagged {@code door}: exposed as
 * {@code telesignal_connections_active}, {@code telesignal_connections_opened_total},
 * {@code telesignal_connections_rejected_total{reason}}, {@code telesignal_messages_received_total} and
 * {@code telesignal_messages_sent_total}. For HTTP a message is a request or a response.
 */
public final class FrontDoorMetrics {
    private final AtomicInteger active = new AtomicInteger();
    private final Counter opened;
    private final Counter rejectedTotalLimit;
    private final Counter rejectedPerIpLimit;
    private final Counter received;
    private final Counter sent;
    private final Counter moved;

    public FrontDoorMetrics(MeterRegistry registry, String door) {
        Gauge.builder("telesignal.connections.active", active, AtomicInteger::get)
                .description("Open connections").tag("door", door).register(registry);
        opened = Counter.builder("telesignal.connections.opened").description("Accepted connections")
                .tag("door", door).register(registry);
        rejectedTotalLimit = Counter.builder("telesignal.connections.rejected").description("Refused connections")
                .tag("door", door).tag("reason", "max_connections").register(registry);
        rejectedPerIpLimit = Counter.builder("telesignal.connections.rejected").description("Refused connections")
                .tag("door", door).tag("reason", "max_connections_per_ip").register(registry);
        received = Counter.builder("telesignal.messages.received").description("Messages received")
                .tag("door", door).register(registry);
        sent = Counter.builder("telesignal.messages.sent").description("Messages sent")
                .tag("door", door).register(registry);
        moved = Counter.builder("telesignal.connections.moved")
                .description("Connections moved to the event loop of the peer they talk to").tag("door", door)
                .register(registry);
    }

    public void connectionOpened() {
        active.incrementAndGet();
        opened.increment();
    }

    public void connectionClosed() {
        active.decrementAndGet();
    }

    public void rejectedOverTotalLimit() {
        rejectedTotalLimit.increment();
    }

    public void rejectedOverPerIpLimit() {
        rejectedPerIpLimit.increment();
    }

    public void messageReceived() {
        received.increment();
    }

    public void messageSent() {
        sent.increment();
    }

    public void connectionMoved() {
        moved.increment();
    }

    public int active() {
        return active.get();
    }
}
