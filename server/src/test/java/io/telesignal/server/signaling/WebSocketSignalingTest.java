package io.telesignal.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.server.config.ServerConfig;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /ws front door end to end: the composed server, real WebSocket clients, real tokens. */
class WebSocketSignalingTest {
    @TempDir
    Path dataDir;
    private TelesignalServer server;
    private int port;
    private User provider;
    private User patient;
    private User stranger;
    private Consultation consultation;

    @BeforeEach
    void start() {
        start(Map.of());
    }

    private void start(Map<String, String> extra) {
        server = LoopbackServer.start(dataDir, extra);
        port = server.httpAddress().getPort();
        var accounts = server.services().accounts();
        provider = accounts.add(new Login("drsmith"), "Dr Smith", Set.of(Role.PROVIDER), "a long password".toCharArray(), "test");
        patient = accounts.add(new Login("pat"), "Pat Doe", Set.of(Role.PATIENT), "a long password".toCharArray(), "test");
        stranger = accounts.add(new Login("eve"), "Eve", Set.of(Role.PATIENT), "a long password".toCharArray(), "test");
        consultation = server.signaling().consultations().create(actor(provider),
                Map.of(patient.id(), Role.PATIENT), Optional.empty(), Optional.empty(), ConsultationService.Origin.NONE)
                .toCompletableFuture().join();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private static Actor actor(User user) {
        return new Actor(user.id(), user.displayName(), user.roles());
    }

    private String token(User user) {
        return server.services().tokens().issue(user.id(), user.roles(), Optional.empty()).jwt();
    }

    private WsClient signIn(User user) {
        WsClient client = WsClient.connect(port);
        JsonNode welcome = client.hello(token(user));
        assertThat(welcome.path("type").asText()).as(welcome.toString()).isEqualTo("welcome");
        return client;
    }

    /** Both join, the provider admits the patient: the patient's view of the call with both in it. */
    private JsonNode admitted(WsClient doctor, WsClient pat) {
        join(doctor);
        join(pat);
        doctor.answer(doctor.request(WsClient.message("admit").put("consultation", consultation.id().value())
                .put("user", patient.id().value())));
        return pat.next(m -> m.path("type").asText().equals("participant") && m.path("participants").size() == 2);
    }

    private JsonNode join(WsClient client) {
        return client.answer(client.request(WsClient.message("join").put("consultation", consultation.id().value())));
    }

    @Test
    void waitingRoomAdmitOfferAnswerCandidatesHangup() {
        try (WsClient doctor = signIn(provider); WsClient pat = signIn(patient)) {
            JsonNode doctorJoined = join(doctor);
            assertThat(doctorJoined.path("type").asText()).isEqualTo("result");
            assertThat(doctorJoined.path("body").path("participants").get(0).path("user").asText())
                    .isEqualTo(provider.id().value());

            JsonNode patientJoined = join(pat);
            assertThat(patientJoined.path("body").path("participants").size()).isEqualTo(1);
            assertThat(pat.next("admission").path("status").asText()).isEqualTo("waiting");
            JsonNode waiting = doctor.next(m -> m.path("type").asText().equals("waiting-room")
                    && m.path("waiting").size() == 1);
            assertThat(waiting.path("waiting").get(0).path("displayName").asText()).isEqualTo("Pat Doe");

            JsonNode admitted = doctor.answer(doctor.request(WsClient.message("admit")
                    .put("consultation", consultation.id().value()).put("user", patient.id().value())));
            assertThat(admitted.path("type").asText()).as(admitted.toString()).isEqualTo("result");
            assertThat(pat.next("admission").path("status").asText()).isEqualTo("admitted");
            JsonNode participants = pat.next(m -> m.path("type").asText().equals("participant")
                    && m.path("participants").size() == 2);
            assertThat(participants.path("state").asText()).isEqualTo("in_progress");

            String patientEndpoint = endpointOf(participants, patient.id().value());
            String doctorEndpoint = endpointOf(participants, provider.id().value());
            var early = WsClient.message("signal").put("consultation", consultation.id().value()).put("to", doctorEndpoint);
            early.putObject("description").put("type", "answer").put("sdp", OFFER);
            assertThat(pat.answer(pat.request(early)).path("code").asText()).isEqualTo("sdp_unexpected_answer");

            var offer = WsClient.message("signal").put("consultation", consultation.id().value()).put("to", patientEndpoint);
            offer.putObject("description").put("type", "offer").put("sdp", OFFER);
            assertThat(doctor.answer(doctor.request(offer)).path("type").asText()).isEqualTo("result");
            JsonNode relayed = pat.next("signal");
            assertThat(relayed.path("description").path("type").asText()).isEqualTo("offer");
            // relayed as the JSON literal it came in (JsonString): the same SDP, character for character
            assertThat(relayed.path("description").path("sdp").asText()).isEqualTo(OFFER);
            assertThat(relayed.path("from").asText()).isEqualTo(provider.id().value());
            assertThat(relayed.path("fromEndpoint").asText()).isEqualTo(doctorEndpoint);

            var answer = WsClient.message("signal").put("consultation", consultation.id().value()).put("to", doctorEndpoint);
            String answerSdp = OFFER.replace("s=-", "s=Caf\u00e9 \u4e2d \"quoted\" \\ / \uD83D\uDE00");
            answer.putObject("description").put("type", "answer").put("sdp", answerSdp);
            assertThat(pat.answer(pat.request(answer)).path("type").asText()).isEqualTo("result");
            JsonNode relayedAnswer = doctor.next("signal");
            assertThat(relayedAnswer.path("description").path("type").asText()).isEqualTo("answer");
            assertThat(relayedAnswer.path("description").path("sdp").asText()).isEqualTo(answerSdp);

            var candidate = WsClient.message("signal").put("consultation", consultation.id().value()).put("to", doctorEndpoint);
            candidate.putObject("candidate").put("candidate", "candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host")
                    .put("sdpMid", "0").put("sdpMLineIndex", 0);
            pat.answer(pat.request(candidate));
            assertThat(doctor.next("signal").path("candidate").path("sdpMid").asText()).isEqualTo("0");

            var hangup = WsClient.message("signal").put("consultation", consultation.id().value()).put("to", patientEndpoint);
            hangup.putObject("hangup").put("reason", "done");
            doctor.answer(doctor.request(hangup));
            assertThat(pat.next("signal").path("hangup").path("reason").asText()).isEqualTo("done");

            // the call is on record: offered by the doctor, answered, hung up
            var records = server.services().store().callRecords();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() ->
                    records.forConsultation(consultation.id()).stream()
                            .anyMatch(r -> r.state() == io.telesignal.core.call.CallState.ENDED));
            var call = records.forConsultation(consultation.id()).get(0);
            assertThat(call.callerUser()).isEqualTo(provider.id());
            assertThat(call.connectedAt()).isPresent();
            assertThat(call.endReason()).contains("hangup");
            assertThat(server.services().store().auditLog().read(0, 200)).extracting(r -> r.event().type())
                    .contains("call.started", "call.ended");
        }
    }

