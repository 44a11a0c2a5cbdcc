package io.telesignal.net.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.telesignal.net.http.HttpListener;
import io.telesignal.net.http.HttpResponse;
import io.telesignal.net.http.ListenerSettings;
import io.telesignal.net.http.Routes;
import io.telesignal.net.metrics.FrontDoorMetrics;
import io.telesignal.net.transport.EventLoops;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A listener behind a trusted proxy on 127.0.0.1, spoken to over raw sockets as a proxy would: the client it names
 * (PROXY protocol v1 and v2, X-Forwarded-For) is the request's client and what the per-address limit counts.
 */
class ProxiedListenerTest {
    private final EventLoops loops = new EventLoops(2);
    private final Routes routes = new Routes().get("/who", request -> CompletableFuture.completedFuture(
            HttpResponse.text(HttpResponseStatus.OK, request.remoteAddress().getAddress().getHostAddress())));
    private HttpListener listener;

    @AfterEach
    void tearDown() {
        if (listener != null) {
            listener.drain(Duration.ofSeconds(1));
        }
        loops.shutdown(Duration.ofSeconds(2));
    }

    private InetSocketAddress start(String trusted, boolean proxyProtocol, boolean forwardedFor, int perIp) {
        listener = new HttpListener("test", new ListenerSettings("127.0.0.1", 0, false, 100, perIp, 1024,
                Duration.ofSeconds(30), new ListenerSettings.Clients(TrustedProxies.parse(List.of(trusted)),
                        proxyProtocol, forwardedFor)), Optional.empty(), routes, loops,
                new FrontDoorMetrics(new SimpleMeterRegistry(), "http"));
        return listener.bind();
    }

    /** Writes {@code header} then a GET /who with {@code extraHeaders}; answers the body, or "" when closed. */
    private static String who(Socket socket, byte[] header, String extraHeaders) throws Exception {
        socket.setSoTimeout(5000);
        socket.getOutputStream().write(header);
        socket.getOutputStream().write(("GET /who HTTP/1.1\r\nHost: x\r\n" + extraHeaders + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        String response = all.toString(StandardCharsets.US_ASCII);
        return response.contains("\r\n\r\n") ? response.substring(response.indexOf("\r\n\r\n") + 4) : "";
    }

    /** A GET /who on a connection kept open; answers the body. */
    private static String whoKeepAlive(Socket socket) throws Exception {
        socket.setSoTimeout(5000);
        socket.getOutputStream().write("GET /who HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.read());
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
        assertThat(length.find()).as(head.toString()).isTrue();
        return new String(in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.US_ASCII);
    }

    private static byte[] v1(String source) {
        return ("PROXY TCP4 " + source + " 127.0.0.1 40000 8443\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A PROXY protocol v2 header, TCP over IPv4 (HAProxy's send-proxy-v2). */
    private static byte[] v2(int[] source) {
        byte[] header = new byte[16 + 12];
        byte[] signature = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
        System.arraycopy(signature, 0, header, 0, 12);
        header[12] = 0x21; // version 2, PROXY
        header[13] = 0x11; // AF_INET, STREAM
        header[15] = 12; // address block length
        for (int i = 0; i < 4; i++) {
            header[16 + i] = (byte) source[i];
        }
        header[20] = 127;
        header[23] = 1;
        header[24] = (byte) 0x9c; // source port 40000
        header[25] = 0x40;
        header[26] = 0x20; // destination port 8443
        header[27] = (byte) 0xfb;
        return header;
    }

    @Test
    void theProxyProtocolNamesTheClientInBothVersions() throws Exception {
        InetSocketAddress address = start("127.0.0.1", true, false, 10);
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            assertThat(who(socket, v1("192.0.2.9"), "")).isEqualTo("192.0.2.9");
        }
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            assertThat(who(socket, v2(new int[] {198, 51, 100, 23}), "")).isEqualTo("198.51.100.23");
        }
    }

    @Test
    void aTrustedProxyWithoutAHeaderIsClosedAndAnUntrustedPeerIsItsOwnClient() throws Exception {
        InetSocketAddress address = start("127.0.0.1", true, false, 10);
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            assertThat(who(socket, new byte[0], "")).as("no PROXY header from the proxy: closed").isEmpty();
        }
        listener.drain(Duration.ofSeconds(1));
        // the proxy is somewhere else: a client on 127.0.0.1 is served directly, and a header it sends is not believed
        InetSocketAddress other = start("192.0.2.1", true, false, 10);
        try (Socket socket = new Socket(other.getAddress(), other.getPort())) {
            assertThat(who(socket, new byte[0], "")).isEqualTo("127.0.0.1");
        }
        try (Socket socket = new Socket(other.getAddress(), other.getPort())) {
            assertThat(who(socket, v1("192.0.2.9"), "")).doesNotContain("192.0.2.9");
        }
    }

    @Test
    void thePerAddressLimitCountsTheClientsNotTheProxy() throws Exception {
        InetSocketAddress address = start("127.0.0.1", true, false, 1);
        try (Socket first = new Socket(address.getAddress(), address.getPort());
                Socket second = new Socket(address.getAddress(), address.getPort());
                Socket again = new Socket(address.getAddress(), address.getPort())) {
            // each header is taken (and its client counted) before the next connection speaks: a first request shows it
            first.getOutputStream().write(v1("192.0.2.1"));
            assertThat(whoKeepAlive(first)).isEqualTo("192.0.2.1");
            second.getOutputStream().write(v1("192.0.2.2"));
            // two clients behind one proxy: both admitted; a second connection of the first is over its limit
            assertThat(who(again, v1("192.0.2.1"), "")).isEmpty();
            assertThat(who(second, new byte[0], "")).isEqualTo("192.0.2.2");
        }
    }

    @Test
    void xForwardedForIsBelievedFromTrustedProxiesOnly() throws Exception {
        InetSocketAddress address = start("127.0.0.0/8", false, true, 10);
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            // the client made up the first hop; the proxies appended the rest
            assertThat(who(socket, new byte[0], "X-Forwarded-For: 6.6.6.6, 203.0.113.5, 127.0.0.9\r\n"))
                    .isEqualTo("203.0.113.5");
        }
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            assertThat(who(socket, new byte[0], "X-Forwarded-For: not-an-address\r\n")).isEqualTo("127.0.0.1");
        }
        listener.drain(Duration.ofSeconds(1));
        InetSocketAddress untrusted = start("192.0.2.1", false, true, 10);
        try (Socket socket = new Socket(untrusted.getAddress(), untrusted.getPort())) {
            assertThat(who(socket, new byte[0], "X-Forwarded-For: 203.0.113.5\r\n")).isEqualTo("127.0.0.1");
        }
    }
}
