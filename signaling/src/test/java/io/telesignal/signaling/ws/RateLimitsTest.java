package io.telesignal.signaling.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.testkit.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
    private final MutableClock clock = MutableClock.atEpochDay();
    private final RateLimits limits = new RateLimits(new RateLimitSettings(2, 4, 5, 6), clock);

    @Test
    void connectionBucketAllowsItsBurstThenItsRate() throws Exception {
        RateLimits.Lease lease = limits.open(InetAddress.getByName("192.0.2.1"));
        for (int i = 0; i < 4; i++) {
            assertThat(lease.tryConsume()).isEqualTo(RateLimits.Lease.Verdict.PASS);
        }
        assertThat(lease.tryConsume()).isEqualTo(RateLimits.Lease.Verdict.CONNECTION_LIMIT);
        clock.advance(Duration.ofMillis(500));
        assertThat(lease.tryConsume()).isEqualTo(RateLimits.Lease.Verdict.PASS);
        assertThat(lease.tryConsume()).isEqualTo(RateLimits.Lease.Verdict.CONNECTION_LIMIT);
    }

    @Test
    void addressBucketIsSharedByItsConnections() throws Exception {
        InetAddress address = InetAddress.getByName("192.0.2.2");
        RateLimits.Lease first = limits.open(address);
        RateLimits.Lease second = limits.open(address);
        int passed = 0;
        for (int i = 0; i < 4; i++) {
            passed += first.tryConsume() == RateLimits.Lease.Verdict.PASS ? 1 : 0;
            passed += second.tryConsume() == RateLimits.Lease.Verdict.PASS ? 1 : 0;
        }
        assertThat(passed).isEqualTo(6);
        RateLimits.Lease elsewhere = limits.open(InetAddress.getByName("192.0.2.3"));
        assertThat(elsewhere.tryConsume()).isEqualTo(RateLimits.Lease.Verdict.PASS);
    }

    @Test
    void addressBucketsOutliveTheirLastConnectionUntilTheyWouldBeFull() throws Exception {
        InetAddress address = InetAddress.getByName("192.0.2.4");
        RateLimits.Lease first = limits.open(address);
        RateLimits.Lease second = limits.open(address);
        for (int i = 0; i < 3; i++) {
            first.tryConsume();
            second.tryConsume();
        }
        first.release();
        first.release();
        second.release();
        assertThat(limits.addresses()).isEqualTo(1);
        // address bucket: 6 burst at 5/s, emptied, so full again 1.2 s after its last use
        clock.advance(Duration.ofMillis(1100));
        assertThat(limits.evictIdle()).isZero();
        clock.advance(Duration.ofMillis(100));
        assertThat(limits.evictIdle()).isEqualTo(1);
        assertThat(limits.addresses()).isZero();
    }

    @Test
    void reconnectingDoesNotBuyAFreshBurst() throws Exception {
        InetAddress address = InetAddress.getByName("192.0.2.5");
        int passed = 0;
        for (int connection = 0; connection < 3; connection++) {
            RateLimits.Lease lease = limits.open(address);
            for (int i = 0; i < 4; i++) {
                passed += lease.tryConsume() == RateLimits.Lease.Verdict.PASS ? 1 : 0;
            }
            lease.release();
            assertThat(limits.evictIdle()).isZero();
        }
        assertThat(passed).isEqualTo(6); // the address's burst, not three connections' worth
    }

    @Test
    void anAddressThatSentNothingIsForgottenAtOnceWhenItsLastConnectionCloses() throws Exception {
        limits.open(InetAddress.getByName("192.0.2.7")).release();
        assertThat(limits.evictIdle()).isEqualTo(1);
    }

    @Test
    void connectedAddressesAreNeverEvicted() throws Exception {
        limits.open(InetAddress.getByName("192.0.2.6"));
        clock.advance(Duration.ofHours(1));
        assertThat(limits.evictIdle()).isZero();
        assertThat(limits.addresses()).isEqualTo(1);
    }
}