    @Test
    void welcomeCarriesStunAndEphemeralTurnServers() {
        server.stop();
        start(Map.of("dataDir", dataDir.resolve("ice").toString(), "ice.stunUrls", "stun:stun.example.org:3478",
                "ice.turnUrls", "turn:turn.example.org:3478",
                "ice.turnSecret", "a-shared-secret-of-some-length"));
        try (WsClient pat = WsClient.connect(port)) {
            JsonNode welcome = pat.hello(token(patient));
            JsonNode ice = welcome.path("iceServers");
            assertThat(ice.size()).isEqualTo(2);
            assertThat(ice.get(0).path("urls").get(0).asText()).isEqualTo("stun:stun.example.org:3478");
            assertThat(ice.get(1).path("username").asText()).endsWith(":" + patient.id().value());
            assertThat(ice.get(1).path("credential").asText()).matches("[A-Za-z0-9+/]{27}=");
        }
    }

    @Test
    void floodingIsAnsweredRateLimitedThenClosed4429() {
        server.stop();
        start(Map.of("dataDir", dataDir.resolve("rate").toString(), "signaling.rateLimit.connectionPerSecond", "1",
                "signaling.rateLimit.connectionBurst", "3"));
        try (WsClient doctor = signIn(provider)) {
            // hello took one token of three: two requests pass, the third is dropped and answered
            for (int i = 0; i < 3; i++) {
                doctor.send(WsClient.message("leave").put("id", "f" + i).put("consultation", "c1").toString());
            }
            JsonNode limited = doctor.next(m -> m.path("code").asText().equals("rate_limited"));
            assertThat(limited.path("re").asText()).isEqualTo("f2");
            for (int i = 0; i < 10 && !doctor.closed.isDone(); i++) {
                doctor.trySend(WsClient.message("ack").put("seq", 0).toString());
            }
            assertThat(doctor.closed.join()).isEqualTo(4429);
        }
    }

