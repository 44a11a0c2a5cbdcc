package io.telesignal.core.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.InMemoryAuditLog;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationPolicy;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.consultation.InMemoryConsultationStore;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.FrontDoor;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.CoreEvent;
import io.telesignal.core.routing.Endpoint;
import io.telesignal.core.routing.InMemoryEndpointRegistry;
import io.telesignal.core.routing.LocalEndpoints;
import io.telesignal.core.routing.Router;
import io.telesignal.core.routing.SingleNodeLink;
import io.telesignal.core.testkit.MutableClock;
import io.telesignal.core.work.WorkerPool;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChatServiceTest {
    private final MutableClock clock = MutableClock.atEpochDay();
    private final InMemoryAuditLog log = new InMemoryAuditLog();
    private final AuditTrail audit = new AuditTrail(log, clock, 100);
    private final WorkerPool workers = new WorkerPool("test", 2, 10);
    private final Router router = new Router(new NodeId("n"), new InMemoryEndpointRegistry(), new LocalEndpoints(),
            new SingleNodeLink());
    private final ConsultationService consultations = new ConsultationService(new InMemoryConsultationStore(),
            new ConsultationPolicy(), audit, router, clock, 8);
    private final InMemoryChatStore store = new InMemoryChatStore();
    private final ChatService chat = new ChatService(store, consultations, router, audit, workers, clock, Duration.ofDays(30));
    private final Actor doctor = new Actor(new UserId("doc"), "Dr D", Set.of(Role.PROVIDER));

    @AfterEach
    void close() {
        workers.close();
        audit.close();
    }

    @Test
    void messagesGoToOtherEndpointsAreStoredAndAuditedWithoutText() {
        Consultation c = consultations.create(doctor, Map.of(), Optional.empty(), Optional.empty(),
                ConsultationService.Origin.NONE).toCompletableFuture().join();
        List<CoreEvent> otherTab = new CopyOnWriteArrayList<>();
        List<CoreEvent> sendingTab = new CopyOnWriteArrayList<>();
        connect(new EndpointId("tab-1"), sendingTab);
        connect(new EndpointId("tab-2"), otherTab);
        consultations.join(doctor, c.id(), new EndpointId("tab-1"), Optional.empty(), ConsultationService.Origin.NONE)
                .toCompletableFuture().join();
        consultations.join(doctor, c.id(), new EndpointId("tab-2"), Optional.empty(), ConsultationService.Origin.NONE)
                .toCompletableFuture().join();
        sendingTab.clear();
        otherTab.clear();

        ChatMessage sent = chat.send(doctor, c.id(), new EndpointId("tab-1"), "private words", Optional.empty(),
                ConsultationService.Origin.NONE).toCompletableFuture().join();

        assertThat(otherTab).containsExactly(new ChatPosted(sent));
        assertThat(sendingTab).isEmpty();
        assertThat(chat.history(c.id(), 10)).containsExactly(sent);
        var record = log.read(0, 100).stream().filter(r -> r.event().type().equals("chat.sent")).findFirst().orElseThrow();
        assertThat(record.event().toString()).doesNotContain("private words");
        assertThatThrownBy(() -> chat.send(doctor, c.id(), new EndpointId("tab-1"), " ", Optional.empty(),
                ConsultationService.Origin.NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> chat.send(doctor, c.id(), new EndpointId("tab-1"), "hi", Optional.of("x".repeat(65)),
                ConsultationService.Origin.NONE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMessageSentAgainWithItsClientIdIsStoredOnceAuditedAsResentAndDeliveredAgain() {
        Consultation c = consultations.create(doctor, Map.of(), Optional.empty(), Optional.empty(),
                ConsultationService.Origin.NONE).toCompletableFuture().join();
        List<CoreEvent> otherTab = new CopyOnWriteArrayList<>();
        connect(new EndpointId("tab-1"), new CopyOnWriteArrayList<>());
        connect(new EndpointId("tab-2"), otherTab);
        consultations.join(doctor, c.id(), new EndpointId("tab-1"), Optional.empty(), ConsultationService.Origin.NONE)
                .toCompletableFuture().join();
        consultations.join(doctor, c.id(), new EndpointId("tab-2"), Optional.empty(), ConsultationService.Origin.NONE)
                .toCompletableFuture().join();
        otherTab.clear();

        ChatMessage first = chat.send(doctor, c.id(), new EndpointId("tab-1"), "words", Optional.of("k-1"),
                ConsultationService.Origin.NONE).toCompletableFuture().join();
        clock.advance(Duration.ofSeconds(3));
        // the same message from a new session (a new endpoint) after the first one's connection was lost
        ChatMessage again = chat.send(doctor, c.id(), new EndpointId("tab-1"), "words", Optional.of("k-1"),
                ConsultationService.Origin.NONE).toCompletableFuture().join();

        assertThat(again).isEqualTo(first);
        assertThat(chat.history(c.id(), 10)).containsExactly(first);
        assertThat(log.read(0, 100)).filteredOn(r -> r.event().type().equals("chat.sent"))
                .extracting(r -> r.event().subject() + ":" + r.event().reason())
                .containsExactly(first.id() + ":null", first.id() + ":resent");
        // the others may not have had it the first time: they get it again, with the same id, and show it once
        assertThat(otherTab).containsExactly(new ChatPosted(first), new ChatPosted(first));
    }

    @Test
    void purgeKeepsOnlyTheRetentionPeriod() {
        store.append(new ChatMessage("m1", new io.telesignal.core.consultation.ConsultationId("c1"), new UserId("u"), "U",
                "old", clock.instant()));
        clock.advance(Duration.ofDays(29));
        store.append(new ChatMessage("m2", new io.telesignal.core.consultation.ConsultationId("c1"), new UserId("u"), "U",
                "newer", clock.instant()));
        clock.advance(Duration.ofDays(2));

        assertThat(chat.purge()).isEqualTo(1);
        assertThat(chat.history(new io.telesignal.core.consultation.ConsultationId("c1"), 10))
                .extracting(ChatMessage::id).containsExactly("m2");
    }

    private void connect(EndpointId id, List<CoreEvent> inbox) {
        router.connect(new Endpoint(id, doctor.user(), FrontDoor.WEBSOCKET, new NodeId("n"), "127.0.0.1", clock.instant()),
                io.telesignal.core.routing.EndpointSink.of(inbox::add)).toCompletableFuture().join();
    }
}
