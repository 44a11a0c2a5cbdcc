package io.telesignal.store;

import io.telesignal.core.consultation.ConsultationStore;
import io.telesignal.core.consultation.ConsultationStoreContract;
import io.telesignal.core.work.WorkerPool;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract on an H2 file; {@code JdbcConsultationStorePostgresTest} runs it on PostgreSQL. */
class JdbcConsultationStoreTest extends ConsultationStoreContract {
    @TempDir
    Path dir;
    private StoreFixture fixture;
    private WorkerPool workers;
    private ConsultationStore store;

    @BeforeEach
    void open() {
        fixture = new StoreFixture(kind(), dir);
        workers = new WorkerPool("test", 2, 100);
        store = fixture.store().consultations(workers);
    }

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @AfterEach
    void close() {
        workers.close();
        fixture.close();
    }

    @Override
    protected ConsultationStore store() {
        return store;
    }

    @org.junit.jupiter.api.Test
    void attendanceSurvivesARestart() {
        var c = io.telesignal.core.consultation.Consultation.create(new io.telesignal.core.consultation.ConsultationId("c1"),
                java.util.Map.of(), 4, new io.telesignal.core.identity.UserId("doc"), java.time.Instant.parse(
                        "2026-03-01T10:00:00.123456Z"), java.util.Optional.empty());
        store.create(c).toCompletableFuture().join();
        var doc = new io.telesignal.core.consultation.Actor(new io.telesignal.core.identity.UserId("doc"), "Doc",
                java.util.Set.of(io.telesignal.core.identity.Role.PROVIDER));
        var joined = c.join(doc, io.telesignal.core.identity.Role.PROVIDER,
                new io.telesignal.core.identity.EndpointId("websocket-s1"), c.createdAt());
        store.replace(c.version(), joined).toCompletableFuture().join();

        // a new store over the same database holds nothing in memory: what it reads is what was committed
        ConsultationStore restarted = fixture.store().consultations(workers);
        org.assertj.core.api.Assertions.assertThat(restarted.find(c.id()).toCompletableFuture().join()).contains(joined);
        org.assertj.core.api.Assertions.assertThat(restarted.attended().toCompletableFuture().join())
                .containsExactly(joined);
    }
}
