package io.telesignal.core.device;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * SPI: the highest nonce count seen per digest nonce (RFC 7616 §3.4.5), so that a replayed Authorization (the same nc
 * again, or a lower one) is refused. In memory on one node; in Redis in cluster mode, so that a nonce a client got
 * from one node is counted on every node.
 */
public interface NonceCounts {
    /**
     * Records {@code nc} for {@code nonce} when it is higher than any seen; answers whether it was. A nonce is forgotten
     * {@code lifetime} after it was first counted.
     */
    CompletionStage<Boolean> advance(String nonce, long nc, Duration lifetime);
}
