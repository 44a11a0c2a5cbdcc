package io.telesignal.server.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.net.tls.TlsContexts;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client state indication (XEP-0352) on raw streams: an inactive client is sent a contact's presence only when
 * something it needs comes (a message with a body), then the last presence first and the message after it; becoming
 * active brings what waits; more than {@code xmpp.maxHeldWhileInactive} waiting go out anyway.
 */
class XmppClientStateTest {
    @TempDir
    Path dir;
    private TelesignalServer server;
    private SSLContext trust;
    private int port;
    private String alicePassword;
    private String bobPassword;

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0", "xmpp.directTlsPort", "0",
                "xmpp.host", "127.0.0.1", "xmpp.maxHeldWhileInactive", "3");
        trust = TlsContexts.trustingOnly(dir.resolve("tls").resolve("selfsigned-cert.pem"));
        port = server.xmpp().orElseThrow().directTlsAddress().orElseThrow().getPort();
        alicePassword = XmppTests.device(server, "alice");
        bobPassword = XmppTests.device(server, "bob");
        XmppTests.mutual(server, "alice", "bob");
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    /** Bob, signed in and available, tells the server he is inactive, and knows it took it. */
    private RawXmppClient inactiveBob() throws Exception {
        RawXmppClient bob = RawXmppClient.signedIn(trust, port, "bob", bobPassword, "phone");
        bob.send("<inactive xmlns='urn:xmpp:csi:0'/><iq type='get' id='ready'><ping xmlns='urn:xmpp:ping'/></iq>");
        bob.await("id=\"ready\"");
        return bob;
    }

    @Test
    void presenceWaitsForWhatTheClientNeedsAndOnlyTheLastOfItComes() throws Exception {
        try (RawXmppClient alice = RawXmppClient.signedIn(trust, port, "alice", alicePassword, "desk", "")) {
            assertThat(alice.await("</stream:features>")).contains("<csi xmlns=\"urn:xmpp:csi:0\"/>");
            try (RawXmppClient bob = inactiveBob()) {
                alice.send("<presence><status>one</status></presence><presence><status>two</status></presence>"
                        + "<presence><status>three</status></presence>");
                alice.send("<message to='bob@localhost' type='chat' id='m1'><body>are you there?</body></message>");
                String got = bob.await("are you there?");
                assertThat(got).doesNotContain("<status>one</status>").doesNotContain("<status>two</status>");
                assertThat(got.indexOf("<status>three</status>")).isPositive().isLessThan(got.indexOf("are you there?"));

                // active again: what waits comes at once
                alice.send("<presence><show>away</show><status>four</status></presence>"
                        + "<iq type='get' id='sent4'><ping xmlns='urn:xmpp:ping'/></iq>");
                alice.await("id=\"sent4\"");
                bob.send("<active xmlns='urn:xmpp:csi:0'/>");
                bob.await("<status>four</status>");
            }
        }
    }

    @Test
    void moreThanTheLimitWaitingGoOutAnyway() throws Exception {
        try (RawXmppClient bob = inactiveBob()) {
            // five resources of alice: five senders (and alice's overall presence, a sixth), more than three may wait
            List<RawXmppClient> resources = new java.util.ArrayList<>();
            try {
                for (int i = 1; i <= 5; i++) {
                    RawXmppClient resource = RawXmppClient.signedIn(trust, port, "alice", alicePassword, "r" + i, "");
                    resources.add(resource);
                    resource.send("<presence><status>resource " + i + "</status></presence>");
                }
                // the first ones went out when the fourth sender had to wait, without bob asking
                bob.await("<status>resource 1</status>");
                bob.await("<status>resource 2</status>");
                bob.send("<active xmlns='urn:xmpp:csi:0'/>");
                bob.await("<status>resource 5</status>");
            } finally {
                for (RawXmppClient resource : resources) {
                    resource.close();
                }
            }
        }
    }

    @Test
    void anElementOfTheNamespaceOtherThanActiveOrInactiveEndsTheStream() throws Exception {
        try (RawXmppClient bob = RawXmppClient.signedIn(trust, port, "bob", bobPassword, "phone")) {
            bob.send("<sleepy xmlns='urn:xmpp:csi:0'/>");
            assertThat(bob.await("</stream:stream>")).contains("<unsupported-stanza-type");
        }
    }
}
