package io.telesignal.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AddressLimiterTest {
    private final AtomicLong nanos = new AtomicLong();
    private final AddressLimiter limiter = new AddressLimiter(10, 20, 3, nanos::get);

    @Test
    void eachAddressHasItsBurstThenItsRate() throws Exception {
        InetAddress flooder = InetAddress.getByName("192.0.2.1");
        InetAddress other = InetAddress.getByName("192.0.2.2");
        int allowed = 0;
        for (int i = 0; i < 100; i++) {
            allowed += limiter.allow(flooder) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(20);
        assertThat(limiter.allow(other)).as("another address is not held back").isTrue();
        nanos.addAndGet(500_000_000L); // half a second: 5 more
        allowed = 0;
        for (int i = 0; i < 100; i++) {
            allowed += limiter.allow(flooder) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(5);
        assertThat(limiter.refused()).isEqualTo(175);
    }

    @Test
    void theTableStaysBounded() throws Exception {
        for (int i = 0; i < 50; i++) {
            limiter.allow(InetAddress.getByName("198.51.100." + i));
            nanos.addAndGet(10_000_000_000L);
        }
        assertThat(limiter.size()).isLessThanOrEqualTo(3);
    }
}