    @Test
    void chatReachesTheOtherParticipantsAndComesBackAsHistory() {
        try (WsClient doctor = signIn(provider); WsClient pat = signIn(patient)) {
            join(doctor);
            join(pat);
            var earlyChat = WsClient.message("chat").put("consultation", consultation.id().value()).put("text", "hello?");
            assertThat(pat.answer(pat.request(earlyChat)).path("code").asText()).isEqualTo("not_authorized");
            doctor.answer(doctor.request(WsClient.message("admit").put("consultation", consultation.id().value())
                    .put("user", patient.id().value())));
            pat.next(m -> m.path("type").asText().equals("admission") && m.path("status").asText().equals("admitted"));

            JsonNode sent = doctor.answer(doctor.request(WsClient.message("chat")
                    .put("consultation", consultation.id().value()).put("text", "Good morning, how are you feeling? ✓")));
            assertThat(sent.path("body").path("message").path("from").asText()).isEqualTo(provider.id().value());
            JsonNode received = pat.next("chat");
            assertThat(received.path("message").path("text").asText()).isEqualTo("Good morning, how are you feeling? ✓");
            assertThat(received.path("message").path("displayName").asText()).isEqualTo("Dr Smith");

            pat.answer(pat.request(WsClient.message("chat").put("consultation", consultation.id().value())
                    .put("text", "Better, thanks")));
            assertThat(doctor.next("chat").path("message").path("text").asText()).isEqualTo("Better, thanks");

            JsonNode history = pat.answer(pat.request(WsClient.message("history")
                    .put("consultation", consultation.id().value())));
            assertThat(history.path("body").path("messages").size()).isEqualTo(2);
            assertThat(history.path("body").path("messages").get(1).path("text").asText()).isEqualTo("Better, thanks");

            try (WsClient secondTab = signIn(provider)) {
                JsonNode rejoined = join(secondTab);
                assertThat(rejoined.path("body").path("chat").size()).isEqualTo(2);
            }
            long chatAudits = server.services().store().auditLog().read(0, 200).stream()
                    .filter(r -> r.event().type().equals("chat.sent")).count();
            assertThat(chatAudits).isEqualTo(2);
        }
    }

    @Test
    void interpreterJoinsByInviteAndTheInviteWorksOnce() {
        User interpreter = server.services().accounts().add(new Login("ivan"), "Ivan", Set.of(Role.INTERPRETER),
                "a long password".toCharArray(), "test");
        try (WsClient doctor = signIn(provider); WsClient ivan = signIn(interpreter); WsClient eve = signIn(stranger)) {
            join(doctor);
            JsonNode invite = doctor.answer(doctor.request(WsClient.message("invite")
                    .put("consultation", consultation.id().value()).put("role", "interpreter")));
            assertThat(invite.path("type").asText()).as(invite.toString()).isEqualTo("result");
            String token = invite.path("body").path("invite").asText();

            JsonNode joined = ivan.answer(ivan.request(WsClient.message("join")
                    .put("consultation", consultation.id().value()).put("invite", token)));
            assertThat(joined.path("type").asText()).as(joined.toString()).isEqualTo("result");
            assertThat(ivan.next("admission").path("status").asText()).isEqualTo("waiting");
            JsonNode waiting = doctor.next(m -> m.path("type").asText().equals("waiting-room") && m.path("waiting").size() == 1);
            assertThat(waiting.path("waiting").get(0).path("role").asText()).isEqualTo("interpreter");

            JsonNode reused = eve.answer(eve.request(WsClient.message("join")
                    .put("consultation", consultation.id().value()).put("invite", token)));
            assertThat(reused.path("code").asText()).isEqualTo("invite_used");
            JsonNode forged = eve.answer(eve.request(WsClient.message("join")
                    .put("consultation", consultation.id().value()).put("invite", "x.y.z")));
            assertThat(forged.path("code").asText()).isEqualTo("invite_invalid");
        }
    }

