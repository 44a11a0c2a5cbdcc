package io.telesignal.net.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.telesignal.net.http.HttpListener;
import io.telesignal.net.http.ListenerSettings;
import io.telesignal.net.http.Routes;
import io.telesignal.net.metrics.FrontDoorMetrics;
import io.telesignal.net.transport.EventLoops;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** WebSocket upgrade, limits and heartbeats, with the JDK's WebSocket client. */
class WebSocketEndpointTest {
    private final EventLoops loops = new EventLoops(2);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<Integer> closes = new CopyOnWriteArrayList<>();
    private HttpListener listener;
    private InetSocketAddress address;

    /** Echoes text back upper-cased; "close" closes with 4000. */
    private final WebSocketEndpoint echo = (connection, upgrade) -> new WebSocketHandler() {
        @Override
        public void onText(String text) {
            received.add(text);
            if (text.equals("close")) {
                connection.close(4000, "asked to");
            } else {
                connection.send(text.toUpperCase(java.util.Locale.ROOT));
            }
        }

        @Override
        public void onClose(int code) {
            closes.add(code);
        }
    };

    @BeforeEach
    void start() {
        start(new WebSocketSettings(1024, Duration.ofSeconds(20), Duration.ofSeconds(60)));
    }

    /** Serves {@code endpoint} at /ws instead of the echo endpoint. */
    private void serve(WebSocketEndpoint endpoint) {
        Routes routes = new Routes().webSocket(new WebSocketRoute("/ws", "test.v1",
                new WebSocketSettings(1024, Duration.ofSeconds(20), Duration.ofSeconds(60)), endpoint,
                new FrontDoorMetrics(registry, "websocket")));
        listener = new HttpListener("custom", new ListenerSettings("127.0.0.1", 0, false, 100, 100, 4096,
                Duration.ofSeconds(30)), Optional.empty(), routes, loops, new FrontDoorMetrics(registry, "http"));
        address = listener.bind();
    }

    private void start(WebSocketSettings settings) {
        if (listener != null) {
            listener.drain(Duration.ofSeconds(1));
        }
        Routes routes = new Routes().webSocket(new WebSocketRoute("/ws", "test.v1", settings, echo,
                new FrontDoorMetrics(registry, "websocket")));
        listener = new HttpListener("test", new ListenerSettings("127.0.0.1", 0, false, 100, 100, 4096,
                Duration.ofSeconds(30)), Optional.empty(), routes, loops, new FrontDoorMetrics(registry, "http"));
        address = listener.bind();
    }

    @AfterEach
    void stop() {
        listener.drain(Duration.ofSeconds(1));
        loops.shutdown(Duration.ofSeconds(2));
    }

    private static final class Client extends TextMessages {
        final List<String> messages;

        Client() {
            this(new CopyOnWriteArrayList<>());
        }

        private Client(List<String> messages) {
            super(messages::add);
            this.messages = messages;
        }
    }

