package io.telesignal.server.wiring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.work.WorkerPool;

/** The server's meter registry: JVM and process meters, plus telesignal's own, all tagged with the node id. */
final class ServerMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    ServerMetrics(String nodeId, String version) {
        registry.config().commonTags("node", nodeId);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        Gauge.builder("telesignal.build.info", () -> 1).description("Build information")
                .tag("version", version).register(registry);
    }

    void watch(WorkerPool workers, AuditTrail audit) {
        Gauge.builder("telesignal.workers.queued", workers, WorkerPool::queued)
                .description("Blocking tasks waiting for a worker").register(registry);
        Gauge.builder("telesignal.workers.active", workers, WorkerPool::active)
                .description("Workers running a task").register(registry);
        Gauge.builder("telesignal.audit.queued", audit, AuditTrail::queued)
                .description("Audit events waiting to be written").register(registry);
    }

    /** The SIP door's counts: messages dropped unanswerable, refusals answered, flood drops, transactions alive. */
    void watch(SipDoor sip) {
        io.micrometer.core.instrument.FunctionCounter.builder("telesignal.sip.dropped", sip.door(),
                d -> d.dropped()).description("SIP messages that did not parse and could not be answered")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("telesignal.sip.refused", sip.door(),
                d -> d.refusedAnswered()).description("SIP messages that did not parse, answered 400/505/513")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("telesignal.sip.rate.limited", sip, s -> s.limiter().refused())
                .description("SIP messages over an address's rate (UDP dropped, TCP answered 503)").register(registry);
        Gauge.builder("telesignal.sip.transactions", sip.door().transactions(),
                t -> t.serverTransactions() + t.clientTransactions()).description("SIP transactions alive")
                .register(registry);
    }

    PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