    @Test
    void watchersSeePresenceChangesReconnectingAndOffline() {
        server.stop();
        start(Map.of("dataDir", dataDir.resolve("presence").toString(), "signaling.resumeWindow", "2s"));
        try (WsClient doctor = signIn(provider)) {
            WsClient pat = signIn(patient);
            JsonNode watched = doctor.answer(doctor.request(watch(patient.id().value(), stranger.id().value())));
            assertThat(watched.path("body").path("presence").get(0).path("status").asText()).isEqualTo("available");
            assertThat(watched.path("body").path("refused").get(0).asText()).isEqualTo(stranger.id().value());

            JsonNode set = pat.answer(pat.request(WsClient.message("presence").put("status", "busy").put("note", "in a call")));
            assertThat(set.path("body").path("status").asText()).isEqualTo("busy");
            JsonNode busy = doctor.next("presence");
            assertThat(busy.path("status").asText()).isEqualTo("busy");
            assertThat(busy.path("note").asText()).isEqualTo("in a call");

            pat.abort();
            assertThat(doctor.next("presence").path("status").asText()).isEqualTo("reconnecting");
            assertThat(doctor.next("presence").path("status").asText()).isEqualTo("offline");

            try (WsClient patAgain = signIn(patient)) {
                JsonNode refused = patAgain.answer(patAgain.request(watch(provider.id().value())));
                assertThat(refused.path("body").path("refused").get(0).asText()).isEqualTo(provider.id().value());
                assertThat(doctor.next("presence").path("status").asText()).isEqualTo("available");
                JsonNode invalid = patAgain.answer(patAgain.request(WsClient.message("presence").put("status", "offline")));
                assertThat(invalid.path("code").asText()).isEqualTo("invalid_field");
            }
        }
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode watch(String... users) {
        var message = WsClient.message("watch");
        var list = message.putArray("users");
        for (String user : users) {
            list.add(user);
        }
        return message;
    }

    @Test
    void denyIsToldToThePatient() {
        try (WsClient doctor = signIn(provider); WsClient pat = signIn(patient)) {
            join(doctor);
            join(pat);
            doctor.answer(doctor.request(WsClient.message("deny").put("consultation", consultation.id().value())
                    .put("user", patient.id().value())));
            assertThat(pat.next(m -> m.path("type").asText().equals("admission")
                    && m.path("status").asText().equals("denied"))).isNotNull();
        }
    }

    @Test
    void unlistedUserIsRefusedAndStaysConnected() {
        try (WsClient eve = signIn(stranger)) {
            JsonNode refused = join(eve);
            assertThat(refused.path("type").asText()).isEqualTo("error");
            assertThat(refused.path("code").asText()).isEqualTo("not_authorized");
            assertThat(refused.path("seq").asLong()).isPositive();
            JsonNode again = eve.answer(eve.request(WsClient.message("leave").put("consultation", "nope")));
            assertThat(again.path("code").asText()).isEqualTo("consultation_not_found");
        }
    }

    @Test
    void signalsAreAcknowledgedTogetherWhenTheHelloAsksErrorsStillComeOneByOne() {
        signalsAcknowledgedTogether();
    }

    /** signaling.signalAckDelay 0s: one signaled per turn of the event loop, the same guarantees. */
    @Test
    void signalsAreAcknowledgedTogetherWithNoDelayToo() {
        server.stop();
        start(Map.of("dataDir", dataDir.resolve("no-delay").toString(), "signaling.signalAckDelay", "0s"));
        signalsAcknowledgedTogether();
    }

    private void signalsAcknowledgedTogether() {
        try (WsClient doctor = WsClient.connect(port); WsClient pat = signIn(patient)) {
            doctor.send(WsClient.message("hello").put("token", token(provider)).put("signalAcks", "cumulative").toString());
            assertThat(doctor.next("welcome").path("session").asText()).isNotEmpty();
            JsonNode participants = admitted(doctor, pat);
            String patientEndpoint = endpointOf(participants, patient.id().value());

            var offer = WsClient.message("signal").put("consultation", consultation.id().value()).put("to", patientEndpoint);
            offer.putObject("description").put("type", "offer").put("sdp", OFFER);
            String first = doctor.request(offer);
            for (int i = 0; i < 4; i++) {
                var candidate = WsClient.message("signal").put("consultation", consultation.id().value()).put("to", patientEndpoint);
                candidate.putObject("candidate").put("candidate", "candidate:" + i + " 1 udp 2122260223 192.0.2.1 5432" + i
                        + " typ host").put("sdpMid", "0").put("sdpMLineIndex", 0);
                doctor.request(candidate);
            }
            var astray = WsClient.message("signal").put("consultation", consultation.id().value()).put("to", "websocket-nobody");
            astray.put("restart", true);
            String refused = doctor.request(astray);
            var last = WsClient.message("signal").put("consultation", consultation.id().value()).put("to", patientEndpoint);
            last.putObject("candidate").put("candidate", "");
            String lastId = doctor.request(last);

            // the refused one is answered on its own, before anything that covers it; the others by signaled only
            JsonNode error = doctor.answer(refused);
            assertThat(error.path("code").asText()).isEqualTo("peer_unavailable");
            JsonNode covered = doctor.next(m -> m.path("type").asText().equals("signaled")
                    && m.path("through").asText().equals(lastId));
            assertThat(covered.path("seq").asLong()).isGreaterThan(error.path("seq").asLong());
            assertThat(doctor.seen).noneMatch(m -> m.path("type").asText().equals("result")
                    && m.path("re").asText().compareTo(first) >= 0 && m.path("re").asText().length() >= first.length());
            List<JsonNode> signaled = doctor.seen.stream().filter(m -> m.path("type").asText().equals("signaled")).toList();
            assertThat(signaled.size()).as("coalesced: fewer than one per signal").isLessThan(7);
            for (int i = 0; i < 6; i++) {
                assertThat(pat.next("signal")).isNotNull(); // all but the refused one relayed, in order
            }

            // a repeat is answered on its own, as before; other requests keep their results
            offer.put("id", first);
            doctor.send(offer.toString());
            assertThat(doctor.answer(first).path("type").asText()).isEqualTo("result");
            var chat = WsClient.message("chat").put("consultation", consultation.id().value()).put("text", "hello");
            assertThat(doctor.answer(doctor.request(chat)).path("type").asText()).isEqualTo("result");
        }
        try (WsClient odd = WsClient.connect(port)) {
            odd.send(WsClient.message("hello").put("token", token(provider)).put("signalAcks", "sometimes").toString());
            JsonNode error = odd.next("error");
            assertThat(error.path("code").asText()).isEqualTo("invalid_field");
            assertThat(error.path("message").asText()).contains("signalAcks");
        }
    }

    /**
     * Two peers on two I/O loops: the one with the larger endpoint id moves to the other's loop (once: they do not
     * swap), and a flood both ways across the move arrives whole and in order. The group hands new connections out
     * in turn, so the two connections made one after the other start on different loops.
     */
    @Test
    void peersMoveToOneEventLoopAndNothingIsLostOnTheWay() throws Exception {
        server.stop();
        start(Map.of("dataDir", dataDir.resolve("loops").toString(), "workers.ioThreads", "2",
                "signaling.rateLimit.connectionPerSecond", "100000", "signaling.rateLimit.connectionBurst", "100000",
                "signaling.rateLimit.addressPerSecond", "100000", "signaling.rateLimit.addressBurst", "100000"));
        assertThat(flood()).isEqualTo(1.0);
    }

    /** signaling.colocatePeers false: every connection stays on the loop it was accepted on. */
    @Test
    void peersStayOnTheirLoopsWhenColocationIsOff() throws Exception {
        server.stop();
        start(Map.of("dataDir", dataDir.resolve("apart").toString(), "workers.ioThreads", "2",
                "signaling.colocatePeers", "false",
                "signaling.rateLimit.connectionPerSecond", "100000", "signaling.rateLimit.connectionBurst", "100000",
                "signaling.rateLimit.addressPerSecond", "100000", "signaling.rateLimit.addressBurst", "100000"));
        assertThat(flood()).isZero();
    }

    /** Both sides send 300 candidates at once; each gets the other's, in order. Answers the moves counted. */
    private double flood() throws Exception {
        try (WsClient doctor = signIn(provider); WsClient pat = signIn(patient)) {
            JsonNode participants = admitted(doctor, pat);
            String patientEndpoint = endpointOf(participants, patient.id().value());
            String doctorEndpoint = endpointOf(participants, provider.id().value());
            int count = 300;
            for (int i = 0; i < count; i++) {
                for (var from : List.of(Map.entry(doctor, patientEndpoint), Map.entry(pat, doctorEndpoint))) {
                    var candidate = WsClient.message("signal").put("consultation", consultation.id().value())
                            .put("to", from.getValue());
                    candidate.putObject("candidate").put("candidate", "candidate:" + i + " 1 udp 2122260223 192.0.2.1 "
                            + (10000 + i) + " typ host").put("sdpMid", "0").put("sdpMLineIndex", 0);
                    from.getKey().request(candidate);
                }
            }
            for (WsClient to : List.of(doctor, pat)) {
                for (int i = 0; i < count; i++) {
                    JsonNode signal = to.next("signal");
                    assertThat(signal.path("candidate").path("candidate").asText()).startsWith("candidate:" + i + " ");
                }
                assertThat(to.seen).noneMatch(m -> m.path("type").asText().equals("error"));
            }
        }
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.managementAddress().orElseThrow().getPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith("telesignal_connections_moved_total{door=\"websocket\"")).map(
                line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
    }

    @Test
    void signalsOnlyReachAdmittedPeers() {
        try (WsClient doctor = signIn(provider); WsClient pat = signIn(patient)) {
            join(doctor);
            join(pat);
            JsonNode waiting = doctor.next(m -> m.path("type").asText().equals("waiting-room") && m.path("waiting").size() == 1);
            String patientEndpoint = waiting.path("waiting").get(0).path("endpoints").get(0).asText();
            var offer = WsClient.message("signal").put("consultation", consultation.id().value()).put("to", patientEndpoint);
            offer.putObject("description").put("type", "offer").put("sdp", OFFER);
            assertThat(doctor.answer(doctor.request(offer)).path("code").asText()).isEqualTo("peer_unavailable");

            var fromWaiting = WsClient.message("signal").put("consultation", consultation.id().value()).put("to", "x");
            fromWaiting.put("restart", true);
            assertThat(pat.answer(pat.request(fromWaiting)).path("code").asText()).isEqualTo("not_authorized");
        }
    }

    @Test
    void resumeAfterAnAbruptDropReplaysExactlyTheMissedMessagesInOrder() {
        try (WsClient doctor = signIn(provider)) {
            WsClient pat = WsClient.connect(port);
            JsonNode welcome = pat.hello(token(patient));
            JsonNode participants = admitted(doctor, pat);
            pat.ack();
            long lastSeq = pat.lastSeq();
            String patientEndpoint = endpointOf(participants, patient.id().value());
            pat.abort();

            for (int i = 0; i < 3; i++) {
                var candidate = WsClient.message("signal").put("consultation", consultation.id().value())
                        .put("to", patientEndpoint);
                candidate.putObject("candidate").put("candidate", "candidate:" + i + " 1 udp 1 192.0.2.1 5000 typ host");
                assertThat(doctor.answer(doctor.request(candidate)).path("type").asText()).isEqualTo("result");
            }

            try (WsClient back = WsClient.connect(port)) {
                var hello = WsClient.message("hello").put("token", token(patient));
                hello.putObject("resume").put("session", welcome.path("session").asText())
                        .put("resumeToken", welcome.path("resumeToken").asText()).put("lastSeq", lastSeq);
                back.send(hello.toString());
                JsonNode resumed = back.next("welcome");
                assertThat(resumed.path("resumed").asBoolean()).isTrue();
                assertThat(resumed.path("replayFrom").asLong()).isEqualTo(lastSeq + 1);
                assertThat(resumed.path("session").asText()).isEqualTo(welcome.path("session").asText());

                for (int i = 0; i < 3; i++) {
                    JsonNode replayed = back.next("signal");
                    assertThat(replayed.path("seq").asLong()).isEqualTo(lastSeq + 1 + i);
                    assertThat(replayed.path("candidate").path("candidate").asText()).startsWith("candidate:" + i + " ");
                }
                // nothing more was missed: the next message is a fresh answer
                JsonNode fresh = back.answer(back.request(WsClient.message("leave")
                        .put("consultation", consultation.id().value())));
                assertThat(fresh.path("seq").asLong()).isEqualTo(lastSeq + 4);
                assertThat(back.seen).filteredOn(m -> m.path("type").asText().equals("signal")).hasSize(3);
            }
        }
    }

    @Test
    void resumeWithWrongTokenIsRefusedAndAFreshHelloStillWorks() {
        WsClient pat = signIn(patient);
        JsonNode welcome = pat.seen.get(0);
        pat.abort();
        try (WsClient back = WsClient.connect(port)) {
            var hello = WsClient.message("hello").put("token", token(patient));
            hello.putObject("resume").put("session", welcome.path("session").asText()).put("resumeToken", "forged")
                    .put("lastSeq", 0);
            back.send(hello.toString());
            assertThat(back.next("error").path("code").asText()).isEqualTo("resume_expired");
            assertThat(back.hello(token(patient)).path("type").asText()).isEqualTo("welcome");
        }
    }

    @Test
    void duplicateRequestIdsAreAnsweredOnce() {
        try (WsClient doctor = signIn(provider)) {
            String join = WsClient.message("join").put("consultation", consultation.id().value()).put("id", "same").toString();
            doctor.send(join);
            JsonNode first = doctor.answer("same");
            doctor.send(join);
            JsonNode second = doctor.answer("same");
            assertThat(second.path("body")).isEqualTo(first.path("body"));
            assertThat(second.path("seq").asLong()).isGreaterThan(first.path("seq").asLong());
            long joins = server.services().store().auditLog().read(0, 100).stream()
                    .filter(r -> r.event().type().equals("consultation.joined")).count();
            assertThat(joins).isEqualTo(1);
        }
    }

    @Test
    void badTokensAndMissingHelloCloseWithDocumentedCodes() {
        try (WsClient forged = WsClient.connect(port)) {
            JsonNode error = forged.hello("not.a.token");
            assertThat(error.path("code").asText()).isEqualTo("token_malformed");
            assertThat(forged.closed.join()).isEqualTo(4401);
        }
        try (WsClient rude = WsClient.connect(port)) {
            rude.send(WsClient.message("join").put("id", "1").put("consultation", "c").toString());
            assertThat(rude.next("error").path("code").asText()).isEqualTo("hello_required");
            assertThat(rude.closed.join()).isEqualTo(4400);
        }
        server.services().accounts().setEnabled(new Login("eve"), false, "test");
        try (WsClient disabled = WsClient.connect(port)) {
            assertThat(disabled.hello(token(stranger)).path("code").asText()).isEqualTo("account_disabled");
            assertThat(disabled.closed.join()).isEqualTo(4403);
        }
    }

    @Test
    void malformedMessagesGetErrorsAndTheConnectionStaysUp() {
        try (WsClient doctor = signIn(provider)) {
            doctor.send("{not json");
            assertThat(doctor.next("error").path("code").asText()).isEqualTo("malformed_json");
            doctor.send("{\"type\":\"teleport\",\"id\":\"t1\"}");
            JsonNode unknown = doctor.answer("t1");
            assertThat(unknown.path("code").asText()).isEqualTo("unknown_type");
            doctor.send("{\"type\":\"join\",\"id\":\"t2\"}");
            assertThat(doctor.answer("t2").path("code").asText()).isEqualTo("invalid_field");
            assertThat(join(doctor).path("type").asText()).isEqualTo("result");
        }
    }

    @Test
    void cleanCloseEndsTheSessionAndLeavesConsultations() {
        WsClient doctor = signIn(provider);
        join(doctor);
        doctor.closeNormally();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> server.signaling().frontDoor().sessions() == 0);
        Consultation after = server.signaling().consultations().get(actor(provider), consultation.id())
                .toCompletableFuture().join();
        assertThat(after.attendees()).isEmpty();
    }

