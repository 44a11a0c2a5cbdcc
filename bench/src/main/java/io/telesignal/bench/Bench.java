package io.telesignal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar bench/target/telesignal-bench.jar}: starts the packaged server with a heap limit, provisions
 * users and consultations over its REST API, opens the sessions, and measures relayed call signaling in three
 * phases: warm-up, a fixed rate (latency), and as fast as a per-pair window allows (throughput). Exit status 0
 * when nothing was lost, duplicated, reordered or refused; 1 otherwise.
 */
@Command(name = "telesignal-bench", mixinStandardHelpOptions = true,
        description = "Relay load against a real telesignal server (see docs/performance.md).")
public final class Bench implements Callable<Integer> {
    @Option(names = "--sessions", description = "WebSocket sessions, two per consultation (default ${DEFAULT-VALUE})")
    int sessions = 19_800;
    @Option(names = "--server-jar", description = "the server to start (default ${DEFAULT-VALUE})")
    Path serverJar = Path.of("server/target/telesignal.jar");
    @Option(names = "--heap", description = "the server's -Xms and -Xmx (default ${DEFAULT-VALUE})")
    String heap = "1g";
    @Option(names = "--server-jvm-option", description = "more JVM options for the server")
    List<String> serverJvmOptions = new ArrayList<>();
    @Option(names = "--client-threads", description = "the generator's event loops (default ${DEFAULT-VALUE})")
    int clientThreads = 2;
    @Option(names = "--warmup", description = "warm-up at --rate, not measured (default ${DEFAULT-VALUE})")
    Duration warmup = Duration.ofSeconds(10);
    @Option(names = "--rate", description = "signals per second of the latency phase (default ${DEFAULT-VALUE})")
    double rate = 10_000;
    @Option(names = "--duration", description = "length of the latency phase (default ${DEFAULT-VALUE})")
    Duration duration = Duration.ofSeconds(30);
    @Option(names = "--window", description = "signals on their way per pair in the throughput phase (default ${DEFAULT-VALUE})")
    int window = 4;
    @Option(names = "--throughput-duration", description = "length of the throughput phase; 0s skips it (default ${DEFAULT-VALUE})")
    Duration throughputDuration = Duration.ofSeconds(30);
    @Option(names = "--ack-delay", description = "a session acknowledges what arrived at most this long after,"
            + " on its own when it sent nothing to carry it (default ${DEFAULT-VALUE}, the SDK's)")
    Duration ackDelay = Duration.ofMillis(200);
    @Option(names = "--server-cpus", description = "run the server only on these CPUs (a Linux CPU list: 0, 0-1;"
            + " needs taskset); start the bench itself under taskset on the others to keep them apart")
    String serverCpus;
    @Option(names = "--nodes", description = "servers in cluster mode sharing Redis and PostgreSQL (default"
            + " ${DEFAULT-VALUE}: one server on its own); each pair's two sessions on different nodes")
    int nodes = 1;
    @Option(names = "--postgres-url", description = "PostgreSQL for the servers (needed with --nodes above 1; with one"
            + " node it replaces the embedded H2, for a baseline on the same store)")
    String postgresUrl;
    @Option(names = "--postgres-user", description = "(default ${DEFAULT-VALUE})")
    String postgresUser = "postgres";
    @Option(names = "--redis-uri", description = "Redis for cluster mode (default ${DEFAULT-VALUE})")
    String redisUri = "redis://127.0.0.1:6379/0";
    @Option(names = "--failover", description = "instead of the latency and throughput phases: at --rate, kill the"
            + " first node with SIGKILL a third into --duration; its sessions reconnect to the next node and resume"
            + " (needs --nodes 2 or more)")
    boolean failover;
    @Option(names = "--connects-in-flight", description = "sessions being set up at once (default ${DEFAULT-VALUE})")
    int connectsInFlight = 256;
    @Option(names = "--work-dir", description = "the server's data directory (default: a new temporary one)")
    Path workDir;
    @Option(names = "--signal-acks", description = "each: a result per signal; cumulative: signaled for several, as the"
            + " SDK asks (default ${DEFAULT-VALUE})")
    String signalAcks = "cumulative";
    @Option(names = "--report", description = "also write the figures as JSON here")
    Path report;

