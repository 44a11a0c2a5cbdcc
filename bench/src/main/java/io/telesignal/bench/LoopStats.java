package io.telesignal.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** Counters of the pairs on one event loop; touched only by that loop, merged when a phase ends. */
final class LoopStats {
    final Histogram latencyMicros = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
    boolean recording;
    long sent;
    long delivered;
    long answered;
    long acks;
    long outOfOrder;
    long duplicated;
    long unexpectedCloses;
    long connectionsLost;
    final Map<String, Long> errors = new TreeMap<>();

    void sent() {
        sent++;
    }

    void delivered(long latencyNanos) {
        delivered++;
        if (recording) {
            latencyMicros.recordValue(Math.min(latencyMicros.getHighestTrackableValue(),
                    Math.max(0, latencyNanos / 1000)));
        }
    }

    void answered() {
        answered++;
    }

    /** A bare {@code ack} went out (one that rode on a request is not counted). */
    void acked() {
        acks++;
    }

    void error(String code) {
        errors.merge(code == null ? "unknown" : code, 1L, Long::sum);
    }

    void unexpectedClose(int code) {
        unexpectedCloses++;
        errors.merge("close_" + code, 1L, Long::sum);
    }

    void connectionLost() {
        connectionsLost++;
    }

    void reset(boolean record) {
        latencyMicros.reset();
        recording = record;
        sent = 0;
        delivered = 0;
        answered = 0;
        acks = 0;
        outOfOrder = 0;
        duplicated = 0;
    }

    /** A copy for the phase's report. */
    LoopStats snapshot() {
        LoopStats copy = new LoopStats();
        copy.latencyMicros.add(latencyMicros);
        copy.sent = sent;
        copy.delivered = delivered;
        copy.answered = answered;
        copy.acks = acks;
        copy.outOfOrder = outOfOrder;
        copy.duplicated = duplicated;
        copy.unexpectedCloses = unexpectedCloses;
        copy.connectionsLost = connectionsLost;
        copy.errors.putAll(errors);
        return copy;
    }

    void add(LoopStats other) {
        latencyMicros.add(other.latencyMicros);
        sent += other.sent;
        delivered += other.delivered;
        answered += other.answered;
        acks += other.acks;
        outOfOrder += other.outOfOrder;
        duplicated += other.duplicated;
        unexpectedCloses += other.unexpectedCloses;
        connectionsLost += other.connectionsLost;
        other.errors.forEach((code, n) -> errors.merge(code, n, Long::sum));
    }
}
