package io.telesignal.core.consultation;

class InMemoryConsultationStoreTest extends ConsultationStoreContract {
    private final InMemoryConsultationStore store = new InMemoryConsultationStore();

    @Override
    protected ConsultationStore store() {
        return store;
    }
}
