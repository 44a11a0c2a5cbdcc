package io.telesignal.it;

import static io.telesignal.it.WebApp.admitAndSeeEachOther;
import static io.telesignal.it.WebApp.calls;
import static io.telesignal.it.WebApp.chatShows;
import static io.telesignal.it.WebApp.providerStartsAndPatientWaits;
import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.cluster.redis.RedisSettings;
import io.telesignal.cluster.redis.TestRedis;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.testing.Ports;
import io.telesignal.server.testing.ServerProcess;
import io.telesignal.server.wiring.TelesignalServer;
import io.telesignal.store.JdbcSettings;
import io.telesignal.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test 3 of the high-availability issue in cluster mode: two nodes (processes) on a real Redis and PostgreSQL behind
 * Debian's HAProxy (PROXY protocol, health from /readyz); a provider and a patient in a video call in two Chromium
 * browsers, both on the first node, which is then killed with SIGKILL. Both pages recover without a reload on the
 * other node: the patient is back in the call, not the waiting room, video flows again, and the chat line sent just
 * before the kill shows exactly once.
 */
class ClusterFailoverBrowserIT {
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private JdbcSettings database;
    private RedisSettings redis;
    private final List<ServerProcess> nodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private Process haproxy;
    private String base;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Browser.available(), "no chromium");
        if (!Files.isExecutable(HAPROXY)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("haproxy is needed under CI (.ci/run installs it)");
            }
            System.err.println("!!! ClusterFailoverBrowserIT skipped: no haproxy !!!");
            Assumptions.abort("no haproxy");
        }
        database = TestDatabases.postgres();
        redis = TestRedis.settings();
        TestRedis.connect(redis).close();
        // the accounts, made with the server's own code in the database the nodes share
        TelesignalServer seed = LoopbackServer.start(dir.resolve("seed"), "store.url", database.url(), "store.username",
                database.username(), "store.schema", database.schema().orElseThrow());
        try {
            var accounts = seed.services().accounts();
            accounts.add(new Login("doc"), "Dr Doc", Set.of(Role.PROVIDER), "doc's long password".toCharArray(), "it");
            accounts.add(new Login("pat"), "Pat Patient", Set.of(Role.PATIENT), "pat's long password".toCharArray(), "it");
        } finally {
            seed.stop();
        }
        Path secret = Files.writeString(dir.resolve("jwt-hs256.key"), java.util.Base64.getEncoder().encodeToString(
                "one secret for every node, 32 bytes or more".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        for (String name : List.of("node-a", "node-b")) {
            int port = Ports.free();
            Map<String, String> env = new HashMap<>();
            env.put("TELESIGNAL_NODE_ID", name);
            env.put("TELESIGNAL_HTTP_HOST", "127.0.0.1");
            env.put("TELESIGNAL_HTTP_PORT", String.valueOf(port));
            env.put("TELESIGNAL_HTTP_TLS", "false");
            env.put("TELESIGNAL_HTTP_TRUSTED_PROXIES", "127.0.0.1");
            env.put("TELESIGNAL_HTTP_PROXY_PROTOCOL", "true");
            env.put("TELESIGNAL_CLUSTER_ENABLED", "true");
            env.put("TELESIGNAL_CLUSTER_HEARTBEAT_INTERVAL", "250ms");
            env.put("TELESIGNAL_CLUSTER_NODE_TIMEOUT", "1s");
            env.put("TELESIGNAL_CLUSTER_CLEANUP_GRACE", "2s");
            env.put("TELESIGNAL_REDIS_URI", redis.uri());
            env.put("TELESIGNAL_REDIS_KEY_PREFIX", redis.keyPrefix());
            env.put("TELESIGNAL_STORE_URL", database.url());
            env.put("TELESIGNAL_STORE_USERNAME", database.username());
            env.put("TELESIGNAL_STORE_SCHEMA", database.schema().orElseThrow());
            env.put("TELESIGNAL_TOKENS_SECRET_FILE", secret.toString());
            ServerProcess node = ServerProcess.start(env, "serve", "--data-dir", dir.resolve(name).toString());
            nodes.add(node);
            ports.add(port);
            node.awaitLine(line -> line.contains("event=server_started"), START);
        }
        int front = Ports.free();
        base = "http://127.0.0.1:" + front;
        // every connection to node-a while it is up (balance first), to node-b once node-a's /readyz stops answering
        Path config = Files.writeString(dir.resolve("haproxy.cfg"), String.join("\n",
                "global", "  maxconn 500",
                "defaults", "  mode tcp", "  timeout connect 2s", "  timeout client 120s", "  timeout server 120s",
                "  option redispatch", "  retries 3",
                "frontend clients", "  bind 127.0.0.1:" + front, "  default_backend nodes",
                "backend nodes", "  balance first", "  option httpchk GET /readyz", "  http-check expect status 200",
                "  default-server send-proxy-v2 check check-send-proxy inter 250ms fall 1 rise 2",
                "  server node-a 127.0.0.1:" + ports.get(0), "  server node-b 127.0.0.1:" + ports.get(1), ""));
        haproxy = new ProcessBuilder(HAPROXY.toString(), "-f", config.toString(), "-db").redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        Ports.awaitListening(haproxy, front, dir.resolve("haproxy.log"));
        Thread.sleep(1000); // health checks: both nodes up
    }

    @AfterEach
    void stop() throws Exception {
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor();
        }
        for (ServerProcess node : nodes) {
            node.close();
        }
        if (redis != null) {
            try (var cleanup = TestRedis.connect(redis)) {
                TestRedis.deleteAll(cleanup);
            }
        }
        if (database != null) {
            TestDatabases.dropSchema(database);
        }
    }

    private static long sessionsOpened(ServerProcess node) {
        return node.drainedLines().stream().filter(line -> line.contains("event=ws_session_opened")).count();
    }

    private static Object endpoint(Browser browser) {
        return browser.script("return telesignalApp.client.endpoint;");
    }

    private static long occurrences(Browser browser, String text) {
        return ((Number) browser.script("return [...document.querySelectorAll('#chat-log li')]"
                + ".filter(li => li.textContent.includes(arguments[0])).length;", text)).longValue();
    }

    @Test
    void theNodeHoldingACallIsKilledAndBothPagesRecoverOnTheOther() throws Exception {
        try (Browser provider = Browser.open(); Browser patient = Browser.open()) {
            providerStartsAndPatientWaits(provider, patient, base);
            admitAndSeeEachOther(provider, patient);
            Map<Browser, Object> before = Map.of(provider, endpoint(provider), patient, endpoint(patient));

            patient.type("#chat-text", "the last line before the node died");
            patient.click("#chat-form button[type=submit]");
            chatShows(provider, "Pat Patient: the last line before the node died", patient);

            assertThat(sessionsOpened(nodes.get(0))).as("both pages on node-a before it dies").isEqualTo(2);
            assertThat(sessionsOpened(nodes.get(1))).isZero();
            nodes.get(0).kill();
            Duration recovery = Duration.ofSeconds(90);
            try {
                // media is peer to peer: the old call may still decode frames, so what counts is a call to the other
                // page's new endpoint, connected and decoding
                for (Browser browser : new Browser[] {provider, patient}) {
                    browser.until(recovery, d -> !endpoint(browser).equals(before.get(browser)) ? Boolean.TRUE : null);
                }
                for (Browser[] pair : new Browser[][] {{provider, patient}, {patient, provider}}) {
                    Browser browser = pair[0];
                    Object peer = endpoint(pair[1]);
                    browser.until(recovery, d -> Boolean.TRUE.equals(browser.script("const f = document.querySelector("
                            + "'#videos figure[data-peer=\"' + arguments[0] + '\"]'); return !!f && f.dataset.connectionState"
                            + " === 'connected' && Number(f.dataset.framesDecoded || 0) > 0;", peer)) ? Boolean.TRUE : null);
                }
            } catch (org.openqa.selenium.TimeoutException e) {
                throw new AssertionError("the call did not come back on the other node; provider: " + calls(provider)
                        + "; patient: " + calls(patient), e);
            }
            assertThat(patient.find("#call").isDisplayed()).as("the patient is in the call, not the waiting room").isTrue();
            for (Browser browser : new Browser[] {provider, patient}) {
                assertThat(occurrences(browser, "the last line before the node died")).as("chat line once").isEqualTo(1L);
                // no call is left to an endpoint of the dead node
                browser.until(Duration.ofSeconds(30), d -> ((Number) browser.script(
                        "return document.querySelectorAll('#videos figure[data-peer]').length;")).intValue() == 1
                        ? Boolean.TRUE : null);
            }
            assertThat(sessionsOpened(nodes.get(1))).as("both pages on node-b after").isGreaterThanOrEqualTo(2);
            provider.type("#chat-text", "Still with you");
            provider.click("#chat-form button[type=submit]");
            chatShows(patient, "Dr Doc: Still with you", provider);
            patient.screenshot(Path.of("target", "screenshots", "patient-after-node-failover.png"));
        }
    }
}
