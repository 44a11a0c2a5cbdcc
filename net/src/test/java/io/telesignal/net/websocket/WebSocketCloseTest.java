package io.telesignal.net.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.telesignal.net.http.HttpListener;
import io.telesignal.net.http.ListenerSettings;
import io.telesignal.net.http.Routes;
import io.telesignal.net.metrics.FrontDoorMetrics;
import io.telesignal.net.transport.EventLoops;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The closing handshake (RFC 6455 §5.5.1, §7.4) and fragments, from a raw client that sends what others would not. */
class WebSocketCloseTest {
    private final EventLoops loops = new EventLoops(2);
    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpListener listener;
    private InetSocketAddress address;

    /** "close" closes with 4000; anything else is taken silently. */
    private final WebSocketEndpoint endpoint = (connection, upgrade) -> new WebSocketHandler() {
        @Override
        public void onText(String text) {
            received.add(text);
            if (text.equals("close")) {
                connection.close(4000, "asked to");
            }
        }

        @Override
        public void onClose(int code) {
        }
    };

    @BeforeEach
    void start() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Routes routes = new Routes().webSocket(new WebSocketRoute("/ws", "test.v1",
                new WebSocketSettings(64 * 1024, Duration.ofSeconds(20), Duration.ofSeconds(60), Duration.ofMillis(300)),
                endpoint, new FrontDoorMetrics(registry, "websocket")));
        listener = new HttpListener("test", new ListenerSettings("127.0.0.1", 0, false, 100, 100, 4096,
                Duration.ofSeconds(30)), Optional.empty(), routes, loops, new FrontDoorMetrics(registry, "http"));
        address = listener.bind();
    }

    @AfterEach
    void stop() {
        listener.drain(Duration.ofSeconds(1));
        loops.shutdown(Duration.ofSeconds(2));
    }

    @ParameterizedTest(name = "client close {0} is answered {1}")
    @CsvSource({"1000,1000", "4100,4100", "3000,3000", "999,1002", "1004,1002", "1005,1002", "1006,1002", "1015,1002",
            "2999,1002", "5000,1002", "65535,1002"})
    void aCloseCodeNoPeerMaySendIsAnsweredWithProtocolError(int sent, int answered) throws Exception {
        try (RawWebSocket client = new RawWebSocket(address, "test.v1")) {
            client.send(0x8, true, RawWebSocket.closePayload(sent, "bye".getBytes(StandardCharsets.UTF_8)));
            RawWebSocket.Frame answer = client.next();
            assertThat(answer.opcode()).as("a close frame, not a dropped connection").isEqualTo(0x8);
            assertThat(answer.closeCode()).isEqualTo(answered);
            if (answered == sent) {
                assertThat(client.endOfStream()).as("the server closes the TCP connection").isTrue();
            }
        }
    }

    @Test
    void aCloseReasonThatIsNotUtf8IsAnsweredWithProtocolError() throws Exception {
        try (RawWebSocket client = new RawWebSocket(address, "test.v1")) {
            client.send(0x8, true, RawWebSocket.closePayload(1000, new byte[] {(byte) 0xc3, 0x28}));
            RawWebSocket.Frame answer = client.next();
            assertThat(answer.opcode()).isEqualTo(0x8);
            assertThat(answer.closeCode()).isEqualTo(1002);
        }
    }

    @Test
    void aCloseWithoutACodeIsAnsweredNormally() throws Exception {
        try (RawWebSocket client = new RawWebSocket(address, "test.v1")) {
            client.send(0x8, true, new byte[0]);
            assertThat(client.next().closeCode()).isEqualTo(1000);
        }
    }

    @Test
    void aFragmentedMessageNeverFinishedIsClosed1008AfterTheFragmentTimeout() throws Exception {
        try (RawWebSocket client = new RawWebSocket(address, "test.v1")) {
            client.send(0x1, false, "the first half".getBytes(StandardCharsets.UTF_8));
            long sent = System.nanoTime();
            client.send(0x9, true, new byte[0]); // a ping between fragments is allowed (RFC 6455 §5.4)
            RawWebSocket.Frame answer;
            do {
                answer = client.next();
            } while (answer.opcode() == 0xA); // the pong
            assertThat(answer.opcode()).isEqualTo(0x8);
            assertThat(answer.closeCode()).isEqualTo(1008);
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        }
        assertThat(received).isEmpty();
    }

    @Test
    void aFragmentedMessageFinishedInTimeIsDelivered() throws Exception {
        try (RawWebSocket client = new RawWebSocket(address, "test.v1")) {
            client.send(0x1, false, "frag".getBytes(StandardCharsets.UTF_8));
            client.send(0x0, true, "mented".getBytes(StandardCharsets.UTF_8));
            Thread.sleep(500); // past the fragment timeout: the timer stopped with the final fragment
            client.send(0x1, true, "close".getBytes(StandardCharsets.UTF_8));
            assertThat(client.next().closeCode()).isEqualTo(4000);
        }
        assertThat(received).containsExactly("fragmented", "close");
    }

    /**
     * A client still sending when the server closes it reads the close frame, not a reset: the server keeps reading
     * (and dropping) after its close frame, so no unread data makes the kernel reset the connection.
     */
    @Test
    void aClientStillSendingWhenClosedGetsTheCloseFrameNotAReset() throws Exception {
        byte[] one = RawWebSocket.frame(0x1, true, "x".repeat(2000).getBytes(StandardCharsets.UTF_8));
        for (int round = 0; round < 10; round++) {
            try (RawWebSocket client = new RawWebSocket(address, "test.v1")) {
                java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                Thread writer = new Thread(() -> {
                    try {
                        var out = client.socket.getOutputStream();
                        for (int i = 0; i < 5000 && !stop.get(); i++) {
                            out.write(one);
                            if (i == 50) {
                                out.write(RawWebSocket.frame(0x1, true, "close".getBytes(StandardCharsets.UTF_8)));
                            }
                        }
                    } catch (java.io.IOException expected) {
                        // the server closed: the writer stops
                    }
                });
                writer.start();
                try {
                    RawWebSocket.Frame answer = client.next();
                    assertThat(answer.opcode()).isEqualTo(0x8);
                    assertThat(answer.closeCode()).isEqualTo(4000);
                } finally {
                    stop.set(true);
                    writer.join(5000);
                }
            }
        }
    }
}