    private WebSocket connect(Client client, String... subprotocols) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        return builder.buildAsync(URI.create("ws://127.0.0.1:" + address.getPort() + "/ws"), client).join();
    }

    @Test
    void upgradesWithTheSubprotocolAndExchangesText() {
        Client client = new Client();
        WebSocket ws = connect(client, "other", "test.v1");

        assertThat(ws.getSubprotocol()).isEqualTo("test.v1");
        ws.sendText("hello", true).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.messages.contains("HELLO"));
        assertThat(registry.get("telesignal.connections.active").tag("door", "websocket").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("telesignal.messages.received").tag("door", "websocket").counter().count()).isEqualTo(1.0);
    }

    @Test
    void fragmentedMessagesAreReassembled() {
        Client client = new Client();
        WebSocket ws = connect(client, "test.v1");
        ws.sendText("frag", false).join();
        ws.sendText("mented", true).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.messages.contains("FRAGMENTED"));
        assertThat(received).containsExactly("fragmented");
    }

    @Test
    void missingSubprotocolIsRefusedBeforeUpgrade() throws Exception {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> connect(new Client())))
                .isInstanceOf(CompletionException.class);
        HttpResponse<String> plainGet = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + address.getPort() + "/ws")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plainGet.statusCode()).isEqualTo(426);
        assertThat(plainGet.headers().firstValue("upgrade")).contains("websocket");
    }

    @Test
    void messageOverTheLimitClosesWith1009() {
        Client client = new Client();
        WebSocket ws = connect(client, "test.v1");
        ws.sendText("x".repeat(1024), true).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.messages.size() == 1);

        ws.sendText("x".repeat(1025), true);
        assertThat(client.closed.join()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        await().atMost(Duration.ofSeconds(5)).until(() -> !closes.isEmpty());
    }

    @Test
    void fragmentsAddingUpOverTheLimitClose1009() {
        Client client = new Client();
        WebSocket ws = connect(client, "test.v1");
        ws.sendText("x".repeat(600), false).join();
        ws.sendText("x".repeat(600), true);
        assertThat(client.closed.join()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
    }

    @Test
    void binaryFramesAreRefusedWith1003() {
        Client client = new Client();
        WebSocket ws = connect(client, "test.v1");
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true);
        assertThat(client.closed.join()).isEqualTo(CloseCodes.UNSUPPORTED_DATA);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"c328,1007", "ed9fbf,-1", "eda080,1007", "efbfbd,-1", "f4908080,1007"})
    void textThatIsNotUtf8FailsTheConnectionWith1007(String hex, int close) throws Exception {
        // a raw socket: a well-behaved client cannot send invalid UTF-8 in a text frame
        byte[] payload = java.util.HexFormat.of().parseHex(hex);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", address.getPort())) {
            socket.setSoTimeout(5000);
            var out = socket.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: test.v1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            var in = new java.io.DataInputStream(socket.getInputStream());
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101");
            byte[] mask = {1, 2, 3, 4};
            byte[] frame = new byte[2 + 4 + payload.length];
            frame[0] = (byte) 0x81; // FIN, text
            frame[1] = (byte) (0x80 | payload.length); // masked
            System.arraycopy(mask, 0, frame, 2, 4);
            for (int i = 0; i < payload.length; i++) {
                frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
            }
            out.write(frame);
            out.flush();
            int opcode = in.readUnsignedByte() & 0x0f;
            int length = in.readUnsignedByte() & 0x7f;
            byte[] body = in.readNBytes(length);
            if (close < 0) {
                // valid UTF-8 (U+D7FF, U+FFFD itself): echoed upper-cased as text
                assertThat(opcode).isEqualTo(1);
                assertThat(body).isEqualTo(new String(payload, StandardCharsets.UTF_8)
                        .toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            } else {
                assertThat(opcode).as("a close frame").isEqualTo(8);
                assertThat(((body[0] & 0xff) << 8) | (body[1] & 0xff)).isEqualTo(close);
                assertThat(received).isEmpty();
            }
        }
    }

    @Test
    void serverCloseCarriesItsCodeAndTheHandlerHearsClientCloses() {
        Client client = new Client();
        WebSocket ws = connect(client, "test.v1");
        ws.sendText("close", true);
        assertThat(client.closed.join()).isEqualTo(4000);

        Client second = new Client();
        WebSocket other = connect(second, "test.v1");
        other.sendClose(4100, "bye").join();
        await().atMost(Duration.ofSeconds(5)).until(() -> closes.contains(4100));
    }

    @Test
    void quietConnectionsArePingedAndSilentOnesClosed() {
        start(new WebSocketSettings(1024, Duration.ofMillis(100), Duration.ofMillis(400)));
        Client client = new Client();
        WebSocket ws = connect(client, "test.v1");
        // the JDK client answers pings with pongs, which count as traffic: it stays open past the idle timeout
        await().pollDelay(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(client.closed).isNotDone();
        ws.sendText("still here", true).join();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.messages.contains("STILL HERE"));
    }

    @Test
    void aClientThatNeverAnswersIsPingedThenClosedWith1001() throws Exception {
        start(new WebSocketSettings(1024, Duration.ofMillis(100), Duration.ofMillis(400)));
        try (java.net.Socket socket = new java.net.Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: test.v1\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] all = socket.getInputStream().readAllBytes();
            String text = new String(all, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(text).startsWith("HTTP/1.1 101");
            int body = text.indexOf("\r\n\r\n") + 4;
            // RFC 6455 §5.2: 0x89 is an unmasked ping, 0x88 a close whose payload starts with the status code
            assertThat(all[body] & 0xff).isEqualTo(0x89);
            int close = text.lastIndexOf((char) 0x88);
            assertThat(((all[close + 2] & 0xff) << 8) | (all[close + 3] & 0xff)).isEqualTo(CloseCodes.GOING_AWAY);
        }
    }

    @Test
    void messagesLeaveInTheOrderChosenWhateverThreadSendsThem() throws Exception {
        listener.drain(Duration.ofSeconds(1));
        Object lock = new Object();
        int[] counter = {0};
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(2);
        WebSocketEndpoint numbered = (connection, upgrade) -> new WebSocketHandler() {
            @Override
            public void onText(String text) {
                // the same pattern as a session: a number chosen under a lock, then send, from three kinds of thread
                Runnable one = () -> {
                    synchronized (lock) {
                        connection.send(String.valueOf(counter[0]++));
                    }
                };
                for (int i = 0; i < 300; i++) {
                    threads.execute(one);
                    one.run();
                }
            }

            @Override
            public void onClose(int code) {
            }
        };
        serve(numbered);
        try {
            Client client = new Client();
            WebSocket ws = connect(client, "test.v1");
            ws.sendText("go", true).join();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.messages.size() == 600);
            for (int i = 0; i < 600; i++) {
                assertThat(client.messages.get(i)).isEqualTo(String.valueOf(i));
            }
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void aCloseFromAnotherThreadLeavesAfterEveryMessageSentBeforeItAndNothingAfter() throws Exception {
        listener.drain(Duration.ofSeconds(1));
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        WebSocketEndpoint closing = (connection, upgrade) -> new WebSocketHandler() {
            @Override
            public void onText(String text) {
                // sends from this (the loop's) thread, then closes from another, then tries to send again
                for (int i = 0; i < 200; i++) {
                    connection.send("m" + i);
                }
                other.execute(() -> {
                    connection.close(4321, "done");
                    connection.send("too late");
                });
            }

            @Override
            public void onClose(int code) {
            }
        };
        serve(closing);
        try {
            Client client = new Client();
            WebSocket ws = connect(client, "test.v1");
            ws.sendText("go", true).join();
            assertThat(client.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4321);
            assertThat(client.messages).hasSize(200).doesNotContain("too late");
            assertThat(client.messages.get(199)).isEqualTo("m199");
        } finally {
            other.shutdown();
        }
    }

    @Test
    void aClientThatOnlyListensIsPingedAndStaysOpen() {
        start(new WebSocketSettings(1024, Duration.ofMillis(100), Duration.ofMillis(400)));
        Client client = new Client();
        connect(client, "test.v1");
        // the JDK client answers the server's pings, which is all the traffic there is
        await().pollDelay(Duration.ofMillis(1000)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(client.closed).isNotDone();
    }
}
