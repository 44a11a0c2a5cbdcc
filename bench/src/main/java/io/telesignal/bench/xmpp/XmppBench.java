package io.telesignal.bench.xmpp;

import io.telesignal.bench.ServerProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The XMPP benchmark of issue 18, telesignal side by side with Prosody in one run: the same load client against
 * Prosody with its archive off, telesignal with its message archive (MAM) on and writing to its store, and Prosody
 * with its archive on, one after the other; then the figures and the ratios.
 */
@Command(name = "xmpp-bench", mixinStandardHelpOptions = true,
        description = "XMPP load against telesignal and Prosody in one run (docs/performance.md)")
public final class XmppBench implements Callable<Integer> {
    @Option(names = "--pairs", description = "pairs of users exchanging chat messages (default ${DEFAULT-VALUE})")
    int pairs = 50;
    @Option(names = "--window", description = "messages in flight per pair (default ${DEFAULT-VALUE})")
    int window = 8;
    @Option(names = "--warmup", description = "seconds before the relay is measured (default ${DEFAULT-VALUE})")
    int warmup = 5;
    @Option(names = "--seconds", description = "seconds of relay measured (default ${DEFAULT-VALUE})")
    int seconds = 20;
    @Option(names = "--login-threads", description = "clients signing in at once (default ${DEFAULT-VALUE})")
    int loginThreads = 4;
    @Option(names = "--login-seconds", description = "seconds of sign-ins (default ${DEFAULT-VALUE})")
    int loginSeconds = 10;
    @Option(names = "--idle-sessions", description = "idle sessions for the memory figure (default ${DEFAULT-VALUE})")
    int idleSessions = 2000;
    @Option(names = "--server-jar", description = "telesignal (default ${DEFAULT-VALUE})")
    Path jar = Path.of("server/target/telesignal.jar");
    @Option(names = "--heap", description = "telesignal's -Xms and -Xmx (default ${DEFAULT-VALUE})")
    String heap = "1g";
    @Option(names = "--work-dir", description = "where the servers keep their data (default: a new directory in /tmp)")
    Path work;
    @Option(names = "--skip-prosody-archive", description = "leave out Prosody with its archive on")
    boolean skipProsodyArchive;
    @Option(names = "--skip-prosody", description = "telesignal alone (to profile it)")
    boolean skipProsody;
    @Option(names = "--server-jvm-option", description = "more JVM options for telesignal")
    List<String> serverJvmOptions = new ArrayList<>();