    @Test
    void endedConsultationRefusesJoins() {
        try (WsClient doctor = signIn(provider); WsClient pat = signIn(patient)) {
            join(doctor);
            doctor.answer(doctor.request(WsClient.message("end").put("consultation", consultation.id().value())));
            assertThat(join(pat).path("code").asText()).isEqualTo("consultation_ended");
        }
    }

    @Test
    void invalidOrDisallowedSdpIsRefusedAndNotRelayed() {
        server.stop();
        start(Map.of("dataDir", dataDir.resolve("codecs").toString(), "sdp.codecs", "opus,h264"));
        try (WsClient doctor = signIn(provider); WsClient pat = signIn(patient)) {
            JsonNode participants = admitted(doctor, pat);
            String patientEndpoint = endpointOf(participants, patient.id().value());

            var broken = WsClient.message("signal").put("consultation", consultation.id().value()).put("to", patientEndpoint);
            broken.putObject("description").put("type", "offer").put("sdp", "v=0\r\nthis is not sdp\r\n");
            JsonNode invalid = doctor.answer(doctor.request(broken));
            assertThat(invalid.path("code").asText()).isEqualTo("sdp_invalid");
            assertThat(invalid.path("message").asText()).startsWith("line 2:");

            var vp8Only = WsClient.message("signal").put("consultation", consultation.id().value()).put("to", patientEndpoint);
            vp8Only.putObject("description").put("type", "offer").put("sdp", OFFER);
            assertThat(doctor.answer(doctor.request(vp8Only)).path("code").asText()).isEqualTo("sdp_codec_not_allowed");

            var rollback = WsClient.message("signal").put("consultation", consultation.id().value()).put("to", patientEndpoint);
            rollback.putObject("description").put("type", "rollback");
            assertThat(doctor.answer(doctor.request(rollback)).path("type").asText()).isEqualTo("result");
            assertThat(pat.next("signal").path("description").path("type").asText()).isEqualTo("rollback");
            assertThat(pat.seen).filteredOn(m -> m.path("type").asText().equals("signal")).hasSize(1);
        }
    }

