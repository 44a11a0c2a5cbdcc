package io.telesignal.core.invite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link InviteRedemptions} must do. */
public abstract class InviteRedemptionsContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    protected abstract InviteRedemptions redemptions();

    @Test
    void anInviteIsRedeemedOnceEvenWhenRaced() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                attempts.add(pool.submit(() -> {
                    go.await();
                    return redemptions().redeem("inv-1", T0, T0.plusSeconds(3600));
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> attempt : attempts) {
                won += attempt.get() ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
        } finally {
            pool.shutdown();
        }
        assertThat(redemptions().redeem("inv-2", T0, T0.plusSeconds(10))).isTrue();
    }

    @Test
    void aUsedInviteIsKnownAsUsed() {
        assertThat(redemptions().redeemed("inv-3")).isFalse();
        redemptions().redeem("inv-3", T0, T0.plusSeconds(10));
        assertThat(redemptions().redeemed("inv-3")).isTrue();
        assertThat(redemptions().redeemed("inv-4")).isFalse();
    }

    @Test
    void expiredRedemptionsArePurged() {
        redemptions().redeem("old", T0, T0.plusSeconds(10));
        redemptions().redeem("new", T0, T0.plusSeconds(1000));
        assertThat(redemptions().purgeExpired(T0.plusSeconds(100))).isEqualTo(1);
        assertThat(redemptions().redeem("new", T0, T0.plusSeconds(1000))).isFalse();
    }
}
