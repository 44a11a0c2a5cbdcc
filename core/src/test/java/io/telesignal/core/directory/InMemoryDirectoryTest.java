package io.telesignal.core.directory;

import org.junit.jupiter.api.BeforeEach;

class InMemoryDirectoryTest extends DirectoryContract {
    private InMemoryDirectory directory;

    @BeforeEach
    void setUp() {
        directory = new InMemoryDirectory();
    }

    @Override
    protected Directory directory() {
        return directory;
    }
}