    /** A browser-shaped offer: Opus audio, VP8 video. */
    /** {@code OFFER} padded with attribute lines to exactly {@code bytes} bytes (ASCII), CRLF line ends. */
    private static String offerOf(int bytes) {
        StringBuilder sdp = new StringBuilder(OFFER);
        while (sdp.length() < bytes) {
            int room = bytes - sdp.length();
            String prefix = "a=x-pad:";
            int body = Math.min(1000, room - prefix.length() - 2);
            if (body < 1) { // too little room for one more line: lengthen the last one instead
                sdp.insert(sdp.length() - 2, "y".repeat(room));
                break;
            }
            sdp.append(prefix).append("y".repeat(body)).append("\r\n");
        }
        return sdp.toString();
    }

    @Test
    void anSdpAtTheLimitIsRelayedAndOneByteOverIsAnsweredNotClosed() {
        try (WsClient doctor = signIn(provider); WsClient pat = signIn(patient)) {
            join(doctor);
            join(pat);
            doctor.answer(doctor.request(WsClient.message("admit").put("consultation", consultation.id().value())
                    .put("user", patient.id().value())));
            String patientEndpoint = endpointOf(pat.next(m -> m.path("type").asText().equals("participant")
                    && m.path("participants").size() == 2), patient.id().value());
            int limit = server.config().sdpMaxBytes();

            var atLimit = WsClient.message("signal").put("consultation", consultation.id().value()).put("to", patientEndpoint);
            atLimit.putObject("description").put("type", "offer").put("sdp", offerOf(limit));
            assertThat(atLimit.toString().length()).as("the message is over the old 64 KiB limit").isGreaterThan(65536);
            assertThat(doctor.answer(doctor.request(atLimit)).path("type").asText()).isEqualTo("result");
            assertThat(pat.next("signal").path("description").path("sdp").asText()).hasSize(limit);

            var over = WsClient.message("signal").put("consultation", consultation.id().value()).put("to", patientEndpoint);
            over.putObject("description").put("type", "offer").put("sdp", offerOf(limit + 1));
            JsonNode refused = doctor.answer(doctor.request(over));
            assertThat(refused.path("code").asText()).isEqualTo("sdp_too_large");
            // the connection stays open
            assertThat(doctor.answer(doctor.request(WsClient.message("history").put("consultation",
                    consultation.id().value()))).path("type").asText()).isEqualTo("result");
        }
    }

    private static final String OFFER = "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "a=group:BUNDLE 0 1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\n"
            + "a=rtpmap:111 opus/48000/2\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\n"
            + "a=rtpmap:96 VP8/90000\r\n";

    private static String endpointOf(JsonNode participants, String user) {
        for (JsonNode p : participants.path("participants")) {
            if (p.path("user").asText().equals(user)) {
                return p.path("endpoints").get(0).asText();
            }
        }
        throw new AssertionError("no participant " + user + " in " + participants);
    }
}
