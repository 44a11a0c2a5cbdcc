package io.telesignal.server.testing;

import io.telesignal.cluster.redis.RedisSettings;
import io.telesignal.cluster.redis.TestRedis;
import io.telesignal.store.JdbcSettings;
import io.telesignal.store.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * A cluster as an operator runs it, for tests that kill nodes: node processes ({@link ServerProcess}) on a real Redis
 * (a key prefix of their own) and PostgreSQL (a schema of their own), sharing one token secret, behind Debian's
 * HAProxy (PROXY protocol v2, health from {@code /readyz} every 250 ms, a failed connection sent to another node).
 * Closing it stops everything and deletes the keys and the schema.
 */
public final class ClusterProcesses implements AutoCloseable {
    /** The data encryption key every node shares; a seeding server on the same database must use it too. */
    public static final String DATA_KEY = Base64.getEncoder().encodeToString(
            "thirty-two bytes of shared key!!".getBytes(StandardCharsets.US_ASCII));

    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");

    private final JdbcSettings database;
    private final RedisSettings redis;
    private final List<ServerProcess> nodes = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    private Process haproxy;
    private int front;

    private ClusterProcesses(JdbcSettings database, RedisSettings redis) {
        this.database = database;
        this.redis = redis;
    }

    /** Fails under CI, and skips loudly elsewhere, when Debian's haproxy is not installed. */
    public static void requireHaproxy(String test) {
        if (!Files.isExecutable(HAPROXY)) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("haproxy is needed under CI (.ci/run installs it)");
            }
            System.err.println("!!! " + test + " skipped: no haproxy !!!");
            Assumptions.abort("no haproxy");
        }
    }

    /**
     * Starts the nodes {@code names}, each with {@code env} on top of the cluster's settings, and HAProxy in front
     * with {@code balance} ({@code first}: every connection to the first node while it is up; {@code roundrobin}).
     */
    public static ClusterProcesses start(Path dir, List<String> names, String balance, Map<String, String> env)
            throws Exception {
        return start(dir, names, balance, env, name -> Map.of());
    }

    /** The same, with each node's own settings on top ({@code perNode} of its name: its SIP ports, say). */
    public static ClusterProcesses start(Path dir, List<String> names, String balance, Map<String, String> env,
            java.util.function.Function<String, Map<String, String>> perNode) throws Exception {
        ClusterProcesses cluster = new ClusterProcesses(TestDatabases.postgres(), TestRedis.settings());
        try {
            cluster.startNodes(dir, names, env, perNode);
            cluster.startProxy(dir, balance);
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    private void startNodes(Path dir, List<String> names, Map<String, String> extra,
            java.util.function.Function<String, Map<String, String>> perNode) throws Exception {
        TestRedis.connect(redis).close();
        Path secret = Files.writeString(dir.resolve("jwt-hs256.key"), Base64.getEncoder().encodeToString(
                "one secret for every node, 32 bytes or more".getBytes(StandardCharsets.US_ASCII)));
        for (String name : names) {
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
            env.put("TELESIGNAL_REDIS_URI", redis.uri());
            env.put("TELESIGNAL_REDIS_KEY_PREFIX", redis.keyPrefix());
            env.put("TELESIGNAL_STORE_URL", database.url());
            env.put("TELESIGNAL_STORE_USERNAME", database.username());
            env.put("TELESIGNAL_STORE_SCHEMA", database.schema().orElseThrow());
            env.put("TELESIGNAL_TOKENS_SECRET_FILE", secret.toString());
            env.put("TELESIGNAL_DATA_ENCRYPTION_KEY", DATA_KEY);
            env.putAll(extra);
            env.putAll(perNode.apply(name));
            ServerProcess node = ServerProcess.start(env, "serve", "--data-dir", dir.resolve(name).toString());
            nodes.add(node);
            ports.add(port);
            node.awaitLine(line -> line.contains("event=server_started"), Duration.ofSeconds(60));
        }
    }

    private void startProxy(Path dir, String balance) throws IOException, InterruptedException {
        front = Ports.free();
        List<String> config = new ArrayList<>(List.of("global", "  maxconn 1000",
                // a connection to a dead node is tried once more, half a second later, then sent to another
                "defaults", "  mode tcp", "  timeout connect 500ms", "  timeout client 120s", "  timeout server 120s",
                "  option redispatch", "  retries 2",
                "frontend clients", "  bind 127.0.0.1:" + front, "  default_backend nodes",
                "backend nodes", "  balance " + balance, "  option httpchk GET /readyz", "  http-check expect status 200",
                "  default-server send-proxy-v2 check check-send-proxy inter 250ms fall 1 rise 2"));
        for (int i = 0; i < nodes.size(); i++) {
            config.add("  server n" + i + " 127.0.0.1:" + ports.get(i));
        }
        config.add("");
        Path file = Files.writeString(dir.resolve("haproxy.cfg"), String.join("\n", config));
        haproxy = new ProcessBuilder(HAPROXY.toString(), "-f", file.toString(), "-db").redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        Ports.awaitListening(haproxy, front, dir.resolve("haproxy.log"));
        Thread.sleep(1000); // health checks: every node up
    }

    /**
     * Providers with a device password each (login to password), made with the server's own code in the shared
     * database by a short-lived server in {@code dir}.
     */
    public void seedDeviceUsers(Path dir, Map<String, String> passwords) {
        var seed = LoopbackServer.start(dir, "store.url", database.url(), "store.username", database.username(),
                "store.schema", database.schema().orElseThrow(), "dataEncryption.key", DATA_KEY);
        try {
            var accounts = seed.services().accounts();
            passwords.forEach((login, password) -> seed.services().devicePasswords().create(
                    accounts.addWithoutPassword(new io.telesignal.core.identity.Login(login), login,
                            java.util.Set.of(io.telesignal.core.identity.Role.PROVIDER), "it"),
                    "device", java.util.Optional.of(password.toCharArray()), "it"));
        } finally {
            seed.stop();
        }
    }

    /** The shared database, to seed accounts with the server's own code. */
    public JdbcSettings database() {
        return database;
    }

    public RedisSettings redis() {
        return redis;
    }

    public ServerProcess node(int index) {
        return nodes.get(index);
    }

    /** The load balancer's port on 127.0.0.1. */
    public int front() {
        return front;
    }

    @Override
    public void close() {
        try {
            if (haproxy != null) {
                haproxy.destroy();
                haproxy.waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        nodes.forEach(ServerProcess::close);
        try (var cleanup = TestRedis.connect(redis)) {
            TestRedis.deleteAll(cleanup);
        }
        TestDatabases.dropSchema(database);
    }
}
