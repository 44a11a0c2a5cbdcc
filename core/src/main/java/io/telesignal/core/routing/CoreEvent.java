package io.telesignal.core.routing;

/**
 * Something the core tells an endpoint: a presence change, a participant update, a relayed signal.
 * Front doors translate each type into their wire format. Implementations are immutable records, so that
 * the cluster module can serialize them to carry between nodes.
 */
public interface CoreEvent {
    /** Stable name, e.g. {@code presence}. */
    String type();
}
