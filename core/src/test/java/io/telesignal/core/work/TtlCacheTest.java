package io.telesignal.core.work;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TtlCacheTest {
    private final AtomicLong now = new AtomicLong();
    private final AtomicInteger loads = new AtomicInteger();

    private String load(String key) {
        return key + loads.incrementAndGet();
    }

    @Test
    void aValueIsKeptForItsTtlAndDroppedWhenInvalidated() {
        TtlCache<String, String> cache = new TtlCache<>(Duration.ofSeconds(5), 10, now::get);
        assertThat(cache.get("a", this::load)).isEqualTo("a1");
        now.addAndGet(Duration.ofSeconds(4).toNanos());
        assertThat(cache.get("a", this::load)).as("within the TTL").isEqualTo("a1");
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(cache.get("a", this::load)).as("expired").isEqualTo("a2");
        cache.invalidate("a");
        assertThat(cache.get("a", this::load)).isEqualTo("a3");
        cache.invalidateAll();
        assertThat(cache.size()).isZero();
    }

    @Test
    void itIsBoundedAndAZeroTtlKeepsNothing() {
        TtlCache<String, String> cache = new TtlCache<>(Duration.ofSeconds(5), 2, now::get);
        cache.get("a", this::load);
        cache.get("b", this::load);
        cache.get("c", this::load);
        assertThat(cache.size()).isLessThanOrEqualTo(2);
        TtlCache<String, String> none = new TtlCache<>(Duration.ZERO, 2, now::get);
        assertThat(none.get("a", this::load)).isNotEqualTo(none.get("a", this::load));
        assertThat(none.size()).isZero();
    }
}
