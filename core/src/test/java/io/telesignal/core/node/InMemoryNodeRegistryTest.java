package io.telesignal.core.node;

import io.telesignal.core.testkit.MutableClock;
import java.time.Duration;

class InMemoryNodeRegistryTest extends NodeRegistryContract {
    private final MutableClock clock = MutableClock.atEpochDay();
    private final InMemoryNodeRegistry registry = new InMemoryNodeRegistry(clock);

    @Override
    protected NodeRegistry registry() {
        return registry;
    }

    @Override
    protected void pass(Duration time) {
        clock.advance(time);
    }
}
