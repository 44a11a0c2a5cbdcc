package io.telesignal.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.server.signaling.WsClient;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.testing.Ports;
import io.telesignal.server.wiring.TelesignalServer;
import io.telesignal.store.JdbcSettings;
import io.telesignal.store.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis is stopped and started again (empty, as a restart without persistence leaves it) under two running nodes: while
 * it is away the nodes say so (readiness, clear errors), nothing crashes, and when it is back they recover by
 * themselves, without a restart: they register their endpoints and presence again, and a consultation goes on.
 */
class RedisRestartTest {
    /** The data encryption key every node shares, as docs/cluster.md says to deploy it. */
    static final String SHARED_DATA_KEY = java.util.Base64.getEncoder().encodeToString(
            "thirty-two bytes of shared key!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private static final Path REDIS = Path.of("/usr/bin/redis-server");

    @TempDir
    Path dir;
    private JdbcSettings database;
    private int redisPort;
    private Process redis;
    private final List<TelesignalServer> nodes = new ArrayList<>();
    private final List<WsClient> clients = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        if (!Files.isExecutable(REDIS)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("redis-server is needed for the Redis restart test under CI");
            }
            System.err.println("!!! RedisRestartTest skipped: no redis-server !!!");
            Assumptions.abort("no redis-server");
        }
        redisPort = Ports.free();
        startRedis();
        database = TestDatabases.postgres();
        Path secret = Files.writeString(dir.resolve("jwt-hs256.key"), java.util.Base64.getEncoder().encodeToString(
                "a shared secret of more than 32 bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        for (String name : List.of("node-a", "node-b")) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("node.id", name);
            settings.put("cluster.enabled", "true");
            settings.put("cluster.heartbeatInterval", "200ms");
            settings.put("cluster.nodeTimeout", "1s");
            settings.put("redis.uri", "redis://127.0.0.1:" + redisPort + "/0");
            settings.put("redis.timeout", "500ms");
            settings.put("store.url", database.url());
            settings.put("store.username", database.username());
            settings.put("store.schema", database.schema().orElseThrow());
            settings.put("tokens.secretFile", secret.toString());
            settings.put("dataEncryption.key", SHARED_DATA_KEY);
            nodes.add(LoopbackServer.start(dir.resolve(name), settings));
        }
    }

    private void startRedis() throws Exception {
        redis = new ProcessBuilder(REDIS.toString(), "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        Ports.awaitListening(redis, redisPort, dir.resolve("redis.log"));
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(WsClient::close);
        nodes.forEach(TelesignalServer::stop);
        if (redis != null) {
            redis.destroyForcibly().waitFor();
        }
        if (database != null) {
            TestDatabases.dropSchema(database);
        }
    }

    private WsClient on(int node, User user) {
        // tokens from node A are good on every node
        WsClient client = WsClient.welcomed(nodes.get(node).httpAddress().getPort(), nodes.get(0).services().tokens()
                .issue(user.id(), user.roles(), Optional.empty()).jwt());
        clients.add(client);
        return client;
    }

    private String readiness(int node) throws Exception {
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(LoopbackServer.base(nodes.get(node))
                + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
        return ready.statusCode() + " " + ready.body();
    }

    private static void eventually(Duration within, ThrowingCheck check) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private interface ThrowingCheck {
        void run() throws Exception;
    }

    @Test
    void theNodesSayRedisIsAwayAndRecoverWithoutARestartWhenItIsBack() throws Exception {
        var accounts = nodes.get(0).services().accounts();
        User doctor = accounts.add(new Login("doc"), "Doc", Set.of(Role.PROVIDER), "a long password".toCharArray(), "t");
        User patient = accounts.add(new Login("pat"), "Pat", Set.of(Role.PATIENT), "a long password".toCharArray(), "t");
        Consultation c = nodes.get(0).signaling().consultations().create(new Actor(doctor.id(), "Doc", doctor.roles()),
                Map.of(patient.id(), Role.PATIENT), Optional.empty(), Optional.empty(), ConsultationService.Origin.NONE)
                .toCompletableFuture().join();
        WsClient doc = on(0, doctor);
        WsClient pat = on(1, patient);
        for (WsClient client : List.of(doc, pat)) {
            client.answer(client.request(WsClient.message("join").put("consultation", c.id().value())));
        }
        doc.answer(doc.request(WsClient.message("admit").put("consultation", c.id().value()).put("user",
                patient.id().value())));
        assertThat(readiness(0)).startsWith("200").contains("\"cluster\":\"ok\"");
        var watch = WsClient.message("watch");
        watch.putArray("users").add(patient.id().value());
        doc.answer(doc.request(watch));
        pat.answer(pat.request(WsClient.message("presence").put("status", "busy")));
        doc.next(m -> m.path("type").asText().equals("presence") && m.path("status").asText().equals("busy"));

        redis.destroyForcibly().waitFor();
        eventually(Duration.ofSeconds(10), () -> assertThat(readiness(0)).startsWith("503")
                .contains("\"cluster\":\"unavailable\""));
        // a request that needs Redis gets a clear error, at once; the connection stays
        JsonNode refused = pat.answer(pat.request(WsClient.message("chat").put("consultation", c.id().value())
                .put("text", "while Redis is away")));
        assertThat(refused.path("type").asText()).isEqualTo("error");
        assertThat(refused.path("code").asText()).isEqualTo("cluster_unavailable");
        // a resume that needs the shared sessions (this node does not hold the session) is refused the same way, and
        // the connection closed with 1013: try again later; the session itself is untouched
        JsonNode welcome = pat.seen.stream().filter(m -> m.path("type").asText().equals("welcome")).findFirst()
                .orElseThrow();
        WsClient elsewhere = WsClient.connect(nodes.get(0).httpAddress().getPort());
        clients.add(elsewhere);
        var hello = WsClient.message("hello").put("token", nodes.get(0).services().tokens()
                .issue(patient.id(), patient.roles(), Optional.empty()).jwt());
        hello.putObject("resume").put("session", welcome.path("session").asText())
                .put("resumeToken", welcome.path("resumeToken").asText()).put("lastSeq", 0);
        elsewhere.send(hello.toString());
        assertThat(elsewhere.next("error").path("code").asText()).isEqualTo("cluster_unavailable");
        assertThat(elsewhere.closed.join()).isEqualTo(1013);

        startRedis(); // empty: everything live is gone
        eventually(Duration.ofSeconds(15), () -> assertThat(readiness(0)).startsWith("200"));
        eventually(Duration.ofSeconds(15), () -> assertThat(readiness(1)).startsWith("200"));
        // the endpoints were registered again: chat crosses the nodes as before
        eventually(Duration.ofSeconds(10), () -> {
            JsonNode sent = pat.answer(pat.request(WsClient.message("chat").put("consultation", c.id().value())
                    .put("text", "Redis is back")));
            assertThat(sent.path("type").asText()).as(sent.toString()).isEqualTo("result");
        });
        assertThat(doc.next(m -> m.path("type").asText().equals("chat")
                && m.path("message").path("text").asText().equals("Redis is back"))).isNotNull();
        // presence goes on: the versions of an empty Redis start above those the watcher saw before
        pat.answer(pat.request(WsClient.message("presence").put("status", "dnd").put("note", "with a patient")));
        assertThat(doc.next(m -> m.path("type").asText().equals("presence") && m.path("status").asText().equals("dnd"))
                .path("note").asText()).isEqualTo("with a patient");
    }
}
