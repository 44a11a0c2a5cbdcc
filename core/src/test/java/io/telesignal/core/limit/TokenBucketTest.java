package io.telesignal.core.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void itStartsFullAndRefusesPastItsBurst() {
        TokenBucket bucket = new TokenBucket(2, 4, 0);
        for (int i = 0; i < 4; i++) {
            assertThat(bucket.tryTake(0)).isTrue();
        }
        assertThat(bucket.tryTake(0)).isFalse();
    }

    @Test
    void itRefillsContinuouslyAndExactly() {
        TokenBucket bucket = new TokenBucket(2, 2, 0);
        bucket.tryTake(0);
        bucket.tryTake(0);
        assertThat(bucket.tryTake(SECOND / 2 - 1)).as("a nanosecond short of a token").isFalse();
        assertThat(bucket.tryTake(SECOND / 2)).as("exactly one token after half a second").isTrue();
        assertThat(bucket.tryTake(SECOND / 2)).isFalse();

        TokenBucket thirds = new TokenBucket(3, 1, 0);
        thirds.tryTake(0);
        assertThat(thirds.tryTake(333_333_333)).as("999,999,999 billionths").isFalse();
        assertThat(thirds.tryTake(333_333_334)).isTrue();
    }

    @Test
    void itNeverHoldsMoreThanItsBurstHoweverLongItSatIdle() {
        TokenBucket bucket = new TokenBucket(1_000_000, 1_000_000_000, 0);
        for (int i = 0; i < 3; i++) {
            bucket.tryTake(0);
        }
        long aHundredYears = 100L * 365 * 24 * 3600 * SECOND;
        assertThat(bucket.fullAt(aHundredYears)).isTrue();
        TokenBucket small = new TokenBucket(5, 5, 0);
        small.tryTake(0);
        assertThat(small.fullAt(Long.MAX_VALUE)).isTrue();
        small.giveBack();
        for (int i = 0; i < 5; i++) {
            assertThat(small.tryTake(Long.MAX_VALUE)).isTrue();
        }
        assertThat(small.tryTake(Long.MAX_VALUE)).isFalse();
    }

    @Test
    void aTokenGivenBackCountsButNeverPastTheBurst() {
        TokenBucket bucket = new TokenBucket(1, 2, 0);
        bucket.giveBack(); // full already: nothing more
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isFalse();
        bucket.giveBack();
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.fullAt(0)).isFalse();
        assertThat(bucket.fullAt(2 * SECOND)).isTrue();
    }

    @Test
    void timeGoingBackwardsAddsNothing() {
        TokenBucket bucket = new TokenBucket(1, 1, SECOND);
        assertThat(bucket.tryTake(SECOND)).isTrue();
        assertThat(bucket.tryTake(0)).isFalse();
        assertThat(bucket.tryTake(2 * SECOND)).isTrue();
    }

    @Test
    void aBucketNeedsARateAndABurst() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 1_000_000_001, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
