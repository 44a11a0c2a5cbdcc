package io.telesignal.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The WebSocket comparison of issue 19, in one run: the same load client against the bare Netty relay (the floor),
 * the PeerJS server and telesignal, one after the other, over ws and wss, then a connection storm and the idle
 * memory per connection against PeerJS and telesignal; the figures and the ratios. Each server is started fresh
 * for each measurement and stopped after it.
 */
@Command(name = "ws-vs-peerjs", mixinStandardHelpOptions = true,
        description = "WebSocket signaling: telesignal against the PeerJS server and a bare relay (docs/performance.md)")
public final class VsPeerJs implements Callable<Integer> {
    @Option(names = "--pairs", description = "provider–patient pairs relaying signals (default ${DEFAULT-VALUE})")
    int pairs = 50;
    @Option(names = "--window", description = "signals in flight per pair, closed loop (default ${DEFAULT-VALUE})")
    int window = 8;
    @Option(names = "--warmup", description = "relay before measuring (default ${DEFAULT-VALUE})")
    Duration warmup = Duration.ofSeconds(20);
    @Option(names = "--seconds", description = "relay measured (default ${DEFAULT-VALUE})")
    Duration seconds = Duration.ofSeconds(20);
    @Option(names = "--transports", split = ",", description = "ws, wss or both (default ${DEFAULT-VALUE})")
    List<String> transports = new ArrayList<>(List.of("ws", "wss"));
    @Option(names = "--rounds", description = "times the relay comparison is run, alternating servers (default ${DEFAULT-VALUE})")
    int rounds = 1;
    @Option(names = "--storm", description = "connections of the storm and the idle-memory figure; 0 skips it (default ${DEFAULT-VALUE})")
    int storm = 5000;
    @Option(names = "--storm-in-flight", description = "handshakes on their way at once in the storm (default"
            + " ${DEFAULT-VALUE}, under Node's listen backlog of 511)")
    int stormInFlight = 500;
    @Option(names = "--client-threads", description = "the load client's event loops (default ${DEFAULT-VALUE})")
    int clientThreads = 2;
    @Option(names = "--skip-floor", description = "leave out the bare relay")
    boolean skipFloor;
    @Option(names = "--only", description = "run one server alone, to profile it: telesignal, peerjs or floor")
    String only;
    @Option(names = "--peerjs-dir", description = "where npm installed peer (default ${DEFAULT-VALUE})")
    Path peerDir = Path.of("bench/target/peerjs");
    @Option(names = "--server-jar", description = "telesignal (default ${DEFAULT-VALUE})")
    Path jar = Path.of("server/target/telesignal.jar");
    @Option(names = "--heap", description = "the JVMs' -Xms and -Xmx, telesignal's and the floor's (default ${DEFAULT-VALUE})")
    String heap = "1g";
    @Option(names = "--server-jvm-option", description = "more JVM options for telesignal")
    List<String> serverJvmOptions = new ArrayList<>();
    @Option(names = "--work-dir", description = "where the servers keep their data and logs (default: a new directory in /tmp)")
    Path work;
    @Option(names = "--signal-acks", description = "each: a result per signal; cumulative: signaled for several, as the"
            + " SDK asks (default ${DEFAULT-VALUE})")
    String signalAcks = "cumulative";
    @Option(names = "--report", description = "also write the figures as JSON here")
    Path report;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    private static final Duration ACK_DELAY = Duration.ofMillis(200);
    private Path certificate;
    private Path key;
    private int runs;

