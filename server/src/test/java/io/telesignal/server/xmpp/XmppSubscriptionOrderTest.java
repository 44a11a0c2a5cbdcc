package io.telesignal.server.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.Login;
import io.telesignal.core.roster.RosterItem;
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
 * Subscription stanzas sent back to back (RFC 6121 §3) take effect in the order sent and none is lost to another
 * crossing it: a user denies a contact's request and asks for the contact's presence in one breath, the contact
 * approves at once, and the user ends up subscribed, every time. (Conformance suites do exactly this between tests.)
 */
class XmppSubscriptionOrderTest {
    @TempDir
    Path dir;
    private TelesignalServer server;
    private SSLContext trust;

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0", "xmpp.directTlsPort", "0",
                "xmpp.host", "127.0.0.1");
        trust = TlsContexts.trustingOnly(dir.resolve("tls").resolve("selfsigned-cert.pem"));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void aDenialAndARequestSentTogetherBothTakeEffectAndTheApprovalLands() throws Exception {
        String alicePassword = XmppTests.device(server, "alice");
        String bobPassword = XmppTests.device(server, "bob");
        int port = server.xmpp().orElseThrow().directTlsAddress().orElseThrow().getPort();
        var rosters = server.services().store().rosters();
        var bobId = server.services().accounts().find(new Login("bob")).orElseThrow().id();
        var aliceId = server.services().accounts().find(new Login("alice")).orElseThrow().id();
        try (RawXmppClient alice = RawXmppClient.signedIn(trust, port, "alice", alicePassword, "desk");
                RawXmppClient bob = RawXmppClient.signedIn(trust, port, "bob", bobPassword, "desk")) {
            for (int round = 0; round < 20; round++) {
                // alice asks for bob's presence; bob denies it and asks for hers, back to back; she approves
                alice.send("<presence type='subscribe' to='bob@localhost'/>");
                bob.awaitCount("type=\"subscribe\" from=\"alice@localhost\"", round + 1);
                bob.send("<presence type='unsubscribed' to='alice@localhost'/><presence type='subscribe' to='alice@localhost'/>");
                alice.awaitCount("type=\"subscribe\" from=\"bob@localhost\"", round + 1);
                alice.send("<presence type='subscribed' to='bob@localhost'/>");
                bob.awaitCount("type=\"subscribed\" from=\"alice@localhost\"", round + 1);
                XmppTests.await(() -> rosters.find(bobId, "alice@localhost").map(i -> i.subscription().to()).orElse(false));
                assertThat(rosters.find(bobId, "alice@localhost").orElseThrow().subscription().from()).isFalse();
                assertThat(rosters.find(aliceId, "bob@localhost").orElseThrow().subscription())
                        .isEqualTo(RosterItem.Subscription.FROM);
                // and back to nothing for the next round
                bob.send("<presence type='unsubscribe' to='alice@localhost'/>");
                XmppTests.await(() -> rosters.find(aliceId, "bob@localhost").map(i -> !i.subscription().from())
                        .orElse(true) && rosters.find(bobId, "alice@localhost").map(i -> !i.subscription().to()).orElse(true));
            }
        }
    }
}
