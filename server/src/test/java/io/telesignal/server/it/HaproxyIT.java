package io.telesignal.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.audit.AuditRecord;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.testing.Ports;
import io.telesignal.server.wiring.TelesignalServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server behind a real HAProxy (Debian's) that sends a PROXY protocol v2 header on every connection
 * ({@code send-proxy-v2}), as the cluster's load balancer will: clients on 127.0.0.2 and 127.0.0.3 reach it through
 * the proxy on 127.0.0.1, and the audit trail and the per-address limit see them, not the proxy.
 */
class HaproxyIT {
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");

    @TempDir
    Path dir;
    private TelesignalServer server;
    private Process haproxy;
    private int proxyPort;

    @BeforeEach
    void start() throws Exception {
        if (!Files.isExecutable(HAPROXY)) {
            String message = "haproxy (Debian's package) is needed for the load-balancer tests";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message + " under CI (.ci/run installs it)");
            }
            System.err.println("!!! HaproxyIT skipped: " + message + " !!!");
            Assumptions.abort(message);
        }
        server = LoopbackServer.start(dir.resolve("data"), "http.trustedProxies", "127.0.0.1", "http.proxyProtocol",
                "true", "http.maxConnectionsPerIp", "2");
        server.services().accounts().add(new Login("pat"), "Pat", Set.of(Role.PATIENT),
                "pat's long password".toCharArray(), "it");
        proxyPort = Ports.free();
        Path config = Files.writeString(dir.resolve("haproxy.cfg"), String.join("\n",
                "global", "  maxconn 200",
                "defaults", "  mode tcp", "  timeout connect 5s", "  timeout client 30s", "  timeout server 30s",
                "frontend clients", "  bind 127.0.0.1:" + proxyPort, "  default_backend telesignal",
                "backend telesignal",
                "  server node1 127.0.0.1:" + server.httpAddress().getPort() + " send-proxy-v2", ""));
        haproxy = new ProcessBuilder(HAPROXY.toString(), "-f", config.toString(), "-db")
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        Ports.awaitListening(haproxy, proxyPort, dir.resolve("haproxy.log"));
    }

    @AfterEach
    void stop() throws Exception {
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor();
        }
        if (server != null) {
            server.stop();
        }
    }

    /** A connection through the proxy from a client address of the loopback range. */
    private Socket from(String client) throws Exception {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(client, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", proxyPort), 5000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    /** GET /healthz on a connection that stays open: reads exactly the one response (by its Content-Length). */
    private static String keptOpen(Socket socket) throws Exception {
        socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        var in = socket.getInputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        var length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(headers);
        if (length.find()) {
            in.readNBytes(Integer.parseInt(length.group(1)));
        }
        return headers;
    }

    private static String send(Socket socket, String method, String path, String body) throws Exception {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type:"
                + " application/json\r\nContent-Length: " + content.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(content);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        socket.getInputStream().transferTo(all);
        return all.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theAuditTrailAndTheLimitsSeeTheClientsBehindTheProxy() throws Exception {
        try (Socket socket = from("127.0.0.2")) {
            String answer = send(socket, "POST", "/api/v1/login", "{\"login\":\"pat\",\"password\":\"pat's long password\"}");
            assertThat(answer).startsWith("HTTP/1.1 200");
        }
        try (Socket socket = from("127.0.0.3")) {
            String answer = send(socket, "POST", "/api/v1/login", "{\"login\":\"pat\",\"password\":\"wrong password\"}");
            assertThat(answer).startsWith("HTTP/1.1 401");
        }
        List<AuditRecord> records = server.services().store().auditLog().read(0, 100);
        assertThat(records).filteredOn(r -> r.event().type().equals("auth.password"))
                .extracting(r -> r.event().remoteAddress() + " " + r.event().outcome().name().toLowerCase())
                .containsExactly("127.0.0.2 ok", "127.0.0.3 failed");

        // two connections each from two clients, all through the one proxy: the limit of 2 per address holds per client
        try (Socket a1 = from("127.0.0.4"); Socket a2 = from("127.0.0.4"); Socket b1 = from("127.0.0.5");
                Socket b2 = from("127.0.0.5")) {
            // each answered once and kept open: the server has surely counted them (HAProxy passes a connection's PROXY
            // header on its own time, so a third opened at once could otherwise be counted first)
            for (Socket open : new Socket[] {a1, a2, b1}) {
                assertThat(keptOpen(open)).startsWith("HTTP/1.1 200");
            }
            try (Socket a3 = from("127.0.0.4")) {
                assertThat(send(a3, "GET", "/healthz", "")).as("a third from 127.0.0.4").isEmpty();
            }
            assertThat(send(b2, "GET", "/healthz", "")).startsWith("HTTP/1.1 200");
        }
    }
}
