package io.telesignal.server.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.net.tls.TlsContexts;
import io.telesignal.server.testing.ClusterProcesses;
import io.telesignal.server.testing.Ports;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node holding stream-managed XMPP sessions is killed (SIGKILL: nothing of it runs again) while its clients have
 * messages they never acknowledged. Two node processes on the machine's Redis and PostgreSQL. The client that resumes
 * through the other node gets exactly what it had not acknowledged; the one that never comes back gets its messages
 * on another resource once the dead node is cleaned up. Nothing is lost.
 */
class XmppNodeLossIT {
    private static final String ALICE = "alice's xmpp password 1";
    private static final String BOB = "bob's xmpp password 22";
    private static final String CAROL = "carol's xmpp password 333";
    private static final String DAVE = "dave's xmpp password 4444";

    @TempDir
    Path dir;

    @Test
    void whatTheDeadNodesClientsNeverAcknowledgedReachesThemThroughTheOtherNode() throws Exception {
        ClusterProcesses.requireHaproxy("XmppNodeLossIT");
        int[] tls = {Ports.free(), Ports.free()};
        try (ClusterProcesses cluster = ClusterProcesses.start(dir, List.of("n1", "n2"), "first",
                Map.of("TELESIGNAL_XMPP_ENABLED", "true", "TELESIGNAL_XMPP_HOST", "127.0.0.1", "TELESIGNAL_XMPP_PORT", "0",
                        "TELESIGNAL_CLUSTER_CLEANUP_GRACE", "2s"),
                name -> Map.of("TELESIGNAL_XMPP_DIRECT_TLS_PORT", String.valueOf(tls[name.equals("n1") ? 0 : 1])))) {
            cluster.seedDeviceUsers(dir.resolve("seed"), Map.of("alice", ALICE, "bob", BOB, "carol", CAROL, "dave", DAVE));
            SSLContext trust1 = TlsContexts.trustingOnly(dir.resolve("n1").resolve("tls").resolve("selfsigned-cert.pem"));
            SSLContext trust2 = TlsContexts.trustingOnly(dir.resolve("n2").resolve("tls").resolve("selfsigned-cert.pem"));
            try (RawXmppClient alice = RawXmppClient.signedIn(trust2, tls[1], "alice", ALICE, "laptop");
                    RawXmppClient bob = RawXmppClient.signedIn(trust1, tls[0], "bob", BOB, "phone");
                    RawXmppClient carol = RawXmppClient.signedIn(trust1, tls[0], "carol", CAROL, "phone");
                    RawXmppClient dave = RawXmppClient.signedIn(trust1, tls[0], "dave", DAVE, "phone")) {
                String bobId = bob.enableResumption();
                carol.enableResumption();
                dave.enableResumption();
                for (String to : List.of("bob", "carol", "dave")) {
                    for (int i = 1; i <= 3; i++) {
                        alice.send("<message to='" + to + "@localhost/phone' type='chat' id='" + to + i + "'><body>" + to
                                + " " + i + "</body></message>");
                    }
                }
                bob.await("<body>bob 3</body>");
                carol.await("<body>carol 3</body>");
                dave.await("<body>dave 3</body>");
                // bob acknowledges the first; neither acknowledges anything else. Then n1 dies.
                bob.send("<a xmlns='urn:xmpp:sm:3' h='1'/>");
                Thread.sleep(300);
                cluster.node(0).kill();

                // bob's phone resumes through n2: the holder is gone, so n2 takes what n1 copied, from bob's h on
                try (RawXmppClient again = RawXmppClient.authenticated(trust2, tls[1], "bob", BOB)) {
                    again.send("<resume xmlns='urn:xmpp:sm:3' previd='" + bobId + "' h='1'/>");
                    assertThat(again.await("<failed")).contains("<item-not-found");
                    again.send("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>phone"
                            + "</resource></bind></iq><presence/>");
                    String text = again.await("<body>bob 3</body>");
                    assertThat(text).contains("<body>bob 2</body>").doesNotContain("<body>bob 1</body>");
                    assertThat(text.indexOf("<body>bob 2</body>")).isLessThan(text.indexOf("<body>bob 3</body>"));
                    assertThat(text).contains("urn:xmpp:delay");
                }
                // dave's phone signs in anew on n2 with the same resource, before n1 is cleaned up: binding it keeps
                // what n1 copied for the old session offline first, so he has all three at once
                try (RawXmppClient again = RawXmppClient.signedIn(trust2, tls[1], "dave", DAVE, "phone")) {
                    String text = again.await("<body>dave 3</body>");
                    assertThat(text).contains("<body>dave 1</body>", "<body>dave 2</body>");
                    assertThat(text.indexOf("<body>dave 1</body>")).isLessThan(text.indexOf("<body>dave 3</body>"));
                }
                // carol never comes back to her phone; her tablet, available on n2, gets all three once n1 is cleaned up
                try (RawXmppClient tablet = RawXmppClient.signedIn(trust2, tls[1], "carol", CAROL, "tablet")) {
                    String text = tablet.await("<body>carol 3</body>");
                    assertThat(text).contains("<body>carol 1</body>", "<body>carol 2</body>");
                    assertThat(text.indexOf("<body>carol 1</body>")).isLessThan(text.indexOf("<body>carol 2</body>"));
                    assertThat(text.indexOf("<body>carol 2</body>")).isLessThan(text.indexOf("<body>carol 3</body>"));
                }
            }
        }
    }
}
