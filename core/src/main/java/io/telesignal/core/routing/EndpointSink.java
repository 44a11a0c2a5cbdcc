package io.telesignal.core.routing;

/**
 * Implemented by a front door for each of its connections. Called from any thread; must not block.
 */
@FunctionalInterface
public interface EndpointSink {
    /**
     * Takes the event: answers {@code DELIVERED} once it is the endpoint's (for a resumable session, once it is kept
     * where a resume finds it), {@code REFUSED} when it cannot take it (closed, queue full), {@code NODE_UNREACHABLE}
     * when its session moved to another node meanwhile.
     */
    java.util.concurrent.CompletionStage<DeliveryOutcome> offer(CoreEvent event);

    /** A sink that takes an event at once, or refuses it, as {@code take} answers. */
    static EndpointSink of(java.util.function.Predicate<CoreEvent> take) {
        java.util.concurrent.CompletionStage<DeliveryOutcome> delivered =
                java.util.concurrent.CompletableFuture.completedFuture(DeliveryOutcome.DELIVERED);
        java.util.concurrent.CompletionStage<DeliveryOutcome> refused =
                java.util.concurrent.CompletableFuture.completedFuture(DeliveryOutcome.REFUSED);
        return event -> take.test(event) ? delivered : refused;
    }
}
