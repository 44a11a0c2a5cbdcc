package io.telesignal.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server under test: the packaged {@code telesignal.jar} in a child JVM with its own heap limit, on a fresh
 * data directory (embedded H2) and a plain-HTTP loopback listener. The limits that would refuse a load coming
 * from one address are raised in its configuration; everything else keeps its documented default.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern API_KEY = Pattern.compile("(tsk_[A-Za-z0-9_-]+)");

    private final Path dataDir;
    private final Process process;
    private final int port;
    private final int managementPort;
    private final String apiKey;
    private final HttpClient http = Loopback.http(Duration.ofSeconds(5));

    private final boolean tls;

    private ServerProcess(Path dataDir, Process process, int port, int managementPort, String apiKey, boolean tls) {
        this.tls = tls;
        this.dataDir = dataDir;
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.apiKey = apiKey;
    }

    /** Writes the configuration, creates an API key with the CLI, starts {@code serve} and waits for readiness. */
    /**
     * Starts the server; with {@code cpus} (a Linux CPU list such as {@code 0} or {@code 0-1}) it runs only on those,
     * through util-linux's {@code taskset}, and its JVM sizes its threads for them.
     */
    /**
     * A node of a cluster (or a single node on PostgreSQL, with no Redis): where the shared state is.
     *
     * @param redisUri empty for a single node
     */
    public record Shared(String nodeId, String redisUri, String keyPrefix, String postgresUrl, String postgresUser,
            String schema, Path tokenSecret, Path dataKek) {}

    static ServerProcess start(Path jar, Path dataDir, String heap, int sessions, List<String> jvmOptions, String cpus)
            throws IOException, InterruptedException {
        return start(jar, dataDir, heap, sessions, jvmOptions, cpus, null, true);
    }

    /** With {@code shared}, a node on PostgreSQL (and Redis); {@code apiKey}: create the bench's API key first. */
    static ServerProcess start(Path jar, Path dataDir, String heap, int sessions, List<String> jvmOptions, String cpus,
            Shared shared, boolean apiKey) throws IOException, InterruptedException {
        return start(jar, dataDir, heap, sessions, jvmOptions, cpus, shared, apiKey, "");
    }

    /** As above, with {@code moreConfig} (YAML, whole top-level sections) added to the configuration. */
    public static ServerProcess start(Path jar, Path dataDir, String heap, int sessions, List<String> jvmOptions, String cpus,
            Shared shared, boolean apiKey, String moreConfig) throws IOException, InterruptedException {
        return start(jar, dataDir, heap, sessions, jvmOptions, cpus, shared, apiKey, moreConfig, null, null);
    }

    /** As above; with a certificate and its key (PEM), the listener is HTTPS and WSS with them. */
    public static ServerProcess start(Path jar, Path dataDir, String heap, int sessions, List<String> jvmOptions, String cpus,
            Shared shared, boolean apiKey, String moreConfig, Path certificate, Path privateKey)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no server jar at " + jar + " (build it: ./mvnw -B -q package -DskipTests)");
        }
        Files.createDirectories(dataDir);
        int port = freePort();
        int managementPort = freePort();
        Path config = dataDir.resolve("bench.yaml");
        boolean tls = certificate != null;
        Files.writeString(config, configuration(dataDir, port, managementPort, sessions, tls) + shared(shared) + moreConfig
                + (tls ? "tls:\n  certificate: \"" + certificate.toAbsolutePath() + "\"\n  privateKey: \""
                        + privateKey.toAbsolutePath() + "\"\n" : ""));
        String key = apiKey ? createApiKey(jar, dataDir, config) : null;

        List<String> command = new ArrayList<>();
        if (cpus != null) {
            command.addAll(List.of("taskset", "-c", cpus)); // it execs the JVM: the pid stays the server's
        }
        command.addAll(List.of(java(), "-Xms" + heap, "-Xmx" + heap));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "serve", "--config", config.toString()));
        Process server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("server.log").toFile()).start();
        ServerProcess started = new ServerProcess(dataDir, server, port, managementPort, key, tls);
        started.awaitReady(Duration.ofSeconds(60));
        return started;
    }

    private static String shared(Shared shared) {
        if (shared == null) {
            return "";
        }
        List<String> lines = new ArrayList<>(List.of(
                "node:", "  id: " + shared.nodeId(),
                "store:", "  url: \"" + shared.postgresUrl() + "\"", "  username: " + shared.postgresUser(),
                "  schema: " + shared.schema(),
                "tokens:", "  secretFile: \"" + shared.tokenSecret().toAbsolutePath() + "\"",
                "dataEncryption:", "  keyFile: \"" + shared.dataKek().toAbsolutePath() + "\""));
        if (!shared.redisUri().isEmpty()) {
            lines.addAll(List.of("cluster:", "  enabled: true", "redis:", "  uri: \"" + shared.redisUri() + "\"",
                    "  keyPrefix: \"" + shared.keyPrefix() + "\""));
        }
        return String.join("\n", lines) + "\n";
    }

    private static String createApiKey(Path jar, Path dataDir, Path config) throws IOException, InterruptedException {
        Path keyOut = dataDir.resolve("apikey.out");
        Process cli = new ProcessBuilder(java(), "-jar", jar.toString(), "apikey", "create", "--name", "bench",
                "--config", config.toString())
                .redirectOutput(keyOut.toFile()).redirectError(dataDir.resolve("apikey.err").toFile()).start();
        if (!cli.waitFor(60, TimeUnit.SECONDS) || cli.exitValue() != 0) {
            throw new IllegalStateException("apikey create failed: " + Files.readString(dataDir.resolve("apikey.err")));
        }
        Matcher key = API_KEY.matcher(Files.readString(keyOut));
        if (!key.find()) {
            throw new IllegalStateException("apikey create printed no key");
        }
        return key.group(1);
    }

    private static String configuration(Path dataDir, int port, int managementPort, int sessions, boolean tls) {
        int connections = sessions + 1000;
        return String.join("\n",
                "dataDir: \"" + dataDir.toAbsolutePath() + "\"",
                "management:",
                "  port: " + managementPort,
                "http:",
                "  host: 127.0.0.1",
                "  port: " + port,
                "  tls: " + tls,
                // every bench connection comes from 127.0.0.1
                "  maxConnections: " + connections,
                "  maxConnectionsPerIp: " + connections,
                "signaling:",
                "  maxSessionsPerUser: 2",
                // a closed-loop phase over few sessions sends far more per connection than a browser would
                "  rateLimit:",
                "    connectionPerSecond: 100000",
                "    connectionBurst: 100000",
                "    addressPerSecond: 1000000",
                "    addressBurst: 1000000",
                "logging:",
                "  level: warn",
                "");
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + log());
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(base() + "/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server was not ready within " + timeout + "; see " + log());
    }

    public String base() {
        return (tls ? "https" : "http") + "://127.0.0.1:" + port;
    }

    URI webSocket() {
        return URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + port + "/ws");
    }

    public String apiKey() {
        return apiKey;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return dataDir.resolve("server.log");
    }

    /** CPU time (user and system) the server has used so far. */
    public ProcessStats.Cpu cpu() {
        return ProcessStats.cpu(process.pid());
    }

    /** Resident set size of the server now, from /proc. */
    public long rssBytes() {
        return ProcessStats.rss(process.pid());
    }

    /** Peak resident set size of the server, from /proc. */
    long peakRssBytes() {
        return ProcessStats.peakRss(process.pid());
    }

    /** Live heap: a full GC through jcmd, then the heap in use as the server's own /metrics reports it. */
    public long liveHeapBytes() throws IOException, InterruptedException {
        Process gc = new ProcessBuilder(jcmd(), Long.toString(process.pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        gc.waitFor(60, TimeUnit.SECONDS);
        return heapUsedBytes();
    }

    /** The live objects by class ({@code jcmd GC.class_histogram}, which collects first), written to {@code to}. */
    public void classHistogram(Path to) throws IOException, InterruptedException {
        Process histogram = new ProcessBuilder(jcmd(), Long.toString(process.pid()), "GC.class_histogram")
                .redirectErrorStream(true).redirectOutput(to.toFile()).start();
        histogram.waitFor(60, TimeUnit.SECONDS);
    }

    long heapUsedBytes() throws IOException, InterruptedException {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
        double sum = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (long) sum;
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, as a machine that dies: nothing is flushed, nobody is told. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String jcmd() {
        Path beside = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return Files.isExecutable(beside) ? beside.toString() : "jcmd";
    }

    /** A loopback port nobody listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
