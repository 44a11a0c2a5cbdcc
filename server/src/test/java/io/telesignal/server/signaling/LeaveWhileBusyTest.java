package io.telesignal.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.work.BusyException;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A patient who closes their connection while the workers are saturated (a mass disconnect, a slow database) still
 * leaves the waiting room: the leave refused as busy is tried again, and the provider sees the room empty once the
 * workers are free, instead of a patient who is no longer there.
 */
class LeaveWhileBusyTest {
    @TempDir
    Path dataDir;
    private TelesignalServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        server.stop();
    }

    @Test
    void aLeaveRefusedBusyAtCloseIsTriedAgainOnceTheWorkersAreFree() throws Exception {
        server = LoopbackServer.start(dataDir, Map.of("workers.threads", "1", "workers.queue", "1"));
        var accounts = server.services().accounts();
        User provider = accounts.add(new Login("drsmith"), "Dr Smith", Set.of(Role.PROVIDER),
                "a long password".toCharArray(), "test");
        User patient = accounts.add(new Login("pat"), "Pat Doe", Set.of(Role.PATIENT), "a long password".toCharArray(),
                "test");
        Consultation consultation = server.signaling().consultations().create(
                new Actor(provider.id(), provider.displayName(), provider.roles()), Map.of(patient.id(), Role.PATIENT),
                Optional.empty(), Optional.empty(), ConsultationService.Origin.NONE).toCompletableFuture().join();
        int port = server.httpAddress().getPort();

        try (WsClient doctor = WsClient.connect(port)) {
            assertThat(doctor.hello(token(provider)).path("type").asText()).isEqualTo("welcome");
            join(doctor, consultation);
            WsClient pat = WsClient.connect(port);
            assertThat(pat.hello(token(patient)).path("type").asText()).isEqualTo("welcome");
            join(pat, consultation);
            long waitingVersion = doctor.next(m -> m.path("type").asText().equals("waiting-room")
                    && m.path("waiting").size() == 1).path("version").asLong();

            // the one worker busy and its queue of one full, with tasks that wait for the release: anything more is
            // refused busy (once what the joins left for the workers is done, so that both are ours)
            long idleBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((server.workers().active() > 0 || server.workers().queued() > 0) && System.nanoTime() < idleBy) {
                Thread.sleep(10);
            }
            List<CompletableFuture<Object>> blockers = new ArrayList<>();
            blockers.add(server.workers().submit(this::blocked));
            while (server.workers().queued() > 0 && System.nanoTime() < idleBy) {
                Thread.sleep(1); // taken off the queue by the worker, which now waits
            }
            blockers.add(server.workers().submit(this::blocked));
            assertThat(blockers).noneMatch(CompletableFuture::isCompletedExceptionally);
            assertThat(server.workers().active()).isEqualTo(1);
            assertThat(server.workers().queued()).isEqualTo(1);
            assertThatThrownBy(() -> server.workers().submit(() -> null).join()).hasCauseInstanceOf(BusyException.class);

            pat.closeNormally();
            // the first attempts are refused; nothing reaches the provider while the workers stay busy
            assertThat(doctor.nextWithin(Duration.ofMillis(700), m -> m.path("type").asText().equals("waiting-room")
                    && m.path("version").asLong() > waitingVersion)).isEmpty();
            release.countDown();
            for (CompletableFuture<Object> blocker : blockers) {
                blocker.get(5, TimeUnit.SECONDS);
            }

            JsonNode emptied = doctor.next(m -> m.path("type").asText().equals("waiting-room")
                    && m.path("version").asLong() > waitingVersion);
            assertThat(emptied.path("waiting")).isEmpty();
            assertThat(emptied.path("consultation").asText()).isEqualTo(consultation.id().value());
            assertThat(server.signaling().consultations().find(consultation.id()).toCompletableFuture().join()
                    .orElseThrow().attendees()).doesNotContainKey(patient.id());
        }
    }

    private Object blocked() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private String token(User user) {
        return server.services().tokens().issue(user.id(), user.roles(), Optional.empty()).jwt();
    }

    private static void join(WsClient client, Consultation consultation) {
        JsonNode joined = client.answer(client.request(WsClient.message("join").put("consultation",
                consultation.id().value())));
        assertThat(joined.path("type").asText()).as(joined.toString()).isEqualTo("result");
    }
}
