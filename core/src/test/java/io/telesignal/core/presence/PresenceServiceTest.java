package io.telesignal.core.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceServiceTest {
    private static final UserId BOB = new UserId("bob");
    private static final EndpointId PHONE = new EndpointId("sip-phone");
    private static final EndpointId BROWSER = new EndpointId("websocket-tab");
    private final MutableClock clock = MutableClock.atEpochDay();
    private final PresenceService presence = new PresenceService(new InMemoryPresenceStore(), clock);
    private final List<PresenceChanged> events = new ArrayList<>();

    PresenceServiceTest() {
        presence.addListener(events::add);
    }

    @Test
    void userWithoutEndpointsIsOffline() {
        UserPresence bob = presence.get(BOB).toCompletableFuture().join();
        assertThat(bob.presence()).isEqualTo(Presence.OFFLINE);
        assertThat(bob.endpoints()).isZero();
    }

    @Test
    void highestRankedStatusWinsAcrossEndpoints() {
        update(PHONE, PresenceStatus.AWAY, "");
        assertThat(get().presence().status()).isEqualTo(PresenceStatus.AWAY);
        update(BROWSER, PresenceStatus.AVAILABLE, "");
        assertThat(get().presence().status()).isEqualTo(PresenceStatus.AVAILABLE);
        update(PHONE, PresenceStatus.BUSY, "in a call");
        assertThat(get().presence()).isEqualTo(new Presence(PresenceStatus.BUSY, "in a call"));
        update(BROWSER, PresenceStatus.DND, "");
        assertThat(get().presence().status()).isEqualTo(PresenceStatus.DND);
        assertThat(get().endpoints()).isEqualTo(2);
    }

    @Test
    void tieIsBrokenByTheMostRecentUpdate() {
        update(PHONE, PresenceStatus.AVAILABLE, "on the phone");
        clock.advance(Duration.ofSeconds(1));
        update(BROWSER, PresenceStatus.AVAILABLE, "at my desk");
        assertThat(get().presence().note()).isEqualTo("at my desk");
    }

    @Test
    void changesAreEventedOnceAndRepeatsAreNot() {
        update(PHONE, PresenceStatus.AVAILABLE, "");
        update(PHONE, PresenceStatus.AVAILABLE, "");
        update(BROWSER, PresenceStatus.AWAY, "");
        presence.endpointGone(BOB, BROWSER).toCompletableFuture().join();
        presence.endpointGone(BOB, PHONE).toCompletableFuture().join();

        assertThat(events).extracting(e -> e.before().presence().status() + ">" + e.after().presence().status())
                .containsExactly("OFFLINE>AVAILABLE", "AVAILABLE>OFFLINE");
    }

    @Test
    void changeVersionsIncreasePerUserEvenAcrossGoingOffline() {
        update(PHONE, PresenceStatus.AVAILABLE, "");
        presence.endpointGone(BOB, PHONE).toCompletableFuture().join();
        update(PHONE, PresenceStatus.BUSY, "");

        assertThat(events).extracting(PresenceChanged::version).isSorted().doesNotHaveDuplicates().hasSize(3);
    }

    @Test
    void aFailingListenerDoesNotStopOthers() {
        List<PresenceChanged> second = new ArrayList<>();
        presence.addListener(e -> {
            throw new IllegalStateException("boom");
        });
        presence.addListener(second::add);
        update(PHONE, PresenceStatus.AVAILABLE, "");
        assertThat(second).hasSize(1);
        assertThat(events).hasSize(1);
    }

    private void update(EndpointId endpoint, PresenceStatus status, String note) {
        presence.update(BOB, endpoint, new Presence(status, note)).toCompletableFuture().join();
    }

    private UserPresence get() {
        return presence.get(BOB).toCompletableFuture().join();
    }
}
