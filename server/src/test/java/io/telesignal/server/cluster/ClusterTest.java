package io.telesignal.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telesignal.cluster.redis.RedisSettings;
import io.telesignal.cluster.redis.TestRedis;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.server.signaling.WsClient;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import io.telesignal.store.JdbcSettings;
import io.telesignal.store.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes in one JVM sharing a real Redis (under a key prefix of this test's own) and a real PostgreSQL (in a
 * schema of its own), with clients connected to different nodes: the waiting room, admission, offer/answer and
 * candidates, chat, presence and hang-up all cross nodes; two nodes admitting one patient at once, exactly one wins;
 * a node that stops leaves its clients' places to be taken up on another.
 */
class ClusterTest {
    /** The data encryption key every node shares, as docs/cluster.md says to deploy it. */
    static final String SHARED_DATA_KEY = java.util.Base64.getEncoder().encodeToString(
            "thirty-two bytes of shared key!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private static final String SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
            + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:111 opus/48000/2\r\n";

    @TempDir
    Path dir;
    private JdbcSettings database;
    private RedisSettings redis;
    private final List<TelesignalServer> nodes = new ArrayList<>();
    private final List<WsClient> clients = new ArrayList<>();
    private User provider;
    private User patient;
    private Consultation consultation;

    @BeforeEach
    void start() throws Exception {
        database = TestDatabases.postgres();
        // one token secret for every node, as docs/cluster.md says to deploy it
        Path secret = dir.resolve("jwt-hs256.key");
        java.nio.file.Files.writeString(secret, java.util.Base64.getEncoder().encodeToString(
                "a shared secret of more than 32 bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        redis = TestRedis.settings();
        TestRedis.connect(redis).close(); // fails under CI, skips elsewhere, when Redis is not there
        for (String name : List.of("node-a", "node-b", "node-c")) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("node.id", name);
            settings.put("cluster.enabled", "true");
            settings.put("cluster.heartbeatInterval", "200ms");
            settings.put("cluster.nodeTimeout", "1s");
            settings.put("cluster.cleanupGrace", "30s");
            settings.put("redis.uri", redis.uri());
            settings.put("redis.keyPrefix", redis.keyPrefix());
            settings.put("store.url", database.url());
            settings.put("store.username", database.username());
            settings.put("store.schema", database.schema().orElseThrow());
            settings.put("tokens.secretFile", secret.toString());
            settings.put("dataEncryption.key", SHARED_DATA_KEY);
            nodes.add(LoopbackServer.start(dir.resolve(name), settings));
        }
        var accounts = nodes.get(0).services().accounts();
        provider = accounts.add(new Login("drsmith"), "Dr Smith", Set.of(Role.PROVIDER), "a long password".toCharArray(),
                "test");
        patient = accounts.add(new Login("pat"), "Pat Doe", Set.of(Role.PATIENT), "a long password".toCharArray(), "test");
        consultation = nodes.get(0).signaling().consultations().create(new Actor(provider.id(), "Dr Smith",
                provider.roles()), Map.of(patient.id(), Role.PATIENT), Optional.empty(), Optional.empty(),
                ConsultationService.Origin.NONE).toCompletableFuture().join();
    }

    @AfterEach
    void stop() {
        clients.forEach(WsClient::close);
        for (TelesignalServer node : nodes) {
            node.stop();
        }
        try (var cleanup = TestRedis.connect(redis)) {
            TestRedis.deleteAll(cleanup);
        }
        TestDatabases.dropSchema(database);
    }

    private WsClient on(int node, User user) {
        // tokens from node A are good on every node
        WsClient client = WsClient.welcomed(nodes.get(node).httpAddress().getPort(), nodes.get(0).services().tokens()
                .issue(user.id(), user.roles(), Optional.empty()).jwt());
        clients.add(client);
        return client;
    }

    private static JsonNode request(WsClient client, com.fasterxml.jackson.databind.node.ObjectNode message) {
        return client.answer(client.request(message));
    }

    private JsonNode join(WsClient client) {
        JsonNode answer = request(client, WsClient.message("join").put("consultation", consultation.id().value()));
        assertThat(answer.path("type").asText()).as(answer.toString()).isEqualTo("result");
        return answer.path("body");
    }

    /** The provider on node A and the patient on node B, both joined, the patient admitted. */
    private WsClient[] providerOnAPatientOnBAdmitted() {
        WsClient doctor = on(0, provider);
        WsClient pat = on(1, patient);
        join(doctor);
        join(pat);
        request(doctor, WsClient.message("admit").put("consultation", consultation.id().value())
                .put("user", patient.id().value()));
        return new WsClient[] {doctor, pat};
    }

    private static String endpoint(WsClient client) {
        return client.seen.stream().filter(m -> m.path("type").asText().equals("welcome")).findFirst().orElseThrow()
                .path("endpoint").asText();
    }

    private JsonNode signal(WsClient from, String to, String kind, JsonNode payload) {
        var message = WsClient.message("signal").put("consultation", consultation.id().value()).put("to", to);
        message.set(kind, payload);
        JsonNode answer = request(from, message);
        assertThat(answer.path("type").asText()).as(answer.toString()).isEqualTo("result");
        return answer;
    }

    @Test
    void aConsultationRunsAcrossNodes() {
        WsClient doctor = on(0, provider);
        WsClient pat = on(1, patient);
        join(doctor);
        JsonNode waiting = join(pat);
        assertThat(waiting.path("participants").toString()).doesNotContain(patient.id().value());
        // the waiting room reaches the provider on node A from the patient's join on node B
        doctor.next(m -> m.path("type").asText().equals("waiting-room")
                && m.path("waiting").toString().contains(patient.id().value()));

        JsonNode admitted = request(doctor, WsClient.message("admit").put("consultation", consultation.id().value())
                .put("user", patient.id().value()));
        assertThat(admitted.path("type").asText()).as(admitted.toString()).isEqualTo("result");
        pat.next(m -> m.path("type").asText().equals("admission") && m.path("status").asText().equals("admitted"));

        // offer, answer and candidates, each way across the nodes
        String doctorEndpoint = endpoint(doctor);
        String patEndpoint = endpoint(pat);
        signal(pat, doctorEndpoint, "description", WsClient.JSON.createObjectNode().put("type", "offer").put("sdp", SDP));
        JsonNode offer = doctor.next("signal");
        assertThat(offer.path("fromEndpoint").asText()).isEqualTo(patEndpoint);
        assertThat(offer.path("description").path("sdp").asText()).isEqualTo(SDP);
        signal(doctor, patEndpoint, "description", WsClient.JSON.createObjectNode().put("type", "answer").put("sdp", SDP));
        assertThat(pat.next("signal").path("description").path("type").asText()).isEqualTo("answer");
        signal(pat, doctorEndpoint, "candidate", WsClient.JSON.createObjectNode()
                .put("candidate", "candidate:1 1 udp 2122260223 192.0.2.1 54321 typ host").put("sdpMid", "0"));
        assertThat(doctor.next("signal").path("candidate").path("candidate").asText()).startsWith("candidate:1");
        signal(doctor, patEndpoint, "candidate", WsClient.JSON.createObjectNode().put("candidate", ""));
        assertThat(pat.next("signal").path("candidate").path("candidate").asText()).isEmpty();

        // chat both ways
        request(pat, WsClient.message("chat").put("consultation", consultation.id().value()).put("text", "hello from B"));
        assertThat(doctor.next("chat").path("message").path("text").asText()).isEqualTo("hello from B");
        request(doctor, WsClient.message("chat").put("consultation", consultation.id().value()).put("text", "hello from A"));
        assertThat(pat.next("chat").path("message").path("text").asText()).isEqualTo("hello from A");

        // presence: the provider on A watches the patient on B
        var watch = WsClient.message("watch");
        watch.putArray("users").add(patient.id().value());
        assertThat(request(doctor, watch).path("body").path("presence").get(0).path("status").asText())
                .isEqualTo("available");
        request(pat, WsClient.message("presence").put("status", "busy").put("note", "one moment"));
        JsonNode busy = doctor.next(m -> m.path("type").asText().equals("presence") && m.path("status").asText().equals("busy"));
        assertThat(busy.path("note").asText()).isEqualTo("one moment");

        // hang-up
        signal(doctor, patEndpoint, "hangup", WsClient.JSON.createObjectNode().put("reason", "done"));
        assertThat(pat.next("signal").path("hangup").path("reason").asText()).isEqualTo("done");
        // one call record, offered on node B, answered and hung up on node A
        var records = nodes.get(2).services().store().callRecords().forConsultation(consultation.id());
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.state()).isEqualTo(io.telesignal.core.call.CallState.ENDED);
            assertThat(r.connectedAt()).isPresent();
            assertThat(r.caller().value()).isEqualTo(patEndpoint);
            assertThat(r.endReason()).contains("hangup");
        });
    }

    @Test
    void twoNodesAdmittingOnePatientAtOnceExactlyOneSucceeds() {
        WsClient doctorOnA = on(0, provider);
        WsClient doctorOnC = on(2, provider);
        WsClient pat = on(1, patient);
        join(doctorOnA);
        join(doctorOnC);
        join(pat);
        doctorOnC.next(m -> m.path("type").asText().equals("waiting-room")
                && m.path("waiting").toString().contains(patient.id().value()));
        var admit = WsClient.message("admit").put("consultation", consultation.id().value()).put("user", patient.id().value());
        String first = doctorOnA.request(admit.deepCopy());
        String second = doctorOnC.request(admit.deepCopy());
        List<String> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> outcomes.add(outcome(doctorOnA.answer(first)))),
                CompletableFuture.runAsync(() -> outcomes.add(outcome(doctorOnC.answer(second))))).join();
        assertThat(outcomes).containsExactlyInAnyOrder("result", "not_waiting");
        pat.next(m -> m.path("type").asText().equals("admission") && m.path("status").asText().equals("admitted"));
    }

    private static String outcome(JsonNode answer) {
        return answer.path("type").asText().equals("result") ? "result" : answer.path("code").asText();
    }

    @Test
    void signalsSentBackToBackReachThePeerOnAnotherNodeInTheOrderSent() {
        WsClient[] admitted = providerOnAPatientOnBAdmitted();
        WsClient doctor = admitted[0];
        WsClient pat = admitted[1];
        pat.next(m -> m.path("type").asText().equals("participant") && m.path("participants").size() == 2);
        // right after the admission, made on node A (node B's copy of the consultation is now behind), the patient's
        // browser on node B trickles its candidates as browsers do: all at once, none waiting for the one before
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            var message = WsClient.message("signal").put("consultation", consultation.id().value()).put("to",
                    endpoint(doctor));
            message.putObject("candidate").put("candidate", "candidate:" + i + " 1 udp 1 192.0.2.1 9 typ host")
                    .put("sdpMid", "0").put("sdpMLineIndex", 0);
            ids.add(pat.request(message));
        }
        for (String id : ids) {
            assertThat(pat.answer(id).path("type").asText()).isEqualTo("result");
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            String candidate = doctor.next("signal").path("candidate").path("candidate").asText();
            order.add(Integer.parseInt(candidate.substring("candidate:".length(), candidate.indexOf(' '))));
        }
        assertThat(order).isEqualTo(java.util.stream.IntStream.rangeClosed(1, 40).boxed().toList());
    }

    @Test
    void aClientOfAStoppingNodeResumesItsSessionOnAnotherWhichTakesItOver() throws Exception {
        WsClient[] admitted = providerOnAPatientOnBAdmitted();
        WsClient doctor = admitted[0];
        WsClient pat = admitted[1];
        JsonNode welcome = pat.seen.get(0);
        String patEndpoint = endpoint(pat);

        Thread stopping = new Thread(() -> nodes.get(1).stop(), "stopping node B");
        stopping.start();
        assertThat(pat.next("reconnect").path("reason").asText()).isEqualTo("node_draining");
        assertThat(pat.closed.join()).isEqualTo(1012);
        // a signal for the patient while no node holds the connection: kept in the session's stream
        var candidate = WsClient.JSON.createObjectNode().put("candidate", "candidate:1 1 udp 1 192.0.2.1 9 typ host")
                .put("sdpMid", "0").put("sdpMLineIndex", 0);
        signal(doctor, patEndpoint, "candidate", candidate);

        WsClient back = WsClient.connect(nodes.get(2).httpAddress().getPort());
        clients.add(back);
        var hello = WsClient.message("hello").put("token", nodes.get(0).services().tokens()
                .issue(patient.id(), patient.roles(), Optional.empty()).jwt());
        hello.putObject("resume").put("session", welcome.path("session").asText())
                .put("resumeToken", welcome.path("resumeToken").asText()).put("lastSeq", pat.lastSeq());
        back.send(hello.toString());
        JsonNode resumed = back.next("welcome");
        assertThat(resumed.path("resumed").asBoolean()).as(resumed.toString()).isTrue();
        assertThat(resumed.path("endpoint").asText()).isEqualTo(patEndpoint);
        assertThat(back.next("signal").path("candidate").path("candidate").asText()).startsWith("candidate:1 ");
        // node C holds the session now: the call goes on to the same endpoint, and back
        signal(doctor, patEndpoint, "candidate", candidate.put("candidate", "candidate:2 1 udp 1 192.0.2.1 9 typ host"));
        assertThat(back.next("signal").path("candidate").path("candidate").asText()).startsWith("candidate:2 ");
        signal(back, endpoint(doctor), "candidate", candidate.put("candidate", "candidate:3 1 udp 1 192.0.2.1 9 typ host"));
        assertThat(doctor.next("signal").path("candidate").path("candidate").asText()).startsWith("candidate:3 ");
        stopping.join(30_000);
        assertThat(stopping.isAlive()).isFalse();
        // node B stopped without taking the session out: the patient never went away
        request(back, WsClient.message("chat").put("consultation", consultation.id().value()).put("text", "still here"));
        assertThat(doctor.next("chat").path("message").path("text").asText()).isEqualTo("still here");
        assertThat(doctor.seen.stream().filter(m -> m.path("type").asText().equals("participant"))
                .noneMatch(m -> m.toString().contains("awaySince"))).as("the patient was never away").isTrue();
    }

    @Test
    void aNodeThatStopsLeavesItsClientsPlacesToBeTakenUpOnAnother() {
        WsClient[] admitted = providerOnAPatientOnBAdmitted();
        WsClient doctor = admitted[0];
        WsClient pat = admitted[1];
        String oldEndpoint = endpoint(pat);

        nodes.get(1).stop();
        // the node drains: its client is told to reconnect elsewhere, and its connection closed with 1012
        assertThat(pat.next("reconnect").path("reason").asText()).isEqualTo("node_draining");
        assertThat(pat.closed.join()).isEqualTo(1012);
        // the provider sees the patient away: no endpoint to call, their place kept
        JsonNode away = doctor.next(m -> m.path("type").asText().equals("participant")
                && m.path("participants").toString().contains("awaySince"));
        assertThat(away.path("participants").toString()).doesNotContain(oldEndpoint);

        // the patient's client reaches node C: a new session, straight back in, admitted
        WsClient back = on(2, patient);
        JsonNode view = join(back);
        assertThat(view.path("participants").toString()).contains(endpoint(back)).doesNotContain("awaySince");
        doctor.next(m -> m.path("type").asText().equals("participant")
                && m.path("participants").toString().contains(endpoint(back)));
        request(back, WsClient.message("chat").put("consultation", consultation.id().value()).put("text", "back"));
        assertThat(doctor.next("chat").path("message").path("text").asText()).isEqualTo("back");
    }

    /** A fourth node's settings: the cluster's Redis and database, and none of the secrets the nodes share. */
    private Map<String, String> sharedStateOnly(String name) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("node.id", name);
        settings.put("cluster.enabled", "true");
        settings.put("redis.uri", redis.uri());
        settings.put("redis.keyPrefix", redis.keyPrefix());
        settings.put("store.url", database.url());
        settings.put("store.username", database.username());
        settings.put("store.schema", database.schema().orElseThrow());
        return settings;
    }

    @Test
    void aNodeWithoutTheSharedDataEncryptionKeyRefusesToStartAndOneWithAnotherKeyToo() {
        Map<String, String> settings = sharedStateOnly("node-e");
        settings.put("tokens.secretFile", dir.resolve("jwt-hs256.key").toString());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoopbackServer.start(dir.resolve("node-e"), settings))
                .isInstanceOfSatisfying(io.telesignal.server.config.ConfigException.class, e ->
                        assertThat(e.key()).isEqualTo("dataEncryption.keyFile"));
        settings.put("dataEncryption.key", java.util.Base64.getEncoder().encodeToString(new byte[32]));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoopbackServer.start(dir.resolve("node-e"), settings))
                .isInstanceOfSatisfying(io.telesignal.store.StoreException.class, e ->
                        assertThat(e.code()).isEqualTo("store_keys"));
    }

    @Test
    void aNodeWithoutTheSharedTokenSecretRefusesToStart() {
        Map<String, String> settings = sharedStateOnly("node-d");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoopbackServer.start(dir.resolve("node-d"), settings))
                .isInstanceOfSatisfying(io.telesignal.server.config.ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("tokens.secretFile");
                    assertThat(e.getMessage()).contains("cluster mode needs one token secret shared by every node");
                });
    }

    @Test
    void aUserWhoComesBackDropsTheEndpointsADownNodeHeldInsteadOfLeavingThemToBeCalled() throws Exception {
        WsClient doctor = on(0, provider);
        join(doctor);
        // the patient was admitted from a session on node-x, which then died: its endpoint is still registered there
        // and listed in the consultation until node-x's cleanup, 30 s away
        io.telesignal.core.identity.EndpointId ghost = new io.telesignal.core.identity.EndpointId("websocket-ghost");
        try (var shared = io.telesignal.cluster.redis.TestRedis.connect(redis);
                var bus = new io.telesignal.cluster.redis.RedisBus(shared)) {
            new io.telesignal.cluster.redis.RedisNodeRegistry(shared).heartbeat(
                    new io.telesignal.core.identity.NodeId("node-x")).toCompletableFuture().join();
            new io.telesignal.cluster.redis.RedisEndpointRegistry(shared, bus).register(new io.telesignal.core.routing.Endpoint(
                    ghost, patient.id(), io.telesignal.core.identity.FrontDoor.WEBSOCKET,
                    new io.telesignal.core.identity.NodeId("node-x"), "127.0.0.1", java.time.Instant.now()))
                    .toCompletableFuture().join();
        }
        ConsultationService service = nodes.get(0).signaling().consultations();
        Actor pat = new Actor(patient.id(), "Pat Doe", patient.roles());
        service.join(pat, consultation.id(), ghost, Optional.empty(), ConsultationService.Origin.NONE)
                .toCompletableFuture().join();
        request(doctor, WsClient.message("admit").put("consultation", consultation.id().value())
                .put("user", patient.id().value()));
        assertThat(service.find(consultation.id()).toCompletableFuture().join().orElseThrow().endpoints()).contains(ghost);
        // node-x silent past cluster.nodeTimeout (1 s), as node-c sees it
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (!nodes.get(2).signaling().nodeDown(new io.telesignal.core.identity.NodeId("node-x"))) {
            assertThat(System.nanoTime()).as("node-x taken for down in time").isLessThan(deadline);
            Thread.sleep(50);
        }

        WsClient back = on(2, patient);
        JsonNode view = join(back);
        assertThat(view.path("participants").toString()).contains(endpoint(back)).doesNotContain(ghost.value());
        doctor.next(m -> m.path("type").asText().equals("participant")
                && m.path("participants").toString().contains(endpoint(back))
                && !m.path("participants").toString().contains(ghost.value()));
    }
}
