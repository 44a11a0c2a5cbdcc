package io.telesignal.sip.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.telesignal.net.tls.Certificates;
import io.telesignal.net.tls.ServerCertificate;
import io.telesignal.net.tls.TlsContexts;
import io.telesignal.net.tls.TlsSettings;
import io.telesignal.net.transport.EventLoops;
import io.telesignal.sip.SipFrontDoor;
import io.telesignal.sip.message.SipLimits;
import io.telesignal.sip.message.SipParser;
import io.telesignal.sip.message.SipResponse;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP over TLS (RFC 3261 §26.2): a client over TLS gets its answers and keepalives on its connection; connections the
 * server opens verify the peer's certificate and name, and fail as a flow when they cannot.
 */
class SipTlsTransportTest {
    @TempDir
    Path dir;

    private final EventLoops loops = new EventLoops(1);
    private final SipParser parser = new SipParser(SipLimits.DEFAULTS);
    private final SipFrontDoor door = new SipFrontDoor(io.telesignal.sip.transaction.Scheduler.on(loops.io().next()),
            io.telesignal.sip.transaction.TimerSettings.DEFAULTS);
    private final AddressLimiter limiter = new AddressLimiter(1000, 1000, 100, System::nanoTime);
    private SipTcpTransport tls;

    @AfterEach
    void close() {
        if (tls != null) {
            tls.close();
        }
        loops.shutdown(Duration.ofSeconds(2));
    }

    private ServerCertificate certificate() {
        return new Certificates(Clock.systemUTC()).resolve(TlsSettings.selfSigned(), dir);
    }

    private InetSocketAddress start(ServerCertificate certificate, SslContext client) {
        tls = new SipTcpTransport(parser, door, Duration.ofSeconds(30), 100, limiter,
                Optional.of(TlsContexts.server(certificate, List.of("TLSv1.3", "TLSv1.2"))), Optional.of(client));
        return tls.bind(loops, "127.0.0.1", 0);
    }

    @Test
    void aClientOverTlsIsAnsweredOnItsConnection() throws Exception {
        ServerCertificate certificate = certificate();
        InetSocketAddress address = start(certificate, TlsContexts.client(List.of("TLSv1.3")));
        try (SSLSocket socket = (SSLSocket) TlsContexts.trustingOnly(certificate.certificateFile()).getSocketFactory()
                .createSocket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS client.invalid;branch=z9hG4bKtls1\r\n"
                    + "Max-Forwards: 70\r\nTo: <sip:127.0.0.1>\r\nFrom: <sip:alice@example.com>;tag=1\r\nCall-ID: tls-1\r\n"
                    + "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            SipResponse ok = (SipResponse) parser.parseDatagram(readMessage(socket.getInputStream()));
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.vias().get(0).transport()).isEqualTo("TLS");
            assertThat(ok.vias().get(0).received()).contains("127.0.0.1");
            // RFC 5626 §3.5.1 keepalive over TLS: a double CRLF, a CRLF back
            socket.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(socket.getInputStream().read()).isEqualTo('\r');
            assertThat(socket.getInputStream().read()).isEqualTo('\n');
            assertThat(tls.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void connectionsItOpensVerifyThePeersCertificateAndName() throws Exception {
        ServerCertificate certificate = certificate();
        // trusting the peer's certificate (which names 127.0.0.1): the flow is there once the handshake is done
        InetSocketAddress address = start(certificate, SslContextBuilder.forClient()
                .trustManager(certificate.certificateFile().toFile()).build());
        Flow flow = tls.flow("TLS", address).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(flow.transport()).isEqualTo("TLS");
        assertThat(flow.reliable()).isTrue();
        assertThat(tls.flow("TLS", address).toCompletableFuture().get(10, TimeUnit.SECONDS)).as("reused").isSameAs(flow);
        tls.close();

        // the JVM's authorities do not know a self-signed certificate: no flow
        InetSocketAddress untrusted = start(certificate, TlsContexts.client(List.of("TLSv1.3", "TLSv1.2")));
        assertThatThrownBy(() -> tls.flow("TLS", untrusted).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(FlowFailedException.class);
    }

    /** One SIP message off a stream: its head, then Content-Length bytes. */
    private static byte[] readMessage(InputStream in) throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.UTF_8).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("closed");
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.UTF_8);
        int length = Integer.parseInt(text.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        head.write(in.readNBytes(length));
        return head.toByteArray();
    }
}
