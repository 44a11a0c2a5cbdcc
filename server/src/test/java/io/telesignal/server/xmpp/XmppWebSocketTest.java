package io.telesignal.server.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.net.tls.TlsContexts;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * XMPP over WebSocket (RFC 7395) from a raw client (the JDK's WebSocket over WSS, subprotocol {@code xmpp}): open,
 * features with their own prefix declaration, PLAIN with a device password, a new open, binding, a ping, a message to
 * a TCP client's user, the close handshake, and a stream error that ends with a close.
 */
class XmppWebSocketTest {
    private static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";

    @TempDir
    Path dir;
    private TelesignalServer server;
    private String password;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.start(dir, "http.tls", "true", "xmpp.enabled", "true", "xmpp.port", "0",
                "xmpp.directTls", "false", "xmpp.host", "127.0.0.1", "xmpp.authFailureDelay", "0s");
        User alice = server.services().accounts().addWithoutPassword(new Login("alice"), "Alice", Set.of(Role.PROVIDER), "t");
        password = server.services().devicePasswords().create(alice, "browser", Optional.empty(), "t").password().orElseThrow();
        http = HttpClient.newBuilder().sslContext(TlsContexts.trustingOnly(dir.resolve("tls").resolve("selfsigned-cert.pem")))
                .build();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    /** One WebSocket with every message it receives, in order. */
    private final class Client implements WebSocket.Listener {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        final WebSocket socket;

        Client() throws Exception {
            socket = http.newWebSocketBuilder().subprotocols("xmpp")
                    .buildAsync(URI.create("wss://127.0.0.1:" + server.httpAddress().getPort() + "/xmpp"), this)
                    .get(10, TimeUnit.SECONDS);
            assertThat(socket.getSubprotocol()).isEqualTo("xmpp");
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        void send(String xml) throws Exception {
            socket.sendText(xml, true).get(10, TimeUnit.SECONDS);
        }

        String next() throws Exception {
            String message = received.poll(10, TimeUnit.SECONDS);
            assertThat(message).as("a message from the server").isNotNull();
            return message;
        }

        /** Skips messages until one contains {@code part}. */
        String until(String part) throws Exception {
            while (true) {
                String message = next();
                if (message.contains(part)) {
                    return message;
                }
            }
        }
    }

    private static String open() {
        return "<open xmlns='" + FRAMING + "' to='localhost' version='1.0'/>";
    }

    @Test
    void aWebSocketSessionSignsInBindsAndTalksToATcpClient() throws Exception {
        Client ws = new Client();
        ws.send(open());
        String opened = ws.next();
        assertThat(opened).startsWith("<open xmlns=\"" + FRAMING + "\"").contains("from=\"localhost\"", "version=\"1.0\"");
        String features = ws.next();
        assertThat(features).startsWith("<stream:features xmlns:stream=\"http://etherx.jabber.org/streams\">")
                .contains("<mechanism>PLAIN</mechanism>").doesNotContain("starttls");
        ws.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
                + Base64.getEncoder().encodeToString(("\0alice\0" + password).getBytes(StandardCharsets.UTF_8)) + "</auth>");
        assertThat(ws.next()).isEqualTo("<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>");
        ws.send(open());
        assertThat(ws.next()).startsWith("<open ");
        assertThat(ws.next()).contains("<bind xmlns=\"urn:ietf:params:xml:ns:xmpp-bind\"/>");
        ws.send("<iq xmlns='jabber:client' type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
                + "<resource>browser</resource></bind></iq>");
        assertThat(ws.next()).contains("<jid>alice@localhost/browser</jid>").startsWith("<iq xmlns=\"jabber:client\"");
        ws.send("<iq xmlns='jabber:client' type='get' id='p1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
        assertThat(ws.until("id=\"p1\"")).contains("type=\"result\"");
        // a message to itself comes back through the router, namespaced
        ws.send("<message xmlns='jabber:client' to='alice@localhost/browser' type='chat'><body>echo</body></message>");
        assertThat(ws.until("<body>echo</body>")).startsWith("<message xmlns=\"jabber:client\"")
                .contains("from=\"alice@localhost/browser\"");

        ws.send("<close xmlns='" + FRAMING + "'/>");
        assertThat(ws.until("<close")).isEqualTo("<close xmlns=\"" + FRAMING + "\"/>");
        assertThat(ws.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void aStreamErrorOverWebSocketEndsWithAClose() throws Exception {
        Client ws = new Client();
        ws.send(open());
        ws.until("stream:features");
        ws.send("<message xmlns='jabber:client'><body>unclosed</message>");
        assertThat(ws.until("stream:error")).contains("<not-well-formed xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/>")
                .contains("xmlns:stream=\"http://etherx.jabber.org/streams\"");
        assertThat(ws.next()).isEqualTo("<close xmlns=\"" + FRAMING + "\"/>");
        assertThat(ws.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);

        Client wrongDomain = new Client();
        wrongDomain.send("<open xmlns='" + FRAMING + "' to='elsewhere.example' version='1.0'/>");
        assertThat(wrongDomain.until("stream:error")).contains("<host-unknown ");
    }
}
