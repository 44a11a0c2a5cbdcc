package io.telesignal.net.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.telesignal.core.work.BusyException;
import io.telesignal.net.metrics.FrontDoorMetrics;
import io.telesignal.net.tls.Certificates;
import io.telesignal.net.tls.ServerCertificate;
import io.telesignal.net.tls.TlsContexts;
import io.telesignal.net.tls.TlsSettings;
import io.telesignal.net.tls.TrustingClient;
import io.telesignal.net.transport.EventLoops;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpListenerTest {
    @TempDir
    Path dataDir;
    private final EventLoops loops = new EventLoops(2);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HttpClient client = HttpClient.newHttpClient();
    private final Routes routes = new Routes()
            .get("/hello", request -> CompletableFuture.completedFuture(HttpResponse.text(HttpResponseStatus.OK, "hi")))
            .post("/echo", request -> CompletableFuture.completedFuture(
                    HttpResponse.text(HttpResponseStatus.OK, new String(request.body(), StandardCharsets.UTF_8))))
            .add(io.netty.handler.codec.http.HttpMethod.PUT, "/files/*", 64 * 1024, (path, headers) ->
                    headers.contains("X-Refuse") ? java.util.Optional.of(HttpResponseStatus.FORBIDDEN) : java.util.Optional.empty(),
                    request -> CompletableFuture
                    .completedFuture(HttpResponse.text(HttpResponseStatus.CREATED, request.path() + " "
                            + request.body().length + " " + (request.body().length > 0 ? request.body()[request.body().length - 1] : -1))))
            .get("/busy", request -> CompletableFuture.failedFuture(new BusyException()))
            .get("/broken", request -> {
                throw new IllegalStateException("bug");
            });
    private HttpListener listener;

    @AfterEach
    void tearDown() {
        if (listener != null) {
            listener.drain(Duration.ofSeconds(1));
        }
        loops.shutdown(Duration.ofSeconds(2));
    }

    private InetSocketAddress start(ListenerSettings settings) throws Exception {
        listener = new HttpListener("test", settings, Optional.empty(), routes, loops,
                new FrontDoorMetrics(registry, "http"));
        return listener.bind();
    }

    private static ListenerSettings plain(int maxConnections, int perIp, int maxBody, Duration idle) {
        return new ListenerSettings("127.0.0.1", 0, false, maxConnections, perIp, maxBody, idle);
    }

    private java.net.http.HttpResponse<String> get(InetSocketAddress address, String path) throws Exception {
        return client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + path))
                .build(), BodyHandlers.ofString());
    }

    @Test
    void routesAnswerAndUnknownPathsAndMethodsAreRefused() throws Exception {
        InetSocketAddress address = start(plain(100, 100, 1024, Duration.ofSeconds(30)));

        var hello = get(address, "/hello?x=1");
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("hi");
        assertThat(hello.headers().firstValue("x-content-type-options")).contains("nosniff");

        var missing = get(address, "/nope");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"code\":\"not_found\"");

        var wrongMethod = client.send(java.net.http.HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + address.getPort() + "/hello")).POST(BodyPublishers.noBody()).build(),
                BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("allow")).contains("GET, HEAD");
    }

    @Test
    void handlerFailuresBecome503Or500() throws Exception {
        InetSocketAddress address = start(plain(100, 100, 1024, Duration.ofSeconds(30)));

        var busy = get(address, "/busy");
        assertThat(busy.statusCode()).isEqualTo(503);
        assertThat(busy.headers().firstValue("retry-after")).contains("1");
        assertThat(get(address, "/broken").statusCode()).isEqualTo(500);
        assertThat(get(address, "/hello").statusCode()).isEqualTo(200);
    }

    @Test
    void bodyOverTheLimitGets413() throws Exception {
        InetSocketAddress address = start(plain(100, 100, 1024, Duration.ofSeconds(30)));
        URI echo = URI.create("http://127.0.0.1:" + address.getPort() + "/echo");

        var small = client.send(java.net.http.HttpRequest.newBuilder(echo).POST(BodyPublishers.ofString("x".repeat(1024)))
                .build(), BodyHandlers.ofString());
        var large = client.send(java.net.http.HttpRequest.newBuilder(echo).POST(BodyPublishers.ofString("x".repeat(1025)))
                .build(), BodyHandlers.ofString());

        assertThat(small.statusCode()).isEqualTo(200);
        assertThat(large.statusCode()).isEqualTo(413);
    }

    @Test
    void aRouteWithItsOwnBodyLimitTakesMoreThanTheListenerAndRefusesMoreThanItsOwn() throws Exception {
        InetSocketAddress address = start(plain(100, 100, 1024, Duration.ofSeconds(30)));
        URI file = URI.create("http://127.0.0.1:" + address.getPort() + "/files/a%20b.bin");
        byte[] body = new byte[64 * 1024];
        body[body.length - 1] = 7;

        var whole = client.send(java.net.http.HttpRequest.newBuilder(file).PUT(BodyPublishers.ofByteArray(body)).build(),
                BodyHandlers.ofString());
        assertThat(whole.statusCode()).isEqualTo(201);
        assertThat(whole.body()).isEqualTo("/files/a b.bin 65536 7");
        // sent in chunks, without a length, and with Expect: 100-continue
        var chunked = client.send(java.net.http.HttpRequest.newBuilder(file).expectContinue(true)
                .PUT(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(201);
        assertThat(chunked.body()).isEqualTo("/files/a b.bin 65536 7");

        // the gate refuses before the body is read
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.getOutputStream().write(("PUT /files/x HTTP/1.1\r\nHost: x\r\nX-Refuse: 1\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 65536\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 403").doesNotContain("100 Continue");
        }
        // a broken chunk in a large body: 400, not a truncated body handed on
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.getOutputStream().write(("PUT /files/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "4\r\nabcd\r\nZZ\r\nnot a chunk\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 400").doesNotContain("201");
        }
        var declaredTooLarge = client.send(java.net.http.HttpRequest.newBuilder(file)
                .PUT(BodyPublishers.ofByteArray(new byte[64 * 1024 + 1])).build(), BodyHandlers.ofString());
        assertThat(declaredTooLarge.statusCode()).isEqualTo(413);
        var sentTooLarge = client.send(java.net.http.HttpRequest.newBuilder(file)
                .PUT(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[200 * 1024]))).build(),
                BodyHandlers.ofString());
        assertThat(sentTooLarge.statusCode()).isEqualTo(413);
        // every other route keeps the listener's limit, on the same connections
        var echo = client.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort()
                + "/echo")).POST(BodyPublishers.ofString("x".repeat(1025))).build(), BodyHandlers.ofString());
        assertThat(echo.statusCode()).isEqualTo(413);
        assertThat(get(address, "/hello").statusCode()).isEqualTo(200);
    }

    @Test
    void malformedRequestGets400AndTheConnectionIsClosed() throws Exception {
        InetSocketAddress address = start(plain(100, 100, 1024, Duration.ofSeconds(30)));
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.getOutputStream().write("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 400");
        }
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            String hugeHeader = "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n";
            socket.getOutputStream().write(hugeHeader.getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 431");
        }
    }

    @Test
    void requestLineTooLongGets414() throws Exception {
        InetSocketAddress address = start(plain(100, 100, 1024, Duration.ofSeconds(30)));
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.getOutputStream().write(("GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 414");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        CompletableFuture<HttpResponse> slow = new CompletableFuture<>();
        routes.get("/slow", request -> slow);
        InetSocketAddress address = start(plain(100, 100, 1024, Duration.ofSeconds(30)));
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.getOutputStream().write(("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(5)).until(() -> listener.openConnections() == 1);
            assertThat(socket.getInputStream().available()).isZero();
            slow.complete(HttpResponse.text(HttpResponseStatus.OK, "first"));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer.indexOf("first")).isPositive().isLessThan(answer.indexOf("not_found"));
            assertThat(answer.indexOf("not_found")).isLessThan(answer.indexOf("\r\n\r\nhi"));
        }
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAndCounted() throws Exception {
        InetSocketAddress address = start(plain(2, 100, 1024, Duration.ofSeconds(30)));
        List<Socket> held = new ArrayList<>();
        try {
            held.add(openAndCheck(address));
            held.add(openAndCheck(address));
            await().atMost(Duration.ofSeconds(5)).until(() -> listener.openConnections() == 2);
            try (Socket third = new Socket(address.getAddress(), address.getPort())) {
                assertThat(third.getInputStream().read()).isEqualTo(-1);
            }
            assertThat(registry.get("telesignal.connections.rejected").tag("reason", "max_connections").counter().count())
                    .isEqualTo(1.0);
            held.remove(0).close();
            await().atMost(Duration.ofSeconds(5)).until(() -> listener.openConnections() == 1);
            held.add(openAndCheck(address));
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void connectionsPerAddressAreLimited() throws Exception {
        InetSocketAddress address = start(plain(100, 1, 1024, Duration.ofSeconds(30)));
        try (Socket first = openAndCheck(address);
                Socket second = new Socket(address.getAddress(), address.getPort())) {
            assertThat(second.getInputStream().read()).isEqualTo(-1);
            assertThat(registry.get("telesignal.connections.rejected").tag("reason", "max_connections_per_ip")
                    .counter().count()).isEqualTo(1.0);
        }
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        InetSocketAddress address = start(plain(100, 100, 1024, Duration.ofMillis(300)));
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(5000);
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void drainAnswersRequestsInFlightThenCloses() throws Exception {
        CompletableFuture<HttpResponse> slow = new CompletableFuture<>();
        routes.get("/slow", request -> slow);
        InetSocketAddress address = start(plain(100, 100, 1024, Duration.ofSeconds(30)));
        CompletableFuture<java.net.http.HttpResponse<String>> pending = client.sendAsync(
                java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + "/slow")).build(),
                BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> listener.openConnections() == 1);

        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> listener.drain(Duration.ofSeconds(5)));
        await().atMost(Duration.ofSeconds(5)).until(() -> !listener.isBound());
        slow.complete(HttpResponse.text(HttpResponseStatus.OK, "finally"));

        assertThat(drained.get()).isTrue();
        var response = pending.get();
        assertThat(response.body()).isEqualTo("finally");
        assertThat(response.headers().firstValue("connection")).contains("close");
        listener = null;
    }

    @Test
    void tlsListenerServesHttpsAndRefusesPlainText() throws Exception {
        ServerCertificate certificate = new Certificates(Clock.systemUTC()).resolve(TlsSettings.selfSigned(), dataDir);
        listener = new HttpListener("tls", new ListenerSettings("127.0.0.1", 0, true, 100, 100, 1024, Duration.ofSeconds(30)),
                Optional.of(TlsContexts.server(certificate, List.of("TLSv1.3", "TLSv1.2"))), routes, loops,
                new FrontDoorMetrics(registry, "http"));
        InetSocketAddress address = listener.bind();

        var response = TrustingClient.http(certificate.certificateFile()).send(java.net.http.HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + address.getPort() + "/hello")).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("strict-transport-security")).isPresent();

        SSLContext old = TrustingClient.trusting(certificate.certificateFile());
        try (SSLSocket socket = (SSLSocket) old.getSocketFactory().createSocket("127.0.0.1", address.getPort())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
        }
        try (Socket plain = new Socket(address.getAddress(), address.getPort())) {
            plain.setSoTimeout(5000);
            plain.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = plain.getInputStream().readAllBytes();
            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("hi");
        }
    }

    /** Client-initiated renegotiation (TLS 1.2) is refused; a TLS 1.3 key update is not renegotiation and passes. */
    @Test
    void tlsRenegotiationByTheClientIsRefused() throws Exception {
        ServerCertificate certificate = new Certificates(Clock.systemUTC()).resolve(TlsSettings.selfSigned(), dataDir);
        listener = new HttpListener("tls", new ListenerSettings("127.0.0.1", 0, true, 100, 100, 1024, Duration.ofSeconds(30)),
                Optional.of(TlsContexts.server(certificate, List.of("TLSv1.3", "TLSv1.2"))), routes, loops,
                new FrontDoorMetrics(registry, "http"));
        InetSocketAddress address = listener.bind();
        SSLContext client = TrustingClient.trusting(certificate.certificateFile());

        long before = io.telesignal.net.tls.RenegotiationGuard.refused();
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", address.getPort())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setSoTimeout(5000);
            assertThat(exchange(socket)).startsWith("HTTP/1.1 200");
            socket.startHandshake(); // on an established TLS 1.2 session: a renegotiation
            assertThatThrownBy(() -> {
                String answer = exchange(socket);
                if (answer.isEmpty()) {
                    throw new java.io.EOFException("closed");
                }
            }).isInstanceOf(java.io.IOException.class);
        }
        assertThat(io.telesignal.net.tls.RenegotiationGuard.refused()).isEqualTo(before + 1);

        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", address.getPort())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.setSoTimeout(5000);
            assertThat(exchange(socket)).startsWith("HTTP/1.1 200");
            socket.startHandshake(); // TLS 1.3: a KeyUpdate
            assertThat(exchange(socket)).startsWith("HTTP/1.1 200");
        }
    }

    /** One keep-alive request on an open socket; the status line and headers of its answer ("" when closed). */
    private static String exchange(SSLSocket socket) throws java.io.IOException {
        socket.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        StringBuilder head = new StringBuilder();
        InputStream in = socket.getInputStream();
        int c;
        while ((c = in.read()) != -1) {
            head.append((char) c);
            if (head.toString().endsWith("\r\n\r\n")) {
                break;
            }
        }
        String text = head.toString();
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(text);
        if (length.find()) {
            in.readNBytes(Integer.parseInt(length.group(1)));
        }
        return text;
    }

    @Test
    void metricsCountConnectionsAndMessages() throws Exception {
        InetSocketAddress address = start(plain(100, 100, 1024, Duration.ofSeconds(30)));
        get(address, "/hello");
        get(address, "/hello");

        assertThat(registry.get("telesignal.messages.received").tag("door", "http").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("telesignal.messages.sent").tag("door", "http").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("telesignal.connections.opened").tag("door", "http").counter().count()).isGreaterThanOrEqualTo(1.0);
    }

    private static Socket openAndCheck(InetSocketAddress address) throws Exception {
        Socket socket = new Socket(address.getAddress(), address.getPort());
        OutputStream out = socket.getOutputStream();
        out.write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[12];
        int read = in.readNBytes(buffer, 0, 12);
        assertThat(new String(buffer, 0, read, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        return socket;
    }
}
