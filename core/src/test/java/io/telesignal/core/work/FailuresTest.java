package io.telesignal.core.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    @Test
    void theCauseUnderAnyNumberOfCompletionWrappers() {
        IllegalStateException cause = new IllegalStateException("x");
        assertThat(Failures.cause(cause)).isSameAs(cause);
        assertThat(Failures.cause(new CompletionException(new CompletionException(cause)))).isSameAs(cause);
        Throwable chained = CompletableFuture.failedFuture(cause).thenApply(v -> v).thenCompose(CompletableFuture::completedFuture)
                .handle((v, failure) -> failure).join();
        assertThat(Failures.cause(chained)).isSameAs(cause);
        CompletionException bare = new CompletionException("no cause", null);
        assertThat(Failures.cause(bare)).isSameAs(bare);
    }
}
