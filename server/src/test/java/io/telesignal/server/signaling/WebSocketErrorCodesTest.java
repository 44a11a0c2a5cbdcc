package io.telesignal.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import io.telesignal.server.config.ServerConfig;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented error and close codes of /ws that the flows in WebSocketSignalingTest do not reach. */
class WebSocketErrorCodesTest {
    @TempDir
    Path dataDir;
    private TelesignalServer server;
    private int port;
    private User provider;
    private User patient;
    private Consultation consultation;

    @BeforeEach
    void start() {
        server = LoopbackServer.start(dataDir, "signaling.helloTimeout", "500ms", "signaling.maxSessionsPerUser", "2", "signaling.bufferMessages", "4",
                "consultations.maxParticipants", "2");
        port = server.httpAddress().getPort();
        var accounts = server.services().accounts();
        provider = accounts.add(new Login("doc"), "Doc", Set.of(Role.PROVIDER), "a long password".toCharArray(), "t");
        patient = accounts.add(new Login("pat"), "Pat", Set.of(Role.PATIENT), "a long password".toCharArray(), "t");
        consultation = server.signaling().consultations().create(new Actor(provider.id(), "Doc", provider.roles()),
                Map.of(patient.id(), Role.PATIENT), Optional.empty(), Optional.empty(), ConsultationService.Origin.NONE)
                .toCompletableFuture().join();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private String token(User user) {
        return server.services().tokens().issue(user.id(), user.roles(), Optional.empty()).jwt();
    }

    private WsClient signIn(User user) {
        WsClient client = WsClient.connect(port);
        assertThat(client.hello(token(user)).path("type").asText()).isEqualTo("welcome");
        return client;
    }

    @Test
    void silenceAfterConnectingIsHelloTimeout4408() {
        try (WsClient quiet = WsClient.connect(port)) {
            assertThat(quiet.next("error").path("code").asText()).isEqualTo("hello_timeout");
            assertThat(quiet.closed.join()).isEqualTo(4408);
        }
    }

    @Test
    void secondHelloIsAlreadyAuthenticated() {
        try (WsClient doc = signIn(provider)) {
            doc.send(WsClient.message("hello").put("token", token(provider)).toString());
            assertThat(doc.next("error").path("code").asText()).isEqualTo("already_authenticated");
        }
    }

    @Test
    void aSessionTheAuditTrailCannotRecordIsEndedWith1013() {
        server.services().audit().close(); // from now on every record is refused at once
        try (WsClient client = WsClient.connect(port)) {
            assertThat(client.hello(token(provider)).path("type").asText()).isEqualTo("welcome");
            assertThat(client.next("error").path("code").asText()).isEqualTo("audit_unavailable");
            assertThat(client.closed.join()).isEqualTo(1013);
        }
        org.awaitility.Awaitility.await().until(() -> server.signaling().frontDoor().sessions() == 0);
    }

    @Test
    void tokenForAnUnknownUserIs4401() {
        String orphan = server.services().tokens().issue(new UserId("u-gone"), Set.of(Role.PATIENT), Optional.empty()).jwt();
        try (WsClient client = WsClient.connect(port)) {
            assertThat(client.hello(orphan).path("code").asText()).isEqualTo("unknown_user");
            assertThat(client.closed.join()).isEqualTo(4401);
        }
    }

    @Test
    void thirdSessionOfAUserIsTooManySessions() {
        try (WsClient one = signIn(patient); WsClient two = signIn(patient); WsClient three = WsClient.connect(port)) {
            assertThat(three.hello(token(patient)).path("code").asText()).isEqualTo("too_many_sessions");
            assertThat(three.closed.join()).isEqualTo(4403);
        }
    }

    @Test
    void resumingOnANewConnectionClosesTheOldOne4409() {
        WsClient first = WsClient.connect(port);
        JsonNode welcome = first.hello(token(patient));
        try (WsClient second = WsClient.connect(port)) {
            var hello = WsClient.message("hello").put("token", token(patient));
            hello.putObject("resume").put("session", welcome.path("session").asText())
                    .put("resumeToken", welcome.path("resumeToken").asText()).put("lastSeq", 0);
            second.send(hello.toString());
            assertThat(second.next("welcome").path("resumed").asBoolean()).isTrue();
            assertThat(first.closed.join()).isEqualTo(4409);
        }
    }

    @Test
    void aClientThatNeverAcksIsClosed4413AndCannotResume() {
        WsClient pat = WsClient.connect(port);
        JsonNode welcome = pat.hello(token(patient));
        for (int i = 0; i < 6; i++) {
            pat.trySend(WsClient.message("leave").put("id", "x" + i).put("consultation", "c-none").toString());
        }
        assertThat(pat.closed.join()).isEqualTo(4413);
        try (WsClient back = WsClient.connect(port)) {
            var hello = WsClient.message("hello").put("token", token(patient));
            hello.putObject("resume").put("session", welcome.path("session").asText())
                    .put("resumeToken", welcome.path("resumeToken").asText()).put("lastSeq", 0);
            back.send(hello.toString());
            assertThat(back.next("error").path("code").asText()).isEqualTo("resume_overflow");
        }
    }

    @Test
    void resumeFromBeyondTheStreamIsResumePosition() {
        WsClient pat = WsClient.connect(port);
        JsonNode welcome = pat.hello(token(patient));
        pat.abort();
        try (WsClient back = WsClient.connect(port)) {
            var hello = WsClient.message("hello").put("token", token(patient));
            hello.putObject("resume").put("session", welcome.path("session").asText())
                    .put("resumeToken", welcome.path("resumeToken").asText()).put("lastSeq", 99);
            back.send(hello.toString());
            assertThat(back.next("error").path("code").asText()).isEqualTo("resume_position");
        }
    }

    @Test
    void fullConsultationAndNotWaiting() {
        User guest = server.services().accounts().add(new Login("gus"), "Gus", Set.of(Role.GUEST),
                "a long password".toCharArray(), "t");
        try (WsClient doc = signIn(provider); WsClient pat = signIn(patient); WsClient gus = signIn(guest)) {
            // this server keeps only 4 unacknowledged messages: ack as a real client does
            doc.answer(doc.request(WsClient.message("join").put("consultation", consultation.id().value())));
            doc.ack();
            JsonNode admitUnknown = doc.answer(doc.request(WsClient.message("admit")
                    .put("consultation", consultation.id().value()).put("user", patient.id().value())));
            assertThat(admitUnknown.path("code").asText()).isEqualTo("not_waiting");
            doc.ack();

            pat.answer(pat.request(WsClient.message("join").put("consultation", consultation.id().value())));
            doc.next("waiting-room");
            doc.ack();
            String invite = doc.answer(doc.request(WsClient.message("invite")
                    .put("consultation", consultation.id().value()).put("role", "guest"))).path("body").path("invite").asText();
            JsonNode full = gus.answer(gus.request(WsClient.message("join")
                    .put("consultation", consultation.id().value()).put("invite", invite)));
            assertThat(full.path("code").asText()).isEqualTo("consultation_full");
        }
    }
}
