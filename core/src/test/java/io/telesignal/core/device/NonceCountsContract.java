package io.telesignal.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What every {@link NonceCounts} must do. */
public abstract class NonceCountsContract {
    protected abstract NonceCounts counts();

    private boolean advance(String nonce, long nc) {
        return counts().advance(nonce, nc, Duration.ofMinutes(5)).toCompletableFuture().join();
    }

    @Test
    void onlyAHigherCountPasses() {
        assertThat(advance("n1", 1)).isTrue();
        assertThat(advance("n1", 1)).as("the same again: a replay").isFalse();
        assertThat(advance("n1", 3)).isTrue();
        assertThat(advance("n1", 2)).as("lower").isFalse();
        assertThat(advance("n2", 1)).as("another nonce").isTrue();
    }
}
