package io.telesignal.core.device;

class InMemoryNonceCountsTest extends NonceCountsContract {
    private final InMemoryNonceCounts counts = new InMemoryNonceCounts(100, System::nanoTime);

    @Override
    protected NonceCounts counts() {
        return counts;
    }
}
