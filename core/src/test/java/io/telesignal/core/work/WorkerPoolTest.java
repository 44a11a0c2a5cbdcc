package io.telesignal.core.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {
    @Test
    void runsWorkOffTheCallersThread() {
        try (WorkerPool pool = new WorkerPool("test", 2, 10)) {
            String thread = pool.submit(() -> Thread.currentThread().getName()).join();
            assertThat(thread).startsWith("test-");
        }
    }

    @Test
    void saturatedPoolFailsFastWithBusy() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (WorkerPool pool = new WorkerPool("test", 1, 1)) {
            CompletableFuture<Boolean> running = pool.submit(() -> await(release));
            CompletableFuture<Boolean> queued = pool.submit(() -> await(release));
            CompletableFuture<Boolean> refused = pool.submit(() -> await(release));

            assertThatThrownBy(refused::join).hasCauseInstanceOf(BusyException.class);
            release.countDown();
            assertThat(running.join()).isTrue();
            assertThat(queued.join()).isTrue();
        }
    }

    @Test
    void closeLetsQueuedWorkFinish() throws Exception {
        WorkerPool pool = new WorkerPool("test", 1, 10);
        CompletableFuture<Integer> last = null;
        for (int i = 0; i < 5; i++) {
            int n = i;
            last = pool.submit(() -> n);
        }
        assertThat(pool.close(5, TimeUnit.SECONDS)).isTrue();
        assertThat(last).isCompletedWithValue(4);
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
