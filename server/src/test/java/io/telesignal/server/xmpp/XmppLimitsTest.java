package io.telesignal.server.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.net.tls.TlsContexts;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The XMPP door's limits, each met as a client meets it: resources per user, contacts per roster, kept messages per
 * user, unacknowledged stanzas per session, and the server stopping under a connected client.
 */
class XmppLimitsTest {
    @TempDir
    Path dir;
    private TelesignalServer server;
    private SSLContext trust;
    private String alicePassword;
    private String bobPassword;
    private boolean stopped;

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0", "xmpp.directTlsPort", "0",
                "xmpp.host", "127.0.0.1", "xmpp.maxSessionsPerUser", "1", "xmpp.maxRosterItems", "1",
                "xmpp.maxOfflineMessages", "1", "xmpp.maxUnackedStanzas", "10");
        alicePassword = XmppTests.device(server, "alice");
        bobPassword = XmppTests.device(server, "bob");
        trust = TlsContexts.trustingOnly(dir.resolve("tls").resolve("selfsigned-cert.pem"));
    }

    @AfterEach
    void stop() {
        if (!stopped) {
            server.stop();
        }
    }

    private int port() {
        return server.xmpp().orElseThrow().directTlsAddress().orElseThrow().getPort();
    }

    @Test
    void oneResourceTooManyIsAResourceConstraint() throws Exception {
        try (RawXmppClient first = RawXmppClient.signedIn(trust, port(), "alice", alicePassword, "phone");
                RawXmppClient second = RawXmppClient.authenticated(trust, port(), "alice", alicePassword)) {
            second.send("<iq type='set' id='b2'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>tablet</resource>"
                    + "</bind></iq>");
            assertThat(second.await("id=\"b2\"")).contains("type=\"error\"", "<resource-constraint");
            assertThat(first.received()).doesNotContain("stream:error");
        }
    }

    @Test
    void aFullRosterAndAFullOfflineStoreAreRefused() throws Exception {
        try (RawXmppClient alice = RawXmppClient.signedIn(trust, port(), "alice", alicePassword, "phone")) {
            alice.send("<iq type='set' id='r1'><query xmlns='jabber:iq:roster'><item jid='bob@localhost'/></query></iq>");
            assertThat(alice.await("id=\"r1\"")).contains("type=\"result\" id=\"r1\"");
            alice.send("<iq type='set' id='r2'><query xmlns='jabber:iq:roster'><item jid='carol@localhost'/></query></iq>");
            assertThat(alice.await("id=\"r2\"")).contains("<not-allowed");

            alice.send("<message to='bob@localhost' type='chat' id='m1'><body>kept</body></message>");
            alice.send("<message to='bob@localhost' type='chat' id='m2'><body>no room</body></message>");
            String text = alice.await("id=\"m2\"");
            assertThat(text).contains("<service-unavailable").doesNotContain("id=\"m1\"");
        }
    }

    @Test
    void aClientThatNeverAcknowledgesIsCutOffAndKeepsItsMessages() throws Exception {
        try (RawXmppClient alice = RawXmppClient.signedIn(trust, port(), "alice", alicePassword, "phone");
                RawXmppClient bob = RawXmppClient.signedIn(trust, port(), "bob", bobPassword, "desk")) {
            bob.send("<enable xmlns='urn:xmpp:sm:3'/>");
            bob.await("<enabled");
            for (int i = 1; i <= 12; i++) {
                alice.send("<message to='bob@localhost/desk' type='chat'><body>n" + i + "</body></message>");
            }
            assertThat(bob.await("stream:error")).contains("<policy-violation");
        }
        // what bob never acknowledged waits offline (at most xmpp.maxOfflineMessages of it)
        try (RawXmppClient bob = RawXmppClient.signedIn(trust, port(), "bob", bobPassword, "tablet")) {
            assertThat(bob.await("<body>n1</body>")).contains("from=\"alice@localhost/phone\"");
        }
    }

    @Test
    void stoppingTheServerEndsEveryStreamWithSystemShutdown() throws Exception {
        try (RawXmppClient alice = RawXmppClient.signedIn(trust, port(), "alice", alicePassword, "phone")) {
            server.stop();
            stopped = true;
            assertThat(alice.await("stream:error")).contains("<system-shutdown");
        }
    }
}