    private final PrintStream out = System.out;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new Bench()).registerConverter(Duration.class, Bench::duration);
    }

    static Duration duration(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(text);
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("durations look like 500ms, 30s, 2m");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    @Override
    public Integer call() throws Exception {
        if (!signalAcks.equals("each") && !signalAcks.equals("cumulative")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--signal-acks is each or cumulative");
        }
        if (sessions < 2 || sessions % 2 != 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--sessions must be even and at least 2");
        }
        if (ackDelay.toMillis() < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--ack-delay must be at least 1ms");
        }
        if (serverCpus != null && !serverCpus.matches("[0-9]+([-,][0-9]+)*")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--server-cpus is a CPU list such as 0 or 0-1");
        }
        if (nodes < 1 || nodes > 8) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--nodes must be 1 to 8");
        }
        if (connectsInFlight < 2) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--connects-in-flight must be at least 2");
        }
        if (failover && nodes < 2) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--failover needs --nodes 2 or more");
        }
        if (nodes > 1 && postgresUrl == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--nodes above 1 needs --postgres-url");
        }
        int pairs = sessions / 2;
        Path dataDir = workDir != null ? workDir : Files.createTempDirectory("telesignal-bench");
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("sessions", sessions);
        figures.put("serverHeap", heap);
        figures.put("cores", Runtime.getRuntime().availableProcessors());
        figures.put("serverCpus", serverCpus == null ? "all" : serverCpus);
        String transport = io.netty.channel.epoll.Epoll.isAvailable() ? "epoll" : "nio";
        figures.put("generatorTransport", transport);
        out.printf("telesignal bench: %d sessions (%d consultations), server -Xmx%s on CPUs %s, generator on %s"
                + " with %d CPUs, data in %s%n", sessions, pairs, heap, serverCpus == null ? "all" : serverCpus,
                transport, Runtime.getRuntime().availableProcessors(), dataDir);

        figures.put("nodes", nodes);
        figures.put("store", postgresUrl == null ? "h2" : "postgresql");

        boolean clean;
        try (Servers server = start(dataDir)) {
            long t0 = System.nanoTime();
            List<Provisioning.PairSetup> setups = new Provisioning(server.first().base(), server.first().apiKey(), 16)
                    .pairs(pairs, "b" + Long.toString(System.currentTimeMillis() % 1_000_000, 36));
            double provisioned = seconds(t0);
            out.printf("provisioned %d users, %d consultations, %d tokens over REST in %.1f s%n",
                    sessions, pairs, sessions, provisioned);
            figures.put("provisioningSeconds", round(provisioned));

            try (LoadRun run = new LoadRun(server.webSockets(), clientThreads, ackDelay).signalAcks(signalAcks)) {
                long t1 = System.nanoTime();
                run.setUp(setups, Duration.ofMinutes(10), connectsInFlight);
                double opened = seconds(t1);
                out.printf("opened %d sessions, joined and admitted %d consultations in %.1f s (%.0f sessions/s)%n",
                        sessions, pairs, opened, sessions / opened);
                figures.put("setupSeconds", round(opened));
                long heapIdle = server.liveHeapBytes();
                out.printf("server live heap after full GC with %d sessions: %d MiB%n", sessions, heapIdle >> 20);
                figures.put("liveHeapMiBWithSessions", heapIdle >> 20);

                List<LoadRun.PhaseResult> results = new ArrayList<>();
                if (!warmup.isZero()) {
                    results.add(measured(server, () -> run.phase("warm-up", rate, 0, warmup, Duration.ofSeconds(30), false)));
                }
                if (failover) {
                    // the survivors' CPU: the killed node's cannot be read once it is gone
                    ProcessStats.Cpu server0 = server.cpuBut(0);
                    ProcessStats.Cpu bench0 = ProcessStats.cpu(ProcessHandle.current().pid());
                    LoadRun.Failover measuredRun = run.failover(rate, duration.dividedBy(3),
                            duration.minus(duration.dividedBy(3)), () -> server.kill(0), 0);
                    LoadRun.Failover result = measuredRun.withLoad(measuredRun.load().withCpu(
                            server.cpuBut(0).minus(server0),
                            ProcessStats.cpu(ProcessHandle.current().pid()).minus(bench0)));
                    out.println(result.describe());
                    figures.put("failover", result.asMap());
                    figures.put("clean", result.clean() && server.aliveBut(0));
                    out.println(result.clean() && server.aliveBut(0)
                            ? "result: every session resumed; nothing lost or duplicated"
                            : "result: FAILED (see the counts above; the servers' logs are in " + dataDir + ")");
                    run.closeSessions();
                    writeReport(figures);
                    return result.clean() && server.aliveBut(0) ? 0 : 1;
                }
                results.add(measured(server, () -> run.phase("latency", rate, 0, duration, Duration.ofSeconds(30), true)));
                if (!throughputDuration.isZero()) {
                    results.add(measured(server, () -> run.phase("throughput", 0, window, throughputDuration,
                            Duration.ofSeconds(30), true)));
                }
                long heapAfter = server.liveHeapBytes();
                out.printf("server live heap after full GC at the end: %d MiB; peak RSS %d MiB%n", heapAfter >> 20,
                        server.peakRssBytes() >> 20);
                figures.put("liveHeapMiBAtEnd", heapAfter >> 20);
                figures.put("serverPeakRssMiB", server.peakRssBytes() >> 20);
                List<Map<String, Object>> phases = new ArrayList<>();
                clean = server.alive();
                for (LoadRun.PhaseResult result : results) {
                    phases.add(result.asMap());
                    clean &= result.clean();
                }
                figures.put("phases", phases);
                run.closeSessions();
            }
        }
        figures.put("clean", clean);
        writeReport(figures);
        out.println(clean ? "result: nothing lost, duplicated, reordered or refused"
                : "result: FAILED (see the counts above; the server log is in " + dataDir + ")");
        return clean ? 0 : 1;
    }

    /**
     * The servers: one on its own (embedded H2, or PostgreSQL with --postgres-url), or --nodes in cluster mode, each
     * in a data directory of its own, sharing a fresh schema, a fresh Redis key prefix and one token secret.
     */
    private Servers start(Path dataDir) throws Exception {
        if (postgresUrl == null) {
            return new Servers(List.of(ServerProcess.start(serverJar, dataDir, heap, sessions, serverJvmOptions,
                    serverCpus)));
        }
        String run = Long.toString(System.currentTimeMillis(), 36);
        Path secret = dataDir.resolve("jwt-hs256.key");
        Files.createDirectories(dataDir);
        byte[] raw = new byte[32];
        new java.security.SecureRandom().nextBytes(raw);
        Files.writeString(secret, java.util.Base64.getEncoder().encodeToString(raw) + "\n");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        // and one data encryption key (it wraps the data keys of chat text and names), a different one
        Path dataKek = dataDir.resolve("data-kek.key");
        new java.security.SecureRandom().nextBytes(raw);
        Files.writeString(dataKek, java.util.Base64.getEncoder().encodeToString(raw) + "\n");
        Files.setPosixFilePermissions(dataKek, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        List<ServerProcess> started = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                ServerProcess.Shared shared = new ServerProcess.Shared("bench-node-" + i, nodes > 1 ? redisUri : "",
                        "bench-" + run + ":", postgresUrl, postgresUser, "bench_" + run, secret, dataKek);
                started.add(ServerProcess.start(serverJar, dataDir.resolve("node-" + i), heap, sessions,
                        serverJvmOptions, serverCpus, shared, i == 0));
            }
        } catch (Exception e) {
            for (ServerProcess node : started) {
                node.close();
            }
            throw e;
        }
        out.printf("%d node(s) on PostgreSQL schema bench_%s%s%n", nodes, run,
                nodes > 1 ? " and Redis prefix bench-" + run + ":" : "");
        return new Servers(started);
    }

    private void writeReport(Map<String, Object> figures) throws java.io.IOException {
        if (report != null) {
            Files.createDirectories(report.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), figures);
        }
    }

    private LoadRun.PhaseResult measured(Servers server, Callable<LoadRun.PhaseResult> phase) throws Exception {
        long self = ProcessHandle.current().pid();
        ProcessStats.Cpu server0 = server.cpu();
        ProcessStats.Cpu bench0 = ProcessStats.cpu(self);
        LoadRun.PhaseResult result = phase.call().withCpu(server.cpu().minus(server0), ProcessStats.cpu(self).minus(bench0));
        out.println(result.describe());
        return result;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
