package io.telesignal.net.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoop;
import io.telesignal.net.http.HttpListener;
import io.telesignal.net.http.ListenerSettings;
import io.telesignal.net.http.Routes;
import io.telesignal.net.metrics.FrontDoorMetrics;
import io.telesignal.net.transport.EventLoops;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connection moved to another event loop of the server ({@link WebSocketConnection#moveTo}): in the middle of a
 * flood both ways nothing is lost or reordered, the heartbeat goes on on the new loop, and a close asked for during the
 * move still reaches the client, with the handler told once.
 */
class WebSocketMoveTest {
    private final EventLoops loops = new EventLoops(2);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** The connections opened, in order; what each receives is sent on to the next one (a pair relaying). */
    private final List<WebSocketConnection> connections = new CopyOnWriteArrayList<>();
    private final List<Integer> closes = new CopyOnWriteArrayList<>();
    private HttpListener listener;
    private InetSocketAddress address;

    private final WebSocketEndpoint relay = (connection, upgrade) -> {
        connections.add(connection);
        return new WebSocketHandler() {
            @Override
            public void onText(String text) {
                if (!connection.eventLoop().inEventLoop()) {
                    throw new AssertionError("a callback ran off the connection's loop");
                }
                int self = connections.indexOf(connection);
                connections.get(self ^ 1).send(text);
            }

            @Override
            public void onClose(int code) {
                closes.add(code);
            }
        };
    };

    private void start(WebSocketSettings settings) {
        Routes routes = new Routes().webSocket(new WebSocketRoute("/ws", "test.v1", settings, relay,
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

    private WebSocket connect(Client client) {
        return HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("test.v1")
                .buildAsync(URI.create("ws://127.0.0.1:" + address.getPort() + "/ws"), client).join();
    }

    /** Moves {@code connection} to {@code target} from its own loop; answers what moveTo answered. */
    private static boolean move(WebSocketConnection connection, EventLoop target) throws Exception {
        return connection.eventLoop().submit(() -> connection.moveTo(target)).get();
    }

    private double moved() {
        return registry.get("telesignal.connections.moved").tag("door", "websocket").counter().count();
    }

    @Test
    void aConnectionMovedInTheMiddleOfAFloodLosesNothingAndKeepsTheOrder() throws Exception {
        start(new WebSocketSettings(1024, Duration.ofSeconds(20), Duration.ofSeconds(60)));
        Client a = new Client();
        Client b = new Client();
        WebSocket wsA = connect(a);
        await().until(() -> connections.size() == 1);
        WebSocket wsB = connect(b);
        await().until(() -> connections.size() == 2);
        WebSocketConnection serverA = connections.get(0);
        WebSocketConnection serverB = connections.get(1);
        // the group hands new connections out in turn: the two start on different loops
        assertThat(serverA.eventLoop()).isNotSameAs(serverB.eventLoop());

        int count = 3000;
        Thread fromB = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                wsB.sendText("b" + i, true).join();
            }
        });
        fromB.start();
        for (int i = 0; i < count; i++) {
            wsA.sendText("a" + i, true).join();
            if (i == count / 3) {
                assertThat(move(serverA, serverB.eventLoop())).isTrue();
            }
        }
        fromB.join(10_000);

        await().atMost(Duration.ofSeconds(10)).until(() -> a.messages.size() == count && b.messages.size() == count);
        List<String> expectedAtB = new ArrayList<>();
        List<String> expectedAtA = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            expectedAtB.add("a" + i);
            expectedAtA.add("b" + i);
        }
        assertThat(b.messages).containsExactlyElementsOf(expectedAtB);
        assertThat(a.messages).containsExactlyElementsOf(expectedAtA);
        assertThat(serverA.eventLoop()).isSameAs(serverB.eventLoop());
        assertThat(moved()).isEqualTo(1.0);
        assertThat(closes).isEmpty();
    }

    @Test
    void theHeartbeatGoesOnOnTheNewLoop() throws Exception {
        start(new WebSocketSettings(1024, Duration.ofMillis(100), Duration.ofMillis(400)));
        Client other = new Client();
        connect(other);
        await().until(() -> connections.size() == 1);
        try (RawWebSocket silent = new RawWebSocket(address, "test.v1")) {
            await().until(() -> connections.size() == 2);
            WebSocketConnection moving = connections.get(1);
            assertThat(move(moving, connections.get(0).eventLoop())).isTrue();
            await().until(() -> moving.eventLoop() == connections.get(0).eventLoop());
            // it never answers the pings: the heartbeat, started again on the new loop, closes it 1001
            RawWebSocket.Frame frame = silent.next();
            assertThat(frame.opcode()).isEqualTo(0x8);
            assertThat(frame.closeCode()).isEqualTo(CloseCodes.GOING_AWAY);
        }
        // while the other one, which answers, stays open
        assertThat(other.closed).isNotDone();
    }

    @Test
    void aCloseAskedForDuringTheMoveReachesTheClientAndIsReportedOnce() throws Exception {
        start(new WebSocketSettings(1024, Duration.ofSeconds(20), Duration.ofSeconds(60)));
        Client a = new Client();
        connect(a);
        await().until(() -> connections.size() == 1);
        connect(new Client());
        await().until(() -> connections.size() == 2);
        WebSocketConnection serverA = connections.get(0);
        EventLoop target = connections.get(1).eventLoop();
        serverA.eventLoop().submit(() -> {
            serverA.send("last words");
            assertThat(serverA.moveTo(target)).isTrue();
            serverA.close(4000, "done");
            assertThat(serverA.moveTo(target)).isFalse(); // closing: no second move
        }).get();

        assertThat(a.closed.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4000);
        assertThat(a.messages).containsExactly("last words");
        await().atMost(Duration.ofSeconds(5)).until(() -> closes.size() == 1);
        assertThat(closes).containsExactly(4000);
    }

    @Test
    void aConnectionDroppedAsItMovesIsReportedClosedOnce() throws Exception {
        start(new WebSocketSettings(1024, Duration.ofSeconds(20), Duration.ofSeconds(60)));
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(new Client());
            connect(clients.get(i));
            int opened = i + 1;
            await().until(() -> connections.size() == opened);
        }
        EventLoop target = connections.get(1).eventLoop();
        // dropped in the same turn as the move asked for (still registered with the old loop) ...
        WebSocketConnection first = connections.get(0);
        first.eventLoop().submit(() -> {
            assertThat(first.moveTo(target)).isTrue();
            first.abort();
        }).get();
        // ... and right after the old loop let it go
        WebSocketConnection third = connections.get(2);
        EventLoop thirdFrom = third.eventLoop();
        EventLoop thirdTarget = thirdFrom == target ? connections.get(0).eventLoop() : target;
        thirdFrom.submit(() -> {
            assertThat(third.moveTo(thirdTarget)).isTrue();
            thirdFrom.execute(third::abort);
        }).get();

        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> closes.size() == 2);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("closes " + closes + " clients " + clients.get(0).closed + " " + clients.get(2).closed
                    + " open " + connections.get(0).isOpen() + " " + connections.get(2).isOpen(), e);
        }
        assertThat(clients.get(0).closed.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(CloseCodes.ABNORMAL);
        assertThat(clients.get(2).closed.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(CloseCodes.ABNORMAL);
        await().pollDelay(Duration.ofMillis(300)).until(() -> true);
        assertThat(closes).hasSize(2);
        assertThat(registry.get("telesignal.connections.active").tag("door", "websocket").gauge().value())
                .isEqualTo(1.0);
    }

    @Test
    void tasksQueuedForAConnectionRunOnTheLoopItMovedToAndAreDroppedOnceTheLoopsStop() throws Exception {
        start(new WebSocketSettings(1024, Duration.ofSeconds(20), Duration.ofSeconds(60)));
        connect(new Client());
        await().until(() -> connections.size() == 1);
        connect(new Client());
        await().until(() -> connections.size() == 2);
        WebSocketConnection moving = connections.get(0);
        EventLoop target = connections.get(1).eventLoop();
        List<EventLoop> ranOn = new CopyOnWriteArrayList<>();
        List<Boolean> onOwnLoop = new CopyOnWriteArrayList<>();
        Runnable task = () -> {
            onOwnLoop.add(moving.eventLoop().inEventLoop()); // the loop the channel is registered with as it runs
            ranOn.add(target.inEventLoop() ? target : moving.eventLoop());
        };
        // queued and scheduled on the old loop, in the turn that asks for the move
        moving.eventLoop().submit(() -> {
            moving.execute(task, Duration.ZERO);
            moving.execute(task, Duration.ofMillis(100));
            assertThat(moving.moveTo(target)).isTrue();
        }).get();

        await().atMost(Duration.ofSeconds(5)).until(() -> ranOn.size() == 2);
        // the first ran before the old loop let the channel go, the one scheduled for later where it moved to
        assertThat(onOwnLoop).containsExactly(true, true);
        assertThat(ranOn.get(1)).isSameAs(target);
        assertThat(moving.eventLoop()).isSameAs(target);

        // once the server's loops are stopped, what is still queued for a connection is dropped, not thrown
        loops.shutdown(Duration.ofSeconds(2));
        moving.execute(task, Duration.ZERO);
        moving.execute(task, Duration.ofMillis(10));
        assertThat(ranOn).hasSize(2);
    }

    @Test
    void aMoveIsAskedForOnTheConnectionsOwnLoopToAnotherLoopOfItsGroup() throws Exception {
        start(new WebSocketSettings(1024, Duration.ofSeconds(20), Duration.ofSeconds(60)));
        connect(new Client());
        await().until(() -> connections.size() == 1);
        WebSocketConnection connection = connections.get(0);
        EventLoop own = connection.eventLoop();

        assertThatThrownBy(() -> connection.moveTo(own)).isInstanceOf(IllegalStateException.class);
        assertThat(move(connection, own)).isFalse();
        try (EventLoops elsewhere = new EventLoops(1)) {
            EventLoop foreign = (EventLoop) elsewhere.io().next();
            assertThat(move(connection, foreign)).isFalse();
        }
        assertThat(connection.eventLoop()).isSameAs(own);
        assertThat(moved()).isZero();
    }
}
