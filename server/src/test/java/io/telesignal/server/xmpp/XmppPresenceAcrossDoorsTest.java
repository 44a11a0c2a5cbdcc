package io.telesignal.server.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.roster.RosterItem;
import io.telesignal.server.signaling.WsClient;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * One presence across the doors: bob in the web app (JSON over WebSocket) and alice in Smack, alice subscribed to
 * bob. Bob opening the web app makes him available to alice (as {@code bob@localhost/telesignal}), his do-not-disturb
 * with a note reaches her, and his leaving makes him unavailable; the other way round, bob's web session watching
 * alice sees her XMPP client's presence.
 */
class XmppPresenceAcrossDoorsTest {
    @TempDir
    Path dir;
    private TelesignalServer server;
    private User alice;
    private User bob;
    private String alicePassword;

    @BeforeEach
    void start() {
        server = LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0", "xmpp.directTls", "false",
                "xmpp.host", "127.0.0.1");
        alice = server.services().accounts().addWithoutPassword(new Login("alice"), "Alice", Set.of(Role.PROVIDER), "t");
        bob = server.services().accounts().addWithoutPassword(new Login("bob"), "Bob", Set.of(Role.STAFF), "t");
        alicePassword = server.services().devicePasswords().create(alice, "x", Optional.empty(), "t").password().orElseThrow();
        // the subscription as the handshake leaves it: alice receives bob's presence
        var rosters = server.services().store().rosters();
        rosters.put(RosterItem.added(alice.id(), "bob@localhost", "Bob", List.of()).with(RosterItem.Subscription.TO, false,
                false), 100);
        rosters.put(RosterItem.added(bob.id(), "alice@localhost", "", List.of()).with(RosterItem.Subscription.FROM, false,
                false), 100);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void webPresenceReachesXmppContactsAndXmppPresenceReachesWebWatchers() throws Exception {
        XMPPTCPConnection smack = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder().setXmppDomain("localhost")
                .setHost("127.0.0.1").setPort(server.xmpp().orElseThrow().tcpAddress().getPort())
                .setUsernameAndPassword("alice", alicePassword).setResource("phone").setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(XmppSmackTest.trustManager(dir)).build());
        smack.connect().login();
        try {
            Roster roster = Roster.getInstanceFor(smack);
            var bobWeb = JidCreate.fullFrom("bob@localhost/telesignal");
            assertThat(roster.getPresenceResource(bobWeb).isAvailable()).isFalse();

            String token = server.services().tokens().issue(bob.id(), bob.roles(), Optional.empty()).jwt();
            try (WsClient web = WsClient.welcomed(server.httpAddress().getPort(), token)) {
                XmppTests.await(() -> roster.getPresenceResource(bobWeb).isAvailable());
                web.request(WsClient.message("presence").put("status", "dnd").put("note", "in theatre"));
                XmppTests.await(() -> roster.getPresenceResource(bobWeb).getMode() == Presence.Mode.dnd);
                assertThat(roster.getPresenceResource(bobWeb).getStatus()).isEqualTo("in theatre");

                // the other way round: bob's web session watches alice, whose XMPP client goes away
                web.request(WsClient.message("watch").set("users", WsClient.JSON.createArrayNode().add(alice.id().value())));
                JsonNode answer = web.next(m -> m.path("body").path("presence").isArray());
                assertThat(answer.path("body").path("presence").get(0).path("status").asText()).isEqualTo("available");
                smack.sendStanza(PresenceBuilder.buildPresence().setMode(Presence.Mode.away).build());
                JsonNode away = web.next(m -> m.path("type").asText().equals("presence")
                        && m.path("status").asText().equals("away"));
                assertThat(away.path("user").asText()).isEqualTo(alice.id().value());
                web.closeNormally();
            }
            XmppTests.await(() -> !roster.getPresenceResource(bobWeb).isAvailable());
        } finally {
            smack.disconnect();
        }
    }

}