    private static final String PASSWORD = "bench-device-password-0123456789";

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new XmppBench());
    }

    @Override
    public Integer call() throws Exception {
        if (work == null) {
            work = Files.createTempDirectory("xmpp-bench");
        }
        int userCount = 2 * pairs; // idle sessions are spread over them, several resources each
        List<String> users = new ArrayList<>();
        for (int i = 1; i <= userCount; i++) {
            users.add(String.format(Locale.ROOT, "u%03d", i));
        }
        System.out.printf("work directory: %s%nmachine: %d cores, Java %s, %s%n", work,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), ProsodyServer.version());
        System.out.printf("load: %d pairs, window %d, %d s warm-up, %d s measured; logins: %d clients for %d s;"
                + " %d idle sessions%n%n", pairs, window, warmup, seconds, loginThreads, loginSeconds, idleSessions);

        List<Row> rows = new ArrayList<>();
        if (!skipProsody) {
            try (ProsodyServer prosody = ProsodyServer.start(work.resolve("prosody"), ServerProcess.freePort(), false, users,
                    PASSWORD)) {
                rows.add(measure("Prosody, archive off", new XmppLoad.Target("prosody", prosody.address(), "localhost",
                    prosody.pid()), users, () -> 0L));
            }
        }
        int port = ServerProcess.freePort();
        try (ServerProcess telesignal = ServerProcess.start(jar, work.resolve("telesignal"), heap, 0, jvmOptions(), null,
                null, true, telesignalConfig(port))) {
            provision(telesignal, users);
            XmppLoad.Target target = new XmppLoad.Target("telesignal", new InetSocketAddress("127.0.0.1", port),
                    "localhost", telesignal.pid());
            rows.add(measure("telesignal, MAM on", target, users, () -> {
                try {
                    return telesignal.liveHeapBytes();
                } catch (IOException e) {
                    return 0L;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0L;
                }
            }));
        }
        if (!skipProsodyArchive && !skipProsody) {
            try (ProsodyServer prosody = ProsodyServer.start(work.resolve("prosody-mam"), ServerProcess.freePort(), true, users,
                    PASSWORD)) {
                rows.add(measure("Prosody, archive on", new XmppLoad.Target("prosody", prosody.address(), "localhost",
                        prosody.pid()), users, () -> 0L));
            }
        }
        report(rows);
        // a run that lost, repeated or reordered a message, or relayed nothing, or failed a sign-in, is not a result
        return rows.stream().anyMatch(r -> r.relay.lost() > 0 || r.relay.duplicated() > 0 || r.relay.reordered() > 0
                || r.relay.delivered() == 0 || r.logins.failed() > 0 || r.logins.done() == 0) ? 1 : 0;
    }

    /** The heap is touched at start, so that RSS growth is what lies outside it (the live heap is measured apart). */
    private List<String> jvmOptions() {
        List<String> options = new ArrayList<>(List.of("-XX:+AlwaysPreTouch"));
        options.addAll(serverJvmOptions);
        return options;
    }

    /** What telesignal needs for the bench: the XMPP door on loopback, its flood limits raised (one client, many users). */
    private static String telesignalConfig(int port) {
        return String.join("\n", "xmpp:", "  enabled: true", "  host: 127.0.0.1", "  port: " + port,
                "  directTls: false", "  webSocket: false", "  archive: true", "  authFailureDelay: 0s",
                "  maxSessionsPerUser: 1000", "  stanzaRate: 1000000", "  stanzaBurst: 1000000", "");
    }

    private static void provision(ServerProcess telesignal, List<String> users) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String user : users) {
            post(http, telesignal, "/api/v1/users", "{\"login\":\"" + user + "\",\"displayName\":\"" + user
                    + "\",\"roles\":[\"provider\"]}");
            post(http, telesignal, "/api/v1/users/" + user + "/devices", "{\"label\":\"bench\",\"password\":\""
                    + PASSWORD + "\"}");
        }
    }

    private static void post(HttpClient http, ServerProcess server, String path, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.base() + path))
                .header("Authorization", "Bearer " + server.apiKey()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private record Row(String name, XmppLoad.Relay relay, XmppLoad.Logins logins, long idleRssBytes,
            long idleHeapBytes) {}

    private Row measure(String name, XmppLoad.Target target, List<String> users,
            java.util.function.Supplier<Long> liveHeap) throws Exception {
        System.out.println("== " + name);
        XmppLoad.Relay relay = XmppLoad.relay(target, users, PASSWORD, pairs, window, Duration.ofSeconds(warmup),
                Duration.ofSeconds(seconds));
        System.out.printf("relay: %,.0f messages/s, server CPU %.1f µs/message (%.0f %% in the kernel), p50 %.2f ms, p99 %.2f ms, lost %d,"
                + " duplicated %d, out of order %d%n", relay.perSecond(), relay.cpuMicrosPerMessage(),
                100.0 * relay.cpu().kernel().toNanos() / Math.max(1, relay.cpu().total().toNanos()), relay.latency().getValueAtPercentile(50) / 1000.0, relay.latency().getValueAtPercentile(99) / 1000.0,
                relay.lost(), relay.duplicated(), relay.reordered());
        XmppLoad.Logins logins = XmppLoad.logins(target, users, PASSWORD, loginThreads, Duration.ofSeconds(loginSeconds));
        System.out.printf("logins: %,.0f/s, server CPU %.2f ms/login, failed %d%n", logins.perSecond(),
                logins.cpu().total().toNanos() / 1e6 / Math.max(1, logins.done()), logins.failed());
        Thread.sleep(2000);
        long heapBefore = liveHeap.get();
        long rssBefore = io.telesignal.bench.ProcessStats.rss(target.pid());
        List<XmppClient> idle = XmppLoad.idle(target, users, PASSWORD, idleSessions);
        Thread.sleep(3000);
        long heapAfter = liveHeap.get();
        long rssAfter = io.telesignal.bench.ProcessStats.rss(target.pid());
        idle.forEach(XmppClient::close);
        long rssPerSession = (rssAfter - rssBefore) / idleSessions;
        long heapPerSession = (heapAfter - heapBefore) / idleSessions;
        System.out.printf("idle: %d sessions, RSS +%.1f KiB each%s%n%n", idleSessions, rssPerSession / 1024.0,
                heapAfter > 0 ? String.format(Locale.ROOT, ", live heap +%.1f KiB each", heapPerSession / 1024.0) : "");
        return new Row(name, relay, logins, rssPerSession, heapPerSession);
    }

    private static void report(List<Row> rows) {
        System.out.println("| | " + String.join(" | ", rows.stream().map(Row::name).toList()) + " |");
        System.out.println("| --- |" + " --- |".repeat(rows.size()));
        line(rows, "chat messages relayed/s", r -> String.format(Locale.ROOT, "%,.0f", r.relay.perSecond()));
        line(rows, "server CPU per message", r -> String.format(Locale.ROOT, "%.1f µs", r.relay.cpuMicrosPerMessage()));
        line(rows, "latency p50 / p99", r -> String.format(Locale.ROOT, "%.2f / %.2f ms",
                r.relay.latency().getValueAtPercentile(50) / 1000.0, r.relay.latency().getValueAtPercentile(99) / 1000.0));
        line(rows, "lost / duplicated / out of order", r -> r.relay.lost() + " / " + r.relay.duplicated() + " / "
                + r.relay.reordered());
        line(rows, "logins/s (SCRAM-SHA-1 over STARTTLS)", r -> String.format(Locale.ROOT, "%,.0f", r.logins.perSecond()));
        line(rows, "idle session, RSS growth", r -> String.format(Locale.ROOT, "%.1f KiB", r.idleRssBytes / 1024.0));
        line(rows, "idle session, live heap", r -> r.idleHeapBytes == 0 ? "" : String.format(Locale.ROOT, "%.1f KiB",
                r.idleHeapBytes / 1024.0));
        Row anchor = rows.get(0);
        for (Row row : rows.subList(1, rows.size())) {
            System.out.printf("%s against %s: relay %.2fx, logins %.2fx, idle RSS %.2fx%n", row.name, anchor.name,
                    row.relay.perSecond() / anchor.relay.perSecond(), row.logins.perSecond() / anchor.logins.perSecond(),
                    anchor.idleRssBytes == 0 ? 0 : (double) row.idleRssBytes / anchor.idleRssBytes);
        }
    }

    private static void line(List<Row> rows, String label, java.util.function.Function<Row, String> cell) {
        System.out.println("| " + label + " | " + String.join(" | ", rows.stream().map(cell).toList()) + " |");
    }
}
