package io.telesignal.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** What every {@link AuditLog} implementation must do; each implementation's test extends this. */
public abstract class AuditLogContract {
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

    protected abstract AuditLog log();

    protected static AuditEvent event(String type, int n) {
        return AuditEvent.of(type, "u" + n, Outcome.OK).subject("s" + n).consultation("c1")
                .endpoint("websocket-" + n).remoteAddress("127.0.0.1").at(T0.plusSeconds(n));
    }

    @Test
    void emptyLogHasGenesisHeadAndVerifies() {
        assertThat(log().head()).isEqualTo(AuditHead.EMPTY);
        assertThat(new AuditVerifier().verify(log()).intact()).isTrue();
    }

    @Test
    void appendedRecordsChainAndReadBackExactly() {
        AuditRecord first = log().append(event("user.created", 1));
        AuditRecord second = log().append(AuditEvent.of("auth.password", "unknown", Outcome.FAILED)
                .reason("bad_credentials").at(T0));

        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prevHash()).isEqualTo(AuditChain.GENESIS);
        assertThat(second.seq()).isEqualTo(2);
        assertThat(second.prevHash()).isEqualTo(first.hash());
        assertThat(log().read(0, 10)).containsExactly(first, second);
        assertThat(log().head()).isEqualTo(new AuditHead(2, second.hash()));
    }

    @Test
    void appendAllChainsAsManyAppendsWouldAndAfterThem() {
        AuditRecord first = log().append(event("user.created", 1));
        List<AuditRecord> batch = log().appendAll(List.of(event("session.opened", 2), event("session.opened", 3),
                event("session.ended", 4)));

        assertThat(batch).extracting(AuditRecord::seq).containsExactly(2L, 3L, 4L);
        assertThat(batch.get(0).prevHash()).isEqualTo(first.hash());
        assertThat(batch.get(1).prevHash()).isEqualTo(batch.get(0).hash());
        assertThat(batch.get(2).prevHash()).isEqualTo(batch.get(1).hash());
        assertThat(log().read(0, 10)).containsExactly(first, batch.get(0), batch.get(1), batch.get(2));
        assertThat(log().head()).isEqualTo(new AuditHead(4, batch.get(2).hash()));
        assertThat(new AuditVerifier().verify(log()).intact()).isTrue();
        // the same events appended one by one make the same chain
        assertThat(batch.get(2).hash()).isEqualTo(AuditChain.link(4, event("session.ended", 4),
                AuditChain.link(3, event("session.opened", 3), AuditChain.link(2, event("session.opened", 2),
                        first.hash()).hash()).hash()).hash());
    }

    @Test
    void readPagesAfterSequenceNumber() {
        for (int i = 1; i <= 5; i++) {
            log().append(event("user.created", i));
        }
        assertThat(log().read(2, 2)).extracting(AuditRecord::seq).containsExactly(3L, 4L);
        assertThat(log().read(5, 10)).isEmpty();
    }

    @Test
    void concurrentAppendsKeepOneIntactChain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<AuditRecord>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                futures.add(pool.submit(() -> log().append(event("consultation.joined", n))));
            }
            for (Future<AuditRecord> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        AuditVerifier.Verification verification = new AuditVerifier().verify(log());
        assertThat(verification.intact()).isTrue();
        assertThat(verification.recordsChecked()).isEqualTo(40);
    }
}
