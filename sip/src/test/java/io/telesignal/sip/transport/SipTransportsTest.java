package io.telesignal.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.net.transport.EventLoops;
import io.telesignal.sip.SipFrontDoor;
import io.telesignal.sip.message.SipLimits;
import io.telesignal.sip.message.SipParser;
import io.telesignal.sip.message.SipResponse;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The UDP and TCP transports with the door's stateless answers, from plain sockets on loopback. */
class SipTransportsTest {
    private final EventLoops loops = new EventLoops(1);
    private final SipParser parser = new SipParser(SipLimits.DEFAULTS);
    private final SipFrontDoor door = new SipFrontDoor(io.telesignal.sip.transaction.Scheduler.on(loops.io().next()),
            io.telesignal.sip.transaction.TimerSettings.DEFAULTS);
    private final AddressLimiter limiter = new AddressLimiter(1000, 1000, 100, System::nanoTime);
    private final SipUdpTransport udp = new SipUdpTransport(parser, door, limiter);
    private final SipTcpTransport tcp = new SipTcpTransport(parser, door, Duration.ofSeconds(30), 100, limiter);
    private InetSocketAddress udpAddress;
    private InetSocketAddress tcpAddress;

    @BeforeEach
    void bind() {
        udpAddress = udp.bind(loops, "127.0.0.1", 0);
        tcpAddress = tcp.bind(loops, "127.0.0.1", 0);
    }

    @AfterEach
    void close() {
        udp.close();
        tcp.close();
        loops.shutdown(Duration.ofSeconds(2));
    }

    private int branches;

    /** A request in a new transaction (a fresh branch each time, as a client does). */
    private String request(String method, String transport, String extra) {
        return method + " sip:telesignal.example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " client.invalid;rport;branch=z9hG4bK776asdhds" + (branches++) + "\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:telesignal.example.com>\r\nFrom: <sip:alice@example.com>;tag=1928301774\r\n"
                + "Call-ID: a84b4c76e66710\r\nCSeq: 63104 " + method + "\r\n" + extra + "Content-Length: 0\r\n\r\n";
    }

