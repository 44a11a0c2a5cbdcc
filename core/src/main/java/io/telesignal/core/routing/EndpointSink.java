package io.telesignal.core.routing;

/**
 * Implemented by a front door for each of its connections. Called from any thread; must not block.
 */
@FunctionalInterface
public interface EndpointSink {
    /** Takes the event or answers false when it cannot (closed, queue full). */
    boolean offer(CoreEvent event);
}
