package io.telesignal.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.net.transport.EventLoops;
import io.telesignal.sip.SipFrontDoor;
import io.telesignal.sip.message.SipLimits;
import io.telesignal.sip.message.SipParser;
import io.telesignal.sip.message.SipResponse;
import io.telesignal.sip.transaction.Scheduler;
import io.telesignal.sip.transaction.TimerSettings;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A flood from one address: over UDP dropped silently, over TCP answered 503 with Retry-After. */
class SipFloodTest {
    private final EventLoops loops = new EventLoops(1);
    private final SipParser parser = new SipParser(SipLimits.DEFAULTS);
    private final SipFrontDoor door = new SipFrontDoor(Scheduler.on(loops.io().next()), TimerSettings.DEFAULTS);
    private final AddressLimiter limiter = new AddressLimiter(1, 3, 100, System::nanoTime);
    private final SipUdpTransport udp = new SipUdpTransport(parser, door, limiter);
    private final SipTcpTransport tcp = new SipTcpTransport(parser, door, Duration.ofSeconds(30), 100, limiter);

    @AfterEach
    void close() {
        udp.close();
        tcp.close();
        loops.shutdown(Duration.ofSeconds(2));
    }

    private static byte[] options(int n) {
        return ("OPTIONS sip:x.example.com SIP/2.0\r\nVia: SIP/2.0/UDP c.invalid;branch=z9hG4bKflood" + n + "\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:x.example.com>\r\nFrom: <sip:a@example.com>;tag=1\r\nCall-ID: f" + n
                + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void overUdpTheFloodIsDroppedWithoutAWord() throws Exception {
        InetSocketAddress address = udp.bind(loops, "127.0.0.1", 0);
        try (DatagramSocket socket = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 10; i++) {
                byte[] bytes = options(i);
                socket.send(new DatagramPacket(bytes, bytes.length, address));
            }
            socket.setSoTimeout(1000);
            int answers = 0;
            try {
                while (true) {
                    socket.receive(new DatagramPacket(new byte[4096], 4096));
                    answers++;
                }
            } catch (SocketTimeoutException done) {
                // no more
            }
            assertThat(answers).as("the burst is answered, the rest dropped").isEqualTo(3);
            assertThat(limiter.refused()).isEqualTo(7);
        }
    }

    @Test
    void overTcpTheFloodIsAnswered503WithRetryAfter() throws Exception {
        InetSocketAddress address = tcp.bind(loops, "127.0.0.1", 0);
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(5000);
            for (int i = 0; i < 6; i++) {
                socket.getOutputStream().write(options(i));
            }
            InputStream in = socket.getInputStream();
            List<Integer> statuses = new ArrayList<>();
            List<String> retryAfter = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                SipResponse r = read(in);
                statuses.add(r.status());
                r.first("Retry-After").ifPresent(retryAfter::add);
            }
            assertThat(statuses).containsExactly(200, 200, 200, 503, 503, 503);
            assertThat(retryAfter).containsExactly("1", "1", "1");
        }
    }

    private SipResponse read(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.read());
        }
        byte[] bytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        return (SipResponse) parser.parse(bytes, 0, bytes.length, false);
    }
}
