package io.telesignal.core.routing;

/** What became of one event for one endpoint. Anything but {@code DELIVERED} is reported to the sender. */
public enum DeliveryOutcome {
    /** Handed to the endpoint's connection (its own queue, resume buffer or socket). */
    DELIVERED,
    /** No such endpoint is connected anywhere. */
    NOT_CONNECTED,
    /** The endpoint is connected but refused the event (its queue is full). */
    REFUSED,
    /** The endpoint's node could not be reached. */
    NODE_UNREACHABLE
}
