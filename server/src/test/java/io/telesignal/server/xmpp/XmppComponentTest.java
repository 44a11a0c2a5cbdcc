package io.telesignal.server.xmpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.net.tls.TlsContexts;
import io.telesignal.server.config.ConfigException;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * External components (XEP-0114) on a raw socket, as a gateway or a bot connects: the handshake, stanzas both ways
 * between the component and users (offline storage included), the server's disco listing it, and every refusal: an
 * unknown domain, a wrong secret, repeated wrong secrets (throttled), a connection past the limit, a second connection,
 * a forged {@code from}, a flood, a user writing to a component that is not connected, and a secrets file that is
 * wrong.
 */
class XmppComponentTest {
    private static final String BOT_SECRET = "the-bots-secret-of-16-chars";

    @TempDir
    Path dir;
    private TelesignalServer server;
    private SSLContext trust;
    private String alicePassword;
    private String bobPassword;

    private void start(String rate) throws Exception {
        start(rate, "100");
    }

    private void start(String rate, String maxConnections) throws Exception {
        Path secrets = Files.writeString(dir.resolve("components"), "# domain secret\nbot.localhost " + BOT_SECRET
                + "\n\nbridge.localhost another-secret-of-16-or-more\n");
        server = LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0", "xmpp.directTlsPort", "0",
                "xmpp.host", "127.0.0.1", "xmpp.components.enabled", "true", "xmpp.components.port", "0",
                "xmpp.components.secretsFile", secrets.toString(), "xmpp.components.stanzaRate", rate,
                "xmpp.components.stanzaBurst", rate, "xmpp.components.maxConnections", maxConnections);
        alicePassword = XmppTests.device(server, "alice");
        bobPassword = XmppTests.device(server, "bob");
        trust = TlsContexts.trustingOnly(dir.resolve("tls").resolve("selfsigned-cert.pem"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private int port() {
        return server.xmpp().orElseThrow().directTlsAddress().orElseThrow().getPort();
    }

    private int componentPort() {
        return server.xmpp().orElseThrow().componentAddress().orElseThrow().getPort();
    }

    @Test
    void aComponentSignsInAndExchangesStanzasWithUsersOnlineAndOffline() throws Exception {
        start("100");
        try (RawXmppClient bot = RawXmppClient.componentReady(componentPort(), "bot.localhost", BOT_SECRET);
                RawXmppClient alice = RawXmppClient.signedIn(trust, port(), "alice", alicePassword, "phone")) {
            // the server lists its components (XEP-0030 §4)
            alice.send("<iq type='get' to='localhost' id='items'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
            assertThat(alice.await("id=\"items\"")).contains("jid=\"bot.localhost\"", "jid=\"bridge.localhost\"");

            // a user to the component: its address stamped, in the component's namespace
            alice.send("<message to='echo@bot.localhost' type='chat' id='m1'><body>hi bot</body></message>");
            String atBot = bot.await("<body>hi bot</body>");
            assertThat(atBot).contains("<message xmlns=\"jabber:component:accept\"", "from=\"alice@localhost/phone\"",
                    "to=\"echo@bot.localhost\"");
            // the component back to the user, in the client's namespace
            bot.send("<message from='echo@bot.localhost' to='alice@localhost/phone' type='chat' id='r1'>"
                    + "<body>hello alice</body></message>");
            assertThat(alice.await("<body>hello alice</body>")).contains("from=\"echo@bot.localhost\"",
                    "<message xmlns=\"jabber:client\"");

            // an IQ to the component's domain and its answer
            alice.send("<iq type='get' to='bot.localhost' id='d1'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
            bot.await("id=\"d1\"");
            bot.send("<iq type='result' from='bot.localhost' to='alice@localhost/phone' id='d1'><query"
                    + " xmlns='http://jabber.org/protocol/disco#info'><identity category='gateway' type='sms' name='SMS'/>"
                    + "</query></iq>");
            assertThat(alice.await("category=\"gateway\"")).contains("id=\"d1\"", "from=\"bot.localhost\"");

            // directed presence from the user reaches the component, and the component's reaches the user
            alice.send("<presence to='echo@bot.localhost'/>");
            assertThat(bot.await("<presence")).contains("from=\"alice@localhost/phone\"");
            bot.send("<presence from='echo@bot.localhost' to='alice@localhost'/>");
            assertThat(alice.await("<presence xmlns=\"jabber:client\" from=\"echo@bot.localhost\""))
                    .contains("to=\"alice@localhost\"");

            // bob is away: a chat message from the component is kept for him, stamped
            bot.send("<message from='echo@bot.localhost' to='bob@localhost' type='chat' id='k1'><body>while away</body>"
                    + "</message>");
            // nobody of that name: service-unavailable; no server-to-server: remote-server-not-found
            bot.send("<message from='echo@bot.localhost' to='nobody@localhost' type='chat' id='x1'><body>?</body></message>");
            bot.send("<message from='echo@bot.localhost' to='carol@elsewhere.example' type='chat' id='x2'><body>?</body>"
                    + "</message>");
            assertThat(bot.await("id=\"x1\"")).contains("<service-unavailable");
            String text = bot.await("id=\"x2\"");
            assertThat(text.substring(text.indexOf("id=\"x2\"") - 200)).contains("<remote-server-not-found");
            assertThat(bot.received()).doesNotContain("id=\"k1\" type=\"error\"");
        }
        try (RawXmppClient bob = RawXmppClient.signedIn(trust, port(), "bob", bobPassword, "desk")) {
            assertThat(bob.await("<body>while away</body>")).contains("from=\"echo@bot.localhost\"", "urn:xmpp:delay");
        }
    }

    @Test
    void anUnknownDomainAWrongSecretAndASecondConnectionAreRefused() throws Exception {
        start("100");
        try (RawXmppClient unknown = RawXmppClient.component(componentPort(), "stranger.localhost")) {
            assertThat(unknown.await("</stream:error>")).contains("<host-unknown");
        }
        try (RawXmppClient wrong = RawXmppClient.component(componentPort(), "bot.localhost")) {
            wrong.send("<handshake>" + RawXmppClient.handshake(wrong.streamId(), "not the secret at all") + "</handshake>");
            assertThat(wrong.await("</stream:error>")).contains("<not-authorized").doesNotContain("<handshake/>");
        }
        try (RawXmppClient early = RawXmppClient.component(componentPort(), "bot.localhost")) {
            early.send("<message from='bot.localhost' to='alice@localhost'><body>before</body></message>");
            assertThat(early.await("</stream:error>")).contains("<not-authorized");
        }
        try (RawXmppClient first = RawXmppClient.componentReady(componentPort(), "bot.localhost", BOT_SECRET);
                RawXmppClient second = RawXmppClient.component(componentPort(), "bot.localhost")) {
            second.send("<handshake>" + RawXmppClient.handshake(second.streamId(), BOT_SECRET) + "</handshake>");
            assertThat(second.await("</stream:error>")).contains("<conflict");
            assertThat(first.received()).doesNotContain("stream:error");
        }
        // once the first is gone, the domain is free again
        XmppTests.await(() -> {
            try (RawXmppClient again = RawXmppClient.component(componentPort(), "bot.localhost")) {
                again.send("<handshake>" + RawXmppClient.handshake(again.streamId(), BOT_SECRET) + "</handshake>");
                long until = System.nanoTime() + 5_000_000_000L;
                while (System.nanoTime() < until) {
                    if (again.received().contains("<handshake/>")) {
                        return true;
                    }
                    if (again.received().contains("stream:error")) {
                        return false;
                    }
                    Thread.sleep(20);
                }
                return false;
            }
        });
    }

    @Test
    void aForgedFromAFloodAndAComponentThatIsAwayGetTheirErrors() throws Exception {
        start("5");
        try (RawXmppClient alice = RawXmppClient.signedIn(trust, port(), "alice", alicePassword, "phone")) {
            // bridge.localhost is configured but not connected
            alice.send("<message to='someone@bridge.localhost' type='chat' id='u1'><body>anyone?</body></message>");
            String text = alice.await("id=\"u1\"");
            assertThat(text.substring(text.indexOf("id=\"u1\"") - 150)).contains("type=\"error\"");
            assertThat(alice.await("<service-unavailable")).isNotNull();

            try (RawXmppClient bot = RawXmppClient.componentReady(componentPort(), "bot.localhost", BOT_SECRET)) {
                for (int i = 1; i <= 12; i++) {
                    bot.send("<message from='bot.localhost' to='alice@localhost/phone' type='chat' id='f" + i + "'>"
                            + "<body>flood " + i + "</body></message>");
                }
                String flooded = bot.await("</stream:error>");
                assertThat(flooded).contains("<resource-constraint", "<policy-violation");
            }
            alice.await("<body>flood 5</body>");
            assertThat(alice.received()).doesNotContain("<body>flood 12</body>");

            try (RawXmppClient bot = RawXmppClient.componentReady(componentPort(), "bot.localhost", BOT_SECRET)) {
                bot.send("<message from='alice@localhost' to='bob@localhost' type='chat'><body>forged</body></message>");
                assertThat(bot.await("</stream:error>")).contains("<invalid-from");
            }
        }
    }

    @Test
    void repeatedWrongHandshakesAreThrottledEvenForTheRightSecretAfterwards() throws Exception {
        start("100");
        for (int i = 0; i < 6; i++) { // signIn.freeFailuresPerLogin is 5: the sixth failure locks the domain
            try (RawXmppClient wrong = RawXmppClient.component(componentPort(), "bot.localhost")) {
                wrong.send("<handshake>" + RawXmppClient.handshake(wrong.streamId(), "guess-" + i) + "</handshake>");
                assertThat(wrong.await("</stream:error>")).contains("<not-authorized");
            }
        }
        try (RawXmppClient right = RawXmppClient.component(componentPort(), "bot.localhost")) {
            right.send("<handshake>" + RawXmppClient.handshake(right.streamId(), BOT_SECRET) + "</handshake>");
            assertThat(right.await("</stream:error>")).contains("<not-authorized", "too many failed handshakes")
                    .doesNotContain("<handshake/>");
        }
    }

    @Test
    void connectionsPastTheLimitAreClosedAtOnce() throws Exception {
        start("100", "1");
        try (RawXmppClient first = RawXmppClient.component(componentPort(), "bot.localhost");
                java.net.Socket second = new java.net.Socket("127.0.0.1", componentPort())) {
            second.setSoTimeout(5000);
            assertThat(second.getInputStream().read()).as("closed without a byte").isEqualTo(-1);
            assertThat(first.received()).doesNotContain("stream:error");
        }
    }

    @Test
    void aWrongSecretsFileStopsTheStartWithItsLine() throws Exception {
        Path secrets = Files.writeString(dir.resolve("bad"), "bot.localhost short\n");
        assertThatThrownBy(() -> LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0",
                "xmpp.directTlsPort", "0", "xmpp.components.enabled", "true", "xmpp.components.secretsFile",
                secrets.toString())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("xmpp.components.secretsFile").hasMessageContaining("line 1")
                .hasMessageContaining("at least 16");
        Path users = Files.writeString(dir.resolve("taken"), "localhost a-secret-of-16-or-more\n");
        assertThatThrownBy(() -> LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0",
                "xmpp.directTlsPort", "0", "xmpp.components.enabled", "true", "xmpp.components.secretsFile",
                users.toString())).isInstanceOf(ConfigException.class).hasMessageContaining("already served");
    }
}
