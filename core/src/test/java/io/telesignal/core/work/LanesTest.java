package io.telesignal.core.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LanesTest {
    @Test
    void workForOneKeyRunsInTheOrderItCameEvenWhenTheFirstIsSlow() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        try (WorkerPool pool = new WorkerPool("test", 4, 100)) {
            Lanes<String> lanes = new Lanes<>(pool, 100);
            List<CompletableFuture<Integer>> done = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                done.add(lanes.submit("bob", () -> {
                    if (n == 0) {
                        await(release);
                    }
                    order.add(n);
                    return n;
                }));
            }
            Thread.sleep(50); // had the later ones not waited, three free threads would have run them by now
            assertThat(order).isEmpty();
            release.countDown();
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            assertThat(order).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).boxed().toList());
            assertThat(drained(lanes)).isTrue();
        }
    }

    @Test
    void otherKeysAreNotHeldBehindASlowOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (WorkerPool pool = new WorkerPool("test", 2, 10)) {
            Lanes<String> lanes = new Lanes<>(pool, 100);
            CompletableFuture<Boolean> slow = lanes.submit("bob", () -> await(release));
            assertThat(lanes.submit("alice", () -> "quick").get(5, TimeUnit.SECONDS)).isEqualTo("quick");
            assertThat(slow).isNotDone();
            release.countDown();
            assertThat(slow.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aFailedOrRefusedStepFailsAloneAndTheNextRuns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (WorkerPool pool = new WorkerPool("test", 1, 1)) {
            Lanes<String> lanes = new Lanes<>(pool, 100);
            CompletableFuture<Boolean> blocker = pool.submit(() -> await(release)); // the only thread
            CompletableFuture<Boolean> filler = pool.submit(() -> true); // the only queue slot
            CompletableFuture<Object> refused = lanes.submit("bob", () -> "never");
            assertThatThrownBy(refused::join).hasCauseInstanceOf(BusyException.class);
            release.countDown();
            blocker.get(5, TimeUnit.SECONDS);
            filler.get(5, TimeUnit.SECONDS); // the pool is idle again before the next steps
            CompletableFuture<Object> failed = lanes.submit("bob", () -> {
                throw new IllegalStateException("store down");
            });
            CompletableFuture<String> next = lanes.submit("bob", () -> "kept");
            assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo("kept");
            assertThatThrownBy(failed::join).hasCauseInstanceOf(IllegalStateException.class);
            assertThat(drained(lanes)).isTrue();
        }
    }

    @Test
    void aKeyWhoseWorkIsStuckIsRefusedBeyondItsShareAndOthersStillGetIn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (WorkerPool pool = new WorkerPool("test", 2, 100)) {
            Lanes<String> lanes = new Lanes<>(pool, 8); // 2 waiting per key, 8 in all
            CompletableFuture<Boolean> stuck = lanes.submit("bob", () -> await(release));
            CompletableFuture<Boolean> second = lanes.submit("bob", () -> true);
            CompletableFuture<Boolean> third = lanes.submit("bob", () -> true);
            CompletableFuture<Boolean> refused = lanes.submit("bob", () -> true);
            assertThatThrownBy(refused::join).hasCauseInstanceOf(BusyException.class);
            assertThat(lanes.waiting()).isEqualTo(2);
            // another user's work is not held by bob's, and has its own share of the waiting places
            assertThat(lanes.submit("alice", () -> "quick").get(5, TimeUnit.SECONDS)).isEqualTo("quick");
            release.countDown();
            assertThat(stuck.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(third.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(drained(lanes)).isTrue();
            assertThat(lanes.waiting()).isZero();
        }
    }

    @Test
    void aLimitBelowOneIsRefused() {
        try (WorkerPool pool = new WorkerPool("test", 1, 1)) {
            assertThatThrownBy(() -> new Lanes<String>(pool, 0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxWaiting");
        }
    }

    @Test
    void allLanesTogetherWaitNoMoreThanTheLimit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (WorkerPool pool = new WorkerPool("test", 6, 100)) { // a thread for each stuck step and one more
            Lanes<Integer> lanes = new Lanes<>(pool, 4); // 1 waiting per key, 4 in all
            List<CompletableFuture<Boolean>> accepted = new ArrayList<>();
            for (int key = 0; key < 4; key++) {
                accepted.add(lanes.submit(key, () -> await(release)));
                accepted.add(lanes.submit(key, () -> true));
            }
            CompletableFuture<Boolean> running = lanes.submit(4, () -> true); // nothing waits: it runs
            assertThat(running.get(5, TimeUnit.SECONDS)).isTrue();
            lanes.submit(5, () -> await(release));
            assertThatThrownBy(lanes.submit(5, () -> true)::join).hasCauseInstanceOf(BusyException.class);
            release.countDown();
            for (CompletableFuture<Boolean> step : accepted) {
                assertThat(step.get(5, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void cancellingACallersFutureDoesNotLetTheNextStepOvertake() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        try (WorkerPool pool = new WorkerPool("test", 2, 10)) {
            Lanes<String> lanes = new Lanes<>(pool, 10);
            CompletableFuture<Boolean> first = lanes.submit("bob", () -> {
                await(release);
                return order.add("first");
            });
            first.cancel(false);
            CompletableFuture<Boolean> second = lanes.submit("bob", () -> order.add("second"));
            Thread.sleep(50);
            assertThat(order).isEmpty();
            release.countDown();
            assertThat(second.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(order).containsExactly("first", "second");
        }
    }

    /** A key is let go once its last step completes, just after the step's own callers hear of it. */
    private static boolean drained(Lanes<?> lanes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lanes.pending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return lanes.pending() == 0;
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
