package io.telesignal.server.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.net.tls.TlsContexts;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each stream error of the XMPP door from a raw socket, as a misbehaving client meets it: the condition in the
 * streams namespace, then the stream's end, and the connection closed; other sessions go on.
 */
class XmppStreamErrorsTest {
    private static final String HEADER = "<?xml version='1.0'?><stream:stream to='localhost' version='1.0'"
            + " xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

    @TempDir
    Path dir;
    private TelesignalServer server;
    private SSLContext trust;
    private String password;
    private User alice;

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0", "xmpp.directTlsPort", "0",
                "xmpp.host", "127.0.0.1", "xmpp.authFailureDelay", "0s", "xmpp.maxStanzaBytes", "10000",
                "xmpp.stanzaRate", "5", "xmpp.stanzaBurst", "10");
        alice = server.services().accounts().addWithoutPassword(new Login("alice"), "Alice", Set.of(Role.PROVIDER), "t");
        password = server.services().devicePasswords().create(alice, "raw", Optional.empty(), "t").password().orElseThrow();
        trust = TlsContexts.trustingOnly(dir.resolve("tls").resolve("selfsigned-cert.pem"));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void beforeTls() throws Exception {
        assertStreamError(plain(HEADER + "<message to='bob@localhost'><body>x</body></message>"), "policy-violation");
        assertStreamError(plain(HEADER.replace("to='localhost'", "to='elsewhere.example'")), "host-unknown");
        assertStreamError(plain(HEADER.replace("version='1.0' xmlns", "version='2.0' xmlns")), "unsupported-version");
        assertStreamError(plain(HEADER + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><a></b></starttls>"),
                "not-well-formed");
        assertStreamError(plain(HEADER + "<!-- hello -->"), "restricted-xml");
        assertStreamError(plain("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]>" + HEADER.substring(21)), "restricted-xml");
        assertStreamError(plain(HEADER.replace("jabber:client", "jabber:server")), "invalid-namespace");
        assertStreamError(plain(HEADER.replace("xmlns:stream=", "xmlns:s=").replace("<stream:stream", "<s:stream")),
                "bad-namespace-prefix");
        assertStreamError(plain(HEADER + "some text"), "bad-format");
        String features = plain(HEADER + " ");
        assertThat(features).contains("<starttls xmlns=\"urn:ietf:params:xml:ns:xmpp-tls\"><required/></starttls>");
    }

    @Test
    void afterTlsBeforeAuthenticationAndBinding() throws Exception {
        String offered = tls(HEADER + " ");
        assertThat(offered).contains("<mechanism>SCRAM-SHA-256</mechanism>", "<mechanism>SCRAM-SHA-1</mechanism>",
                "<mechanism>PLAIN</mechanism>").doesNotContain("starttls");
        assertStreamError(tls(HEADER + "<message to='bob@localhost'><body>x</body></message>"), "not-authorized");
        assertStreamError(tls(HEADER + plainAuth(password), HEADER + "<message to='bob@localhost'/>"), "not-authorized");
        String wrong = tls(HEADER + plainAuth("wrong"), plainAuth("wrong"), plainAuth("wrong"));
        assertThat(wrong).contains("<failure xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"><not-authorized/></failure>");
        assertStreamError(wrong, "policy-violation");
        assertThat(tls(HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='X-UNKNOWN'>=</auth>"))
                .contains("<invalid-mechanism/>");
        assertThat(tls(HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>not base64!</auth>"))
                .contains("<incorrect-encoding/>");
        assertThat(tls(HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
                + b64("bob@localhost\0alice\0" + password) + "</auth>")).contains("<invalid-authzid/>");
    }

    @Test
    void afterBinding() throws Exception {
        String auth = HEADER + plainAuth(password);
        String bind = HEADER
                + "<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>raw</resource></bind></iq>";
        assertStreamError(tls(auth, bind, "<message from='bob@localhost/x' to='alice@localhost'/>"), "invalid-from");
        assertStreamError(tls(auth, bind, "<message to='alice@localhost'><body>" + "x".repeat(12_000) + "</body></message>"),
                "policy-violation");
        assertStreamError(tls(auth, bind, "<thing xmlns='urn:example'/>"), "unsupported-stanza-type");
        // the same resource bound by a second session: the first one's stream ends with conflict
        try (Socket first = trust.getSocketFactory().createSocket("127.0.0.1",
                server.xmpp().orElseThrow().directTlsAddress().orElseThrow().getPort())) {
            String before = exchange(first, auth, bind, " ");
            assertThat(before).contains("<jid>alice@localhost/raw</jid>");
            assertThat(tls(auth, bind)).contains("<jid>alice@localhost/raw</jid>");
            assertStreamError(exchange(first, " "), "conflict");
        }
        String flood = tls(auth, bind, "<iq type='get' id='p' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>".repeat(40));
        assertThat(flood).contains("<resource-constraint xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/>");
        assertStreamError(flood, "policy-violation");
        // the server goes on: a well-behaved session binds and is answered
        String fine = tls(auth, bind, "<iq type='get' id='ping1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq></stream:stream>");
        assertThat(fine).contains("<jid>alice@localhost/raw</jid>").contains("type=\"result\" id=\"ping1\"");
    }

    @Test
    void oauthBearerWithTheWebUsersToken() throws Exception {
        String token = server.services().tokens().issue(alice.id(), alice.roles(), Optional.empty()).jwt();
        String good = tls(HEADER + bearer("n,a=alice@localhost,", token), HEADER
                + "<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>web</resource></bind></iq>");
        assertThat(good).contains("<mechanism>OAUTHBEARER</mechanism>", "<success xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"/>",
                "<jid>alice@localhost/web</jid>");
        // a bad token: the RFC 7628 error challenge, the client's acknowledgement, then the failure
        String bad = tls(HEADER + bearer("n,,", token + "x"),
                "<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>AQ==</response>");
        assertThat(bad).contains("<challenge xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\">" + b64("{\"status\":\"invalid_token\"}"))
                .contains("<failure xmlns=\"urn:ietf:params:xml:ns:xmpp-sasl\"><not-authorized/></failure>");
        // someone else's authorization identity
        assertThat(tls(HEADER + bearer("n,a=bob@localhost,", token), "<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>AQ==</response>"))
                .contains("<not-authorized/>").doesNotContain("<success");
        assertThat(tls(HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='OAUTHBEARER'>" + b64("garbage")
                + "</auth>")).contains("<malformed-request/>");
    }

    /** SCRAM-SHA-256-PLUS with tls-server-end-point (RFC 5802 §6, RFC 5929), computed as a client does. */
    @Test
    void scramPlusBindsToTheTlsChannel() throws Exception {
        int port = server.xmpp().orElseThrow().directTlsAddress().orElseThrow().getPort();
        try (RawXmppClient client = RawXmppClient.opened(trust, port)) {
            assertThat(client.received()).contains("<mechanism>SCRAM-SHA-256-PLUS</mechanism>",
                    "<mechanism>SCRAM-SHA-1-PLUS</mechanism>", "<channel-binding type=\"tls-server-end-point\"/>");
            byte[] endPoint = java.security.MessageDigest.getInstance("SHA-256").digest(client.serverCertificate().getEncoded());
            String outcome = scramPlus(client, endPoint);
            assertThat(outcome).startsWith("<success");
        }
        try (RawXmppClient client = RawXmppClient.opened(trust, port)) {
            assertThat(scramPlus(client, new byte[32])).as("bound to another channel").contains("<not-authorized/>");
        }
        // the downgrade: a client that could bind says "y" although the server offered -PLUS
        try (RawXmppClient client = RawXmppClient.opened(trust, port)) {
            client.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256'>"
                    + b64("y,,n=alice,r=abcdefghijkl") + "</auth>");
            assertThat(client.await("<failure")).contains("<not-authorized/>");
        }
    }

    /** Runs the exchange; answers the server's last SASL element. */
    private String scramPlus(RawXmppClient client, byte[] binding) throws Exception {
        String gs2 = "p=tls-server-end-point,,";
        String first = "n=alice,r=cnonce0123456789";
        client.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-256-PLUS'>" + b64(gs2 + first)
                + "</auth>");
        String text = client.await("</challenge>");
        String challenge = text.substring(text.indexOf("<challenge"));
        challenge = challenge.substring(challenge.indexOf('>') + 1, challenge.indexOf("</challenge>"));
        String serverFirst = new String(Base64.getDecoder().decode(challenge), StandardCharsets.UTF_8);
        String nonce = serverFirst.split(",")[0].substring(2);
        byte[] salt = Base64.getDecoder().decode(serverFirst.split(",")[1].substring(2));
        int iterations = Integer.parseInt(serverFirst.split(",")[2].substring(2));
        byte[] salted = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(
                new javax.crypto.spec.PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] storedKey = java.security.MessageDigest.getInstance("SHA-256").digest(clientKey);
        byte[] header = gs2.getBytes(StandardCharsets.UTF_8);
        byte[] cbind = java.util.Arrays.copyOf(header, header.length + binding.length);
        System.arraycopy(binding, 0, cbind, header.length, binding.length);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(cbind) + ",r=" + nonce;
        String authMessage = first + "," + serverFirst + "," + withoutProof;
        byte[] signature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        client.send("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                + b64(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)) + "</response>");
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!client.received().contains("</success>") && !client.received().contains("</failure>")
                && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        String done = client.received();
        String last = done.substring(Math.max(done.lastIndexOf("<success"), done.lastIndexOf("<failure")));
        if (last.startsWith("<success")) {
            String expected = "v=" + Base64.getEncoder().encodeToString(hmac(hmac(salted, "Server Key"), authMessage));
            String additional = last.substring(last.indexOf('>') + 1, last.indexOf("</success>"));
            assertThat(new String(Base64.getDecoder().decode(additional), StandardCharsets.UTF_8)).isEqualTo(expected);
        }
        return last;
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String bearer(String gs2, String token) {
        return "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='OAUTHBEARER'>"
                + b64(gs2 + "\u0001auth=Bearer " + token + "\u0001\u0001") + "</auth>";
    }

    private static String plainAuth(String password) {
        return "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + b64("\0alice\0" + password) + "</auth>";
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertStreamError(String received, String condition) {
        assertThat(received).as(received).contains("<stream:error><" + condition
                + " xmlns=\"urn:ietf:params:xml:ns:xmpp-streams\"/>").endsWith("</stream:stream>");
    }

    private String plain(String... send) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.xmpp().orElseThrow().tcpAddress().getPort())) {
            return exchange(socket, send);
        }
    }

    private String tls(String... send) throws Exception {
        try (Socket socket = trust.getSocketFactory().createSocket("127.0.0.1",
                server.xmpp().orElseThrow().directTlsAddress().orElseThrow().getPort())) {
            return exchange(socket, send);
        }
    }

    /**
     * Sends each step once the server has answered the one before (quiet for 500 ms: a client waits for the SASL
     * success before its new stream header), then reads until the server closes the connection or is quiet for 2 s.
     */
    private static String exchange(Socket socket, String... steps) throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        for (int i = 0; i < steps.length; i++) {
            socket.setSoTimeout(i == steps.length - 1 ? 2000 : 500);
            try {
                out.write(steps[i].getBytes(StandardCharsets.UTF_8));
                out.flush();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received.write(buffer, 0, n);
                }
                break; // closed by the server
            } catch (SocketTimeoutException quiet) {
                // the server is waiting for more
            } catch (java.net.SocketException reset) {
                break; // closed while we were still writing
            }
        }
        return received.toString(StandardCharsets.UTF_8);
    }
}
