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
 * Call setup over XMPP between full JIDs: Jingle Message Initiation (XEP-0353) to the callee's bare JID reaches all of
 * its resources, one proceeds, and a Jingle session (XEP-0166, RTP XEP-0167, ICE-UDP XEP-0176) is initiated, answered
 * and ended by IQs routed between the two full JIDs, with every {@code from} stamped by the server.
 */
class XmppJingleTest {
    private static final String JINGLE = "urn:xmpp:jingle:1";
    private static final String JMI = "urn:xmpp:jingle-message:0";

    @TempDir
    Path dir;
    private TelesignalServer server;
    private SSLContext trust;
    private String alicePassword;
    private String bobPassword;

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0", "xmpp.directTlsPort", "0",
                "xmpp.host", "127.0.0.1");
        alicePassword = XmppTests.device(server, "alice");
        bobPassword = XmppTests.device(server, "bob");
        trust = TlsContexts.trustingOnly(dir.resolve("tls").resolve("selfsigned-cert.pem"));
    }


    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void jingleMessageInitiationThenASessionBetweenFullJids() throws Exception {
        int port = server.xmpp().orElseThrow().directTlsAddress().orElseThrow().getPort();
        try (RawXmppClient alice = RawXmppClient.signedIn(trust, port, "alice", alicePassword, "laptop");
                RawXmppClient bobPhone = RawXmppClient.signedIn(trust, port, "bob", bobPassword, "phone");
                RawXmppClient bobDesk = RawXmppClient.signedIn(trust, port, "bob", bobPassword, "desk")) {
            // XEP-0353: the proposal to the bare JID rings every resource
            alice.send("<message to='bob@localhost' type='chat' id='p1'><propose xmlns='" + JMI + "' id='call-1'>"
                    + "<description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/></propose></message>");
            for (RawXmppClient bob : new RawXmppClient[] {bobPhone, bobDesk}) {
                assertThat(bob.await("<propose")).contains("from=\"alice@localhost/laptop\"");
            }
            bobDesk.send("<message to='alice@localhost/laptop' type='chat' id='p2'><proceed xmlns='" + JMI
                    + "' id='call-1'/></message>");
            assertThat(alice.await("<proceed")).contains("from=\"bob@localhost/desk\"");

            // XEP-0166: session-initiate to the full JID that proceeded, acknowledged, accepted, terminated
            alice.send("<iq to='bob@localhost/desk' type='set' id='j1'><jingle xmlns='" + JINGLE + "'"
                    + " action='session-initiate' initiator='alice@localhost/laptop' sid='call-1'><content creator='initiator'"
                    + " name='voice'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'><payload-type id='111'"
                    + " name='opus' clockrate='48000' channels='2'/></description><transport"
                    + " xmlns='urn:xmpp:jingle:transports:ice-udp:1' pwd='asd88fgpdd777uzjYhagZg' ufrag='8hhy'>"
                    + "<candidate component='1' foundation='1' generation='0' id='el0747fg11' ip='192.0.2.10' network='1'"
                    + " port='8998' priority='2130706431' protocol='udp' type='host'/></transport></content></jingle></iq>");
            String atDesk = bobDesk.await("session-initiate");
            assertThat(atDesk).contains("from=\"alice@localhost/laptop\"", "<candidate ", "name=\"opus\"");
            assertThat(bobPhone.received()).doesNotContain("session-initiate");
            bobDesk.send("<iq to='alice@localhost/laptop' type='result' id='j1'/>");
            assertThat(alice.await("id=\"j1\"")).contains("type=\"result\" id=\"j1\" from=\"bob@localhost/desk\"");
            bobDesk.send("<iq to='alice@localhost/laptop' type='set' id='j2'><jingle xmlns='" + JINGLE + "'"
                    + " action='session-accept' responder='bob@localhost/desk' sid='call-1'/></iq>");
            assertThat(alice.await("session-accept")).contains("from=\"bob@localhost/desk\"");
            alice.send("<iq to='bob@localhost/desk' type='result' id='j2'/>");
            alice.send("<iq to='bob@localhost/desk' type='set' id='j3'><jingle xmlns='" + JINGLE + "'"
                    + " action='session-terminate' sid='call-1'><reason><success/></reason></jingle></iq>");
            assertThat(bobDesk.await("session-terminate")).contains("<success/>");

            // a session-initiate to a resource that is gone is answered service-unavailable
            alice.send("<iq to='bob@localhost/tablet' type='set' id='j4'><jingle xmlns='" + JINGLE + "'"
                    + " action='session-initiate' sid='call-2'/></iq>");
            assertThat(alice.await("id=\"j4\"")).contains("<service-unavailable");
        }
    }
}