    public static void main(String[] args) {
        System.exit(new CommandLine(new VsPeerJs()).registerConverter(Duration.class, Bench::duration).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!signalAcks.equals("each") && !signalAcks.equals("cumulative")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--signal-acks is each or cumulative");
        }
        if (work == null) {
            work = Files.createTempDirectory("ws-bench");
        }
        Files.createDirectories(work);
        makeCertificate();
        System.out.printf(Locale.ROOT, "work directory: %s%nmachine: %d cores, Java %s, Node %s, PeerJS %s%n", work,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), nodeVersion(),
                peerVersion());
        System.out.printf(Locale.ROOT, "relay: %d pairs, closed loop, window %d, %d s warm-up, %d s measured; offers and"
                + " answers of 2.2 KiB SDP, 4 trickled candidates per description; storm: %d connections, %d in flight%n%n",
                pairs, window, warmup.toSeconds(), seconds.toSeconds(), storm, stormInFlight);
        List<String> servers = only != null ? List.of(only)
                : skipFloor ? List.of("peerjs", "telesignal") : List.of("floor", "peerjs", "telesignal");
        Map<String, Object> figures = new LinkedHashMap<>();
        boolean clean = true;
        Map<String, List<Relay>> relays = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (String transport : transports) {
                for (String server : servers) {
                    Relay relay = relay(server, transport);
                    System.out.println(relay.line());
                    relays.computeIfAbsent(transport + " " + server, k -> new ArrayList<>()).add(relay);
                    clean &= relay.clean();
                }
            }
        }
        Map<String, Storm> storms = new LinkedHashMap<>();
        if (storm > 0) {
            for (String server : servers) {
                Storm result = storm(server);
                System.out.println(result.line());
                storms.put(server, result);
            }
        }
        System.out.println();
        summary(relays, storms);
        figures.put("relay", relays);
        figures.put("storm", storms);
        if (report != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), figures);
        }
        System.out.println(clean ? "result: nothing lost, duplicated or reordered" : "result: FAILED (see above; logs in " + work + ")");
        return clean ? 0 : 1;
    }

    /** One relay measurement: what the server's process used over the measured phase, and what the client saw. */
    public record Relay(String server, String transport, double perSecond, double serverMicros, double userMicros,
            double kernelMicros, double clientMicros, double p50, double p99, long sent, long delivered, long lost,
            long duplicated, long outOfOrder, Map<String, Long> errors, long closes, long results, long acks) {
        boolean clean() {
            return lost == 0 && duplicated == 0 && outOfOrder == 0 && errors.isEmpty() && closes == 0;
        }

        String line() {
            return String.format(Locale.ROOT, "%-4s %-10s %,8.0f msg/s, server %5.1f µs/msg (%.1f user + %.1f kernel),"
                    + " client %5.1f µs/msg, p50 %5.2f ms, p99 %6.2f ms; sent %d, delivered %d, lost %d, duplicated %d,"
                    + " out of order %d, errors %s, closes %d; results %d, bare acks %d", transport, server, perSecond,
                    serverMicros, userMicros, kernelMicros, clientMicros, p50, p99, sent, delivered, lost, duplicated,
                    outOfOrder, errors, closes, results, acks);
        }
    }

    /** The storm: time to the last ready of {@code storm} connections, first and again after all closed; memory. */
    public record Storm(String server, int connections, double firstSeconds, double againSeconds,
            double rssBytesPerConnection, double liveHeapBytesPerConnection) {
        String line() {
            return String.format(Locale.ROOT, "storm %-10s %d connections ready in %.2f s, again in %.2f s; idle: %.1f KiB"
                    + " RSS per connection%s", server, connections, firstSeconds, againSeconds,
                    rssBytesPerConnection / 1024, liveHeapBytesPerConnection > 0 ? String.format(Locale.ROOT,
                            ", %.1f KiB live heap", liveHeapBytesPerConnection / 1024) : "");
        }
    }

    private Relay relay(String server, String transport) throws Exception {
        boolean tls = transport.equals("wss");
        Path dir = work.resolve(String.format(Locale.ROOT, "%02d-%s-%s", ++runs, server, transport));
        Files.createDirectories(dir);
        if (server.equals("telesignal")) {
            try (ServerProcess ts = ServerProcess.start(jar, dir, heap, 2 * pairs, serverJvmOptions, null, null, true,
                    "", tls ? certificate : null, tls ? key : null);
                    LoadRun run = new LoadRun(ts.webSocket(), clientThreads, ACK_DELAY).signalAcks(signalAcks)) {
                run.setUp(new Provisioning(ts.base(), ts.apiKey(), 8).pairs(pairs, "w" + runs), Duration.ofMinutes(2), 64);
                return measure(server, transport, run, ts::cpu);
            }
        }
        try (RelayProcess relay = server.equals("peerjs")
                ? RelayProcess.peerJs(peerDir.toAbsolutePath(), dir.resolve("server.log"), tls ? certificate : null, key)
                : RelayProcess.floor(heap, dir.resolve("server.log"), tls ? certificate : null, key);
                LoadRun run = new LoadRun(List.of(), clientThreads, ACK_DELAY)) {
            run.setUpRelay(pairs, "p", relay::uri, Duration.ofMinutes(2), 64);
            return measure(server, transport, run, relay::cpu);
        }
    }

    private Relay measure(String server, String transport, LoadRun run, java.util.function.Supplier<ProcessStats.Cpu> cpu)
            throws Exception {
        run.phase("warm-up", 0, window, warmup, Duration.ofSeconds(30), false);
        ProcessStats.Cpu server0 = cpu.get();
        ProcessStats.Cpu client0 = ProcessStats.cpu(ProcessHandle.current().pid());
        LoadRun.PhaseResult phase = run.phase("relay", 0, window, seconds, Duration.ofSeconds(30), true);
        ProcessStats.Cpu used = cpu.get().minus(server0);
        ProcessStats.Cpu client = ProcessStats.cpu(ProcessHandle.current().pid()).minus(client0);
        run.closeSessions();
        LoopStats stats = phase.stats();
        double n = Math.max(1, stats.delivered);
        return new Relay(server, transport, phase.deliveredPerSecond(), used.total().toNanos() / 1000.0 / n,
                used.user().toNanos() / 1000.0 / n, used.kernel().toNanos() / 1000.0 / n,
                client.total().toNanos() / 1000.0 / n, stats.latencyMicros.getValueAtPercentile(50) / 1000.0,
                stats.latencyMicros.getValueAtPercentile(99) / 1000.0, stats.sent, stats.delivered, phase.lost(),
                stats.duplicated, stats.outOfOrder, stats.errors, stats.unexpectedCloses + stats.connectionsLost,
                stats.answered, stats.acks);
    }

    private Storm storm(String server) throws Exception {
        Path dir = work.resolve(String.format(Locale.ROOT, "%02d-%s-storm", ++runs, server));
        Files.createDirectories(dir);
        int stormPairs = storm / 2;
        if (server.equals("telesignal")) {
            try (ServerProcess ts = ServerProcess.start(jar, dir, heap, storm, serverJvmOptions, null, null, true, "")) {
                var setups = new Provisioning(ts.base(), ts.apiKey(), 8).pairs(stormPairs, "s" + runs);
                long heap0 = ts.liveHeapBytes();
                long rss0 = ts.rssBytes();
                try (LoadRun run = new LoadRun(ts.webSocket(), clientThreads, ACK_DELAY).signalAcks(signalAcks)) {
                    double first = run.storm(setups, Duration.ofMinutes(2), stormInFlight);
                    Thread.sleep(2000);
                    long heap1 = ts.liveHeapBytes();
                    long rss1 = ts.rssBytes();
                    ts.classHistogram(dir.resolve("histogram-idle.txt")); // what the idle sessions are made of
                    run.closeAndForget(Duration.ofSeconds(30));
                    Thread.sleep(1000);
                    double again = run.storm(setups, Duration.ofMinutes(2), stormInFlight);
                    run.closeAndForget(Duration.ofSeconds(30));
                    return new Storm(server, storm, first, again, (rss1 - rss0) / (double) storm,
                            (heap1 - heap0) / (double) storm);
                }
            }
        }
        try (RelayProcess relay = server.equals("peerjs")
                ? RelayProcess.peerJs(peerDir.toAbsolutePath(), dir.resolve("server.log"), null, null)
                : RelayProcess.floor(heap, dir.resolve("server.log"), null, null);
                LoadRun run = new LoadRun(List.of(), clientThreads, ACK_DELAY)) {
            Thread.sleep(1000);
            long rss0 = relay.rssBytes();
            double first = run.setUpRelay(stormPairs, "s", relay::uri, Duration.ofMinutes(2), stormInFlight);
            Thread.sleep(2000);
            long rss1 = relay.rssBytes();
            run.closeAndForget(Duration.ofSeconds(30));
            Thread.sleep(1000);
            double again = run.setUpRelay(stormPairs, "s", relay::uri, Duration.ofMinutes(2), stormInFlight);
            run.closeAndForget(Duration.ofSeconds(30));
            return new Storm(server, storm, first, again, (rss1 - rss0) / (double) storm, 0);
        }
    }

    private void summary(Map<String, List<Relay>> relays, Map<String, Storm> storms) {
        for (String transport : transports) {
            Relay peer = best(relays.get(transport + " peerjs"));
            Relay ts = best(relays.get(transport + " telesignal"));
            Relay floor = best(relays.get(transport + " floor"));
            System.out.printf(Locale.ROOT, "%s (median of %d round%s)%n", transport, rounds, rounds == 1 ? "" : "s");
            System.out.printf(Locale.ROOT, "  %-34s %12s %12s %12s %18s%n", "", "floor", "PeerJS", "telesignal",
                    "telesignal/PeerJS");
            row("server CPU per message, µs", floor, peer, ts, Relay::serverMicros);
            row("delivered messages/s", floor, peer, ts, Relay::perSecond);
            row("p50 latency, ms", floor, peer, ts, Relay::p50);
            row("p99 latency, ms", floor, peer, ts, Relay::p99);
            if (floor != null && ts != null && peer != null) {
                System.out.printf(Locale.ROOT, "  CPU per message as a multiple of the floor: PeerJS %.2f×, telesignal %.2f×%n",
                        peer.serverMicros() / floor.serverMicros(), ts.serverMicros() / floor.serverMicros());
            }
        }
        Storm peer = storms.get("peerjs");
        Storm ts = storms.get("telesignal");
        Storm floor = storms.get("floor");
        if (floor != null) {
            System.out.printf(Locale.ROOT, "storm of %d on the floor (the bare relay, the same client): %.2f s (again %.2f s)%n",
                    storm, floor.firstSeconds(), floor.againSeconds());
        }
        if (peer != null && ts != null) {
            System.out.printf(Locale.ROOT, "storm of %d: PeerJS %.2f s (again %.2f s), telesignal %.2f s (again %.2f s):"
                    + " %.2f× (again %.2f×)%n", storm, peer.firstSeconds(), peer.againSeconds(), ts.firstSeconds(),
                    ts.againSeconds(), ts.firstSeconds() / peer.firstSeconds(), ts.againSeconds() / peer.againSeconds());
            System.out.printf(Locale.ROOT, "idle memory per connection: PeerJS %.1f KiB RSS, telesignal %.1f KiB RSS"
                    + " (%.1f KiB live heap): %.2f×%n", peer.rssBytesPerConnection() / 1024, ts.rssBytesPerConnection() / 1024,
                    ts.liveHeapBytesPerConnection() / 1024, ts.rssBytesPerConnection() / peer.rssBytesPerConnection());
        }
    }

    private static void row(String name, Relay floor, Relay peer, Relay ts, java.util.function.ToDoubleFunction<Relay> f) {
        System.out.printf(Locale.ROOT, "  %-34s %12s %12s %12s %18s%n", name, value(floor, f), value(peer, f), value(ts, f),
                peer != null && ts != null ? String.format(Locale.ROOT, "%.2f×", f.applyAsDouble(ts) / f.applyAsDouble(peer)) : "");
    }

    private static String value(Relay relay, java.util.function.ToDoubleFunction<Relay> f) {
        if (relay == null) {
            return "-";
        }
        double v = f.applyAsDouble(relay);
        return v >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    /** The run with the median server CPU per message. */
    private static Relay best(List<Relay> runs) {
        if (runs == null || runs.isEmpty()) {
            return null;
        }
        List<Relay> sorted = new ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(Relay::serverMicros));
        return sorted.get(sorted.size() / 2);
    }

    /** One EC P-256 certificate for all three servers' wss, so that they do the same TLS work. */
    private void makeCertificate() throws IOException, InterruptedException {
        certificate = work.resolve("cert.pem");
        key = work.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", certificate.toString(), "-days",
                "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1")
                .redirectErrorStream(true).redirectOutput(work.resolve("openssl.log").toFile()).start();
        if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            throw new IllegalStateException("openssl could not make the certificate; see " + work.resolve("openssl.log"));
        }
    }

    private static String nodeVersion() {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return new String(node.getInputStream().readAllBytes()).trim();
        } catch (IOException e) {
            return "not found";
        }
    }

    private String peerVersion() {
        try {
            String json = Files.readString(peerDir.resolve("node_modules/peer/package.json"));
            return Signals.field(json.replace("\": \"", "\":\""), "version");
        } catch (IOException e) {
            return "not installed in " + peerDir;
        }
    }
}
