package io.telesignal.net.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tls.provider}: auto picks BoringSSL on this platform (Linux x86-64, as CI runs), and each implementation
 * completes a handshake with the JDK's client, at each configured protocol version, and hands a client the
 * certificate the server was given (what SCRAM's tls-server-end-point binding hashes).
 */
class TlsProviderTest {
    @TempDir
    Path dataDir;

    @Test
    void autoIsBoringSslWhereItLoads() {
        boolean linuxX64 = System.getProperty("os.name").startsWith("Linux")
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
        if (linuxX64) {
            assertThat(io.netty.handler.ssl.OpenSsl.isAvailable()).as("BoringSSL loads on Linux x86-64").isTrue();
            assertThat(TlsContexts.resolve(TlsContexts.Provider.AUTO)).isEqualTo(SslProvider.OPENSSL);
        } else {
            assertThat(TlsContexts.resolve(TlsContexts.Provider.AUTO)).isIn(SslProvider.OPENSSL, SslProvider.JDK);
        }
        assertThat(TlsContexts.resolve(TlsContexts.Provider.JDK)).isEqualTo(SslProvider.JDK);
    }

    @Test
    void eachImplementationShakesHandsWithTheJdksClientAtBothVersions() throws Exception {
        ServerCertificate certificate = new Certificates(Clock.systemUTC()).resolve(TlsSettings.selfSigned(), dataDir);
        javax.net.ssl.SSLContext client = TlsContexts.trustingOnly(certificate.certificateFile());
        for (TlsContexts.Provider provider : List.of(TlsContexts.Provider.OPENSSL, TlsContexts.Provider.JDK)) {
            for (String version : List.of("TLSv1.3", "TLSv1.2")) {
                SslContext server = TlsContexts.server(certificate, List.of(version), provider);
                SSLEngine serverEngine = server.newEngine(ByteBufAllocator.DEFAULT);
                SSLEngine clientEngine = client.createSSLEngine("localhost", 443);
                clientEngine.setUseClientMode(true);
                handshake(clientEngine, serverEngine);
                SSLSession session = clientEngine.getSession();
                assertThat(session.getProtocol()).as(provider + " " + version).isEqualTo(version);
                assertThat(session.getPeerCertificates()[0].getEncoded())
                        .isEqualTo(serverEngine.getSession().getLocalCertificates()[0].getEncoded());
                io.netty.util.ReferenceCountUtil.release(serverEngine);
            }
        }
    }

    /** Runs both engines against each other in memory until both are done handshaking. */
    private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
        int size = 64 * 1024;
        ByteBuffer toServer = ByteBuffer.allocate(size);
        ByteBuffer toClient = ByteBuffer.allocate(size);
        ByteBuffer sink = ByteBuffer.allocate(size);
        ByteBuffer empty = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 200; round++) {
            boolean clientDone = done(client);
            boolean serverDone = done(server);
            if (clientDone && (serverDone || round > 20) && toServer.position() == 0 && toClient.position() == 0) {
                // BoringSSL's engine may say NEED_UNWRAP until application data comes: the proof is that data passes
                assertThat(exchange(client, server, "hello from the client")).isEqualTo("hello from the client");
                assertThat(exchange(server, client, "hello from the server")).isEqualTo("hello from the server");
                return;
            }
            step(client, toServer, toClient, sink, empty);
            step(server, toClient, toServer, sink, empty);
        }
        throw new AssertionError("no handshake in 200 rounds: client " + client.getHandshakeStatus() + ", server "
                + server.getHandshakeStatus() + ", to server " + toServer.position() + ", to client " + toClient.position());
    }

    /** Application data from one engine to the other: what the receiver reads. */
    private static String exchange(SSLEngine from, SSLEngine to, String text) throws Exception {
        ByteBuffer wire = ByteBuffer.allocate(64 * 1024);
        from.wrap(ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), wire);
        wire.flip();
        ByteBuffer plain = ByteBuffer.allocate(64 * 1024);
        for (int i = 0; i < 10 && wire.hasRemaining(); i++) {
            to.unwrap(wire, plain);
        }
        plain.flip();
        return java.nio.charset.StandardCharsets.UTF_8.decode(plain).toString();
    }

    private static boolean done(SSLEngine engine) {
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }

    /** One turn of an engine: run its tasks, read what the peer wrote, write what it has to say. */
    private static void step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer sink, ByteBuffer empty)
            throws Exception {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        in.flip();
        while (in.hasRemaining()) {
            sink.clear();
            var result = engine.unwrap(in, sink);
            if (result.bytesConsumed() == 0) {
                break;
            }
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
        }
        in.compact();
        for (int i = 0; i < 10 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
            engine.wrap(empty, out);
        }
    }
}
