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
}