    private SipResponse udpExchange(String text, DatagramSocket socket) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(bytes, bytes.length, udpAddress));
        byte[] buffer = new byte[65536];
        DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
        socket.receive(answer);
        return (SipResponse) parser.parse(buffer, 0, answer.getLength(), true);
    }

    @Test
    void optionsOverUdpIsAnsweredToItsSourceWithItsViaStamped() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(5000);
            SipResponse ok = udpExchange(request("OPTIONS", "UDP", ""), socket);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.first("Allow")).contains("OPTIONS");
            assertThat(ok.vias().get(0).received()).contains("127.0.0.1");
            assertThat(ok.vias().get(0).rport()).contains(String.valueOf(socket.getLocalPort()));
            assertThat(ok.to().tag()).isPresent();
            assertThat(ok.cseq().number()).isEqualTo(63104);
            // a retransmission (same branch) is answered by its transaction, with the same response
            branches--;
            SipResponse again = udpExchange(request("OPTIONS", "UDP", ""), socket);
            assertThat(again.to().tag()).isEqualTo(ok.to().tag());
            assertThat(door.transactions().serverTransactions()).isEqualTo(1);

            assertThat(udpExchange(request("OPTIONS", "UDP", "Require: 100rel, timer\r\n"), socket))
                    .satisfies(r -> {
                        assertThat(r.status()).isEqualTo(420);
                        assertThat(r.values("Unsupported")).containsExactly("100rel", "timer");
                    });
            SipResponse bad = udpExchange(request("OPTIONS", "UDP", "").replace("CSeq: 63104 OPTIONS", "CSeq: 63104 INVITE"),
                    socket);
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.reason()).contains("CSeq");
            SipResponse version = udpExchange(request("OPTIONS", "UDP", "").replace("SIP/2.0\r\nVia", "SIP/3.0\r\nVia"),
                    socket);
            assertThat(version.status()).isEqualTo(505);

            long dropped = door.dropped();
            byte[] garbage = "\u0016\u0003\u0001 not sip at all".getBytes(StandardCharsets.ISO_8859_1);
            socket.send(new DatagramPacket(garbage, garbage.length, udpAddress));
            socket.setSoTimeout(500);
            try {
                socket.receive(new DatagramPacket(new byte[100], 100));
                throw new AssertionError("an unaddressable datagram was answered");
            } catch (SocketTimeoutException expected) {
                // dropped, and counted
            }
            assertThat(door.dropped()).isEqualTo(dropped + 1);

            // an INVITE: 100 Trying at once from its transaction, then the door's answer (no INVITE handling yet)
            socket.setSoTimeout(5000);
            assertThat(udpExchange(request("INVITE", "UDP", ""), socket).status()).as("at once").isEqualTo(100);
            assertThat(next(socket).status()).isEqualTo(501);
            assertThat(next(socket).status()).as("Timer G: again until the ACK").isEqualTo(501);
        }
    }

    private SipResponse next(DatagramSocket socket) throws Exception {
        byte[] buffer = new byte[65536];
        DatagramPacket answer = new DatagramPacket(buffer, buffer.length);
        socket.receive(answer);
        return (SipResponse) parser.parse(buffer, 0, answer.getLength(), true);
    }

    @Test
    void overTcpAnswersComeOnTheConnectionAndPingsArePonged() throws Exception {
        try (Socket socket = new Socket(tcpAddress.getAddress(), tcpAddress.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            assertThat(in.readNBytes(2)).isEqualTo("\r\n".getBytes(StandardCharsets.US_ASCII));

            socket.getOutputStream().write(request("OPTIONS", "TCP", "").getBytes(StandardCharsets.UTF_8));
            SipResponse ok = readResponse(in);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.vias().get(0).received()).contains("127.0.0.1");

            // a bad message is answered and the connection goes on
            socket.getOutputStream().write(request("OPTIONS", "TCP", "Max-Forwards: 999\r\n").getBytes(StandardCharsets.UTF_8));
            assertThat(readResponse(in).status()).isEqualTo(400);
            socket.getOutputStream().write(request("OPTIONS", "TCP", "").getBytes(StandardCharsets.UTF_8));
            assertThat(readResponse(in).status()).isEqualTo(200);
        }
    }

    private SipResponse readResponse(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("closed; got " + head);
            }
            head.append((char) c);
        }
        byte[] bytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        return (SipResponse) parser.parse(bytes, 0, bytes.length, false);
    }

    @Test
    void datagramsOfOneCallShareALaneWhateverTheCallIdsSpelling() {
        int hash = SipUdpTransport.callIdHash("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\nCall-ID: abc@host\r\n\r\n"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(SipUdpTransport.callIdHash("SIP/2.0 200 OK\r\ncall-id :abc@host\r\n\r\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(hash);
        assertThat(SipUdpTransport.callIdHash("ACK sip:a@b SIP/2.0\r\ni:  abc@host \r\n\r\n".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(hash);
        assertThat(SipUdpTransport.callIdHash("ACK sip:a@b SIP/2.0\r\nCall-ID: other\r\n".getBytes(StandardCharsets.UTF_8)))
                .isNotEqualTo(hash);
        assertThat(SipUdpTransport.callIdHash("ACK sip:a@b SIP/2.0\r\nInfo: x\r\n".getBytes(StandardCharsets.UTF_8))).isZero();
    }

    @Test
    void aConnectionItCannotOpenAndOneThatClosedAreFlowsThatFailed() throws Exception {
        int closed;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        InetSocketAddress nobody = new InetSocketAddress("127.0.0.1", closed);
        // nothing listens there: a next hop that cannot be reached (a 503 to the proxy)
        assertThat(tcp.flow("TCP", nobody).toCompletableFuture().handle((flow, e) -> e).get(10,
                java.util.concurrent.TimeUnit.SECONDS)).isInstanceOfSatisfying(FlowFailedException.class,
                        f -> assertThat(f.gone()).isFalse());
        // a peer's connection that is not open: gone for good (430 to the proxy); over UDP any flow can be made
        assertThat(tcp.existing(new FlowKey("TCP", nobody)).toCompletableFuture().handle((flow, e) -> e).get(10,
                java.util.concurrent.TimeUnit.SECONDS)).isInstanceOfSatisfying(FlowFailedException.class,
                        f -> assertThat(f.gone()).isTrue());
        assertThat(udp.existing(new FlowKey("UDP", nobody)).toCompletableFuture().get(10,
                java.util.concurrent.TimeUnit.SECONDS).transport()).isEqualTo("UDP");
        // a transport that does not run here
        assertThat(new SipTransports().with("UDP", udp).flow("TLS", nobody).toCompletableFuture().handle((flow, e) -> e)
                .get(10, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(FlowFailedException.class);
    }
}
