package io.telesignal.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.consultation.Actor;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.testkit.MutableClock;
import io.telesignal.signaling.protocol.ProtocolCodec;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionRegistryLimitTest {
    private final MutableClock clock = MutableClock.atEpochDay();
    private final SessionRegistry registry = new SessionRegistry(new SessionSettings(Duration.ofSeconds(10), 5, 10_000, 3, 2),
            new ProtocolCodec(), event -> Optional.empty(), clock, session -> { });
    private final Actor alice = new Actor(new UserId("alice"), "Alice", Set.of(Role.PATIENT));

    @Test
    void endedAndExpiredSessionsGiveTheirSlotBack() {
        SignalingSession first = registry.open(alice);
        registry.open(alice);
        assertThatThrownBy(() -> registry.open(alice)).isInstanceOf(SessionRegistry.TooManySessionsException.class);

        registry.end(first);
        SignalingSession third = registry.open(alice);
        clock.advance(Duration.ofSeconds(10));
        assertThat(registry.expire()).isEqualTo(2);
        registry.open(alice);
        registry.open(alice);
        assertThat(third.ended()).isTrue();
    }
}
