package io.telesignal.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.server.testing.ClusterProcesses;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test 2 of the high-availability issue: two nodes (processes) on a real Redis and PostgreSQL behind Debian's HAProxy
 * (round robin, so each holds half the sessions). Pairs of a provider and a patient, each in its consultation, relay
 * numbered candidates to each other in a closed loop, four in flight each; mid-way the first node is killed with
 * SIGKILL. Every client whose connection died resumes its session on the survivor (none starts a new one), every
 * candidate reaches its peer exactly once, and the dead node's endpoints are gone from the registry after the cleanup grace, the resumed ones
 * registered under the survivor.
 */
class NodeLossIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAIRS = 20;
    private static final int SIGNALS = 150;
    private static final int WINDOW = 4;

    @TempDir
    Path dir;
    private ClusterProcesses cluster;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
    private final List<ResumingClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ClusterProcesses.requireHaproxy("NodeLossIT");
        // every client comes from the loopback address, and sends its signals as fast as they are answered: the rate
        // limits (per address, per connection: 50/s with a burst of 100) are not what this test is about
        cluster = ClusterProcesses.start(dir, List.of("node-a", "node-b"), "roundrobin", Map.of(
                "TELESIGNAL_CLUSTER_CLEANUP_GRACE", "10s",
                "TELESIGNAL_SIGNALING_RATE_LIMIT_ADDRESS_PER_SECOND", "1000000",
                "TELESIGNAL_SIGNALING_RATE_LIMIT_ADDRESS_BURST", "10000000",
                "TELESIGNAL_SIGNALING_RATE_LIMIT_CONNECTION_PER_SECOND", "100000",
                "TELESIGNAL_SIGNALING_RATE_LIMIT_CONNECTION_BURST", "1000000"));
    }

    @AfterEach
    void stop() {
        clients.forEach(ResumingClient::stop);
        timer.shutdownNow();
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The accounts and consultations, made with the server's own code in the database the nodes share. */
    private List<String[]> seed() {
        List<String[]> pairs = new ArrayList<>();
        TelesignalServer seed = LoopbackServer.start(dir.resolve("seed"), "store.url", cluster.database().url(),
                "store.username", cluster.database().username(), "store.schema", cluster.database().schema().orElseThrow(),
                "dataEncryption.key", ClusterProcesses.DATA_KEY);
        try {
            var accounts = seed.services().accounts();
            for (int i = 0; i < PAIRS; i++) {
                User doc = accounts.add(new Login("doc" + i), "Doc " + i, Set.of(Role.PROVIDER),
                        "a long password".toCharArray(), "it");
                User pat = accounts.add(new Login("pat" + i), "Pat " + i, Set.of(Role.PATIENT),
                        "a long password".toCharArray(), "it");
                var c = seed.signaling().consultations().create(new Actor(doc.id(), "Doc " + i, doc.roles()),
                        Map.of(pat.id(), Role.PATIENT), Optional.empty(), Optional.empty(),
                        ConsultationService.Origin.NONE).toCompletableFuture().join();
                pairs.add(new String[] {"doc" + i, "pat" + i, c.id().value(), pat.id().value()});
            }
        } finally {
            seed.stop();
        }
        return pairs;
    }

    private String login(String login) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.front()
                + "/api/v1/login")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers
                        .ofString("{\"login\":\"" + login + "\",\"password\":\"a long password\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("token").asText();
    }

    private ResumingClient client(String login) throws Exception {
        ResumingClient client = new ResumingClient(http, URI.create("ws://127.0.0.1:" + cluster.front() + "/ws"), login(login),
                timer);
        clients.add(client);
        client.connect().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return client;
    }

    private static JsonNode done(java.util.concurrent.CompletionStage<JsonNode> answer) throws Exception {
        JsonNode m = answer.toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(m.path("type").asText()).as(m.toString()).isEqualTo("result");
        return m;
    }

    /** Sends {@code SIGNALS} numbered candidates to {@code to}, {@code WINDOW} at a time; counts them as answered. */
    private CompletableFuture<Void> relay(ResumingClient from, String consultation, String to, AtomicLong sent,
            List<String> failures) {
        CompletableFuture<Void> all = new CompletableFuture<>();
        AtomicLong next = new AtomicLong(1);
        AtomicLong finished = new AtomicLong();
        Runnable[] one = new Runnable[1];
        one[0] = () -> {
            long n = next.getAndIncrement();
            if (n > SIGNALS) {
                return;
            }
            var signal = ResumingClient.message("signal").put("consultation", consultation).put("to", to);
            signal.putObject("candidate").put("candidate", "candidate:" + n + " 1 udp 2122260223 192.0.2.1 "
                    + (49152 + n) + " typ host").put("sdpMid", "0").put("sdpMLineIndex", 0);
            from.request(signal).whenComplete((answer, failure) -> {
                if (failure != null || !answer.path("type").asText().equals("result")) {
                    synchronized (failures) {
                        failures.add(failure != null ? failure.toString() : answer.toString());
                    }
                }
                sent.incrementAndGet();
                if (finished.incrementAndGet() == SIGNALS) {
                    all.complete(null);
                }
                one[0].run();
            });
        };
        for (int i = 0; i < WINDOW; i++) {
            one[0].run();
        }
        return all;
    }

    @Test
    void theNodeHoldingHalfTheSessionsIsKilledUnderLoadAndNothingIsLostOrDuplicated() throws Exception {
        List<String[]> pairs = seed();
        List<ResumingClient[]> connected = new ArrayList<>();
        List<String[]> endpoints = new ArrayList<>();
        for (String[] pair : pairs) {
            ResumingClient doc = client(pair[0]);
            ResumingClient pat = client(pair[1]);
            done(doc.request(ResumingClient.message("join").put("consultation", pair[2])));
            done(pat.request(ResumingClient.message("join").put("consultation", pair[2])));
            done(doc.request(ResumingClient.message("admit").put("consultation", pair[2]).put("user", pair[3])));
            connected.add(new ResumingClient[] {doc, pat});
            endpoints.add(new String[] {doc.endpoint, pat.endpoint});
        }
        long onA = cluster.node(0).drainedLines().stream().filter(l -> l.contains("event=ws_session_opened")).count();
        assertThat(onA).as("round robin: half the sessions on node-a").isEqualTo(PAIRS);
        var acks = timer.scheduleWithFixedDelay(() -> clients.forEach(ResumingClient::ack), 100, 100,
                TimeUnit.MILLISECONDS);

        AtomicLong sent = new AtomicLong();
        List<String> failures = new ArrayList<>();
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            ResumingClient[] pair = connected.get(i);
            loops.add(relay(pair[0], pairs.get(i)[2], endpoints.get(i)[1], sent, failures));
            loops.add(relay(pair[1], pairs.get(i)[2], endpoints.get(i)[0], sent, failures));
        }
        long total = 2L * PAIRS * SIGNALS;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sent.get() < total / 3 && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        long atKill = sent.get();
        cluster.node(0).kill();
        long killedAt = System.nanoTime();
        try {
            CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            StringBuilder state = new StringBuilder("not every signal was answered; ");
            for (ResumingClient client : clients) {
                state.append(client.describe()).append("; ");
            }
            Files.write(Path.of("target", "NodeLossIT-node-b.log"), cluster.node(1).drainedLines());
            throw new AssertionError(state.toString(), e);
        }
        System.out.printf("NodeLossIT: %d signals answered before the SIGKILL, %d in all, %.1f s after it%n", atKill,
                sent.get(), (System.nanoTime() - killedAt) / 1e9);
        // everything sent has arrived once: give the last deliveries a moment to be written
        long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < settle && connected.stream().anyMatch(p -> p[0].received().size() < SIGNALS
                || p[1].received().size() < SIGNALS)) {
            Thread.sleep(20);
        }
        acks.cancel(false);

        assertThat(failures).as("every signal answered with a result").isEmpty();
        List<Long> expected = LongStream.rangeClosed(1, SIGNALS).boxed().toList();
        int resumed = 0;
        for (ResumingClient[] pair : connected) {
            for (ResumingClient client : pair) {
                assertThat(client.refusals).as("no resume refused").isEmpty();
                // requests in flight together are independent: exactly once is the promise, not their order
                assertThat(client.received()).as("every candidate once").hasSize(SIGNALS)
                        .containsExactlyInAnyOrderElementsOf(expected);
                resumed += client.resumes > 0 ? 1 : 0;
            }
        }
        assertThat(resumed).as("the clients of node-a resumed their sessions on node-b").isGreaterThanOrEqualTo(PAIRS);
        assertThat(cluster.node(1).drainedLines().stream().filter(l -> l.contains("event=ws_session_opened")).count())
                .as("no new session on node-b").isEqualTo(PAIRS);

        // the dead node's endpoints are cleaned up after the grace; the resumed ones are node-b's
        RedisClient redisClient = RedisClient.create(cluster.redis().uri());
        try (StatefulRedisConnection<String, String> connection = redisClient.connect()) {
            var commands = connection.sync();
            long cleaned = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (commands.scard(cluster.redis().keyPrefix() + "node-eps:node-a") > 0 && System.nanoTime() < cleaned) {
                Thread.sleep(100);
            }
            assertThat(commands.smembers(cluster.redis().keyPrefix() + "node-eps:node-a")).isEmpty();
            for (String[] pair : endpoints) {
                for (String endpoint : pair) {
                    assertThat(commands.hget(cluster.redis().keyPrefix() + "ep:" + endpoint, "node")).as(endpoint)
                            .isEqualTo("node-b");
                }
            }
        } finally {
            redisClient.shutdown();
        }
    }
}
