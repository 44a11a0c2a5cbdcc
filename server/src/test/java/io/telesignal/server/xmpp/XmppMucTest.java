package io.telesignal.server.xmpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.identity.Role;
import io.telesignal.net.tls.TlsContexts;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.jivesoftware.smackx.muc.Affiliate;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.muc.RoomInfo;
import org.jivesoftware.smackx.muc.UserStatusListener;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/**
 * Multi-user chat (XEP-0045) with Smack 4.4 as the client: care-team rooms created, configured, entered, spoken in,
 * with history and subject for those who come later, moderated by their owners, kept across a restart, destroyed;
 * and the errors a client meets, from a raw socket.
 */
class XmppMucTest {
    @TempDir
    Path dir;
    private TelesignalServer server;
    private String alicePassword;
    private String bobPassword;
    private String carolPassword;
    private String patPassword;
    private SSLContext trust;
    private javax.net.ssl.X509TrustManager trustManager;
    private final List<XMPPTCPConnection> connections = new java.util.ArrayList<>();
    private static final EntityBareJid WARD = jid("ward-3@conference.localhost");

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0", "xmpp.directTlsPort", "0",
                "xmpp.host", "127.0.0.1", "xmpp.authFailureDelay", "0s", "xmpp.muc.historySize", "3");
        alicePassword = XmppTests.device(server, "alice");
        bobPassword = XmppTests.device(server, "bob");
        carolPassword = XmppTests.device(server, "carol");
        patPassword = XmppTests.device(server, "pat", Role.PATIENT);
        trust = TlsContexts.trustingOnly(dir.resolve("tls").resolve("selfsigned-cert.pem"));
        trustManager = XmppSmackTest.trustManager(dir);
    }

    @AfterEach
    void stop() {
        connections.forEach(XMPPTCPConnection::disconnect);
        if (server != null) {
            server.stop();
        }
    }

    private static EntityBareJid jid(String text) {
        try {
            return JidCreate.entityBareFrom(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private XMPPTCPConnection connect(String login, String password, String resource) throws Exception {
        XMPPTCPConnection connection = XmppTests.smack(server, trustManager, login, password, resource);
        connections.add(connection);
        return connection;
    }

    private static MultiUserChat room(XMPPTCPConnection connection, EntityBareJid room) {
        return MultiUserChatManager.getInstanceFor(connection).getMultiUserChat(room);
    }

    private static Resourcepart nick(String nick) throws Exception {
        return Resourcepart.from(nick);
    }

    /** The next groupchat message with a body, skipping the subject and other bodiless ones. */
    private static Message nextBody(MultiUserChat room) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            Message message = room.nextMessage(1000);
            if (message != null && message.getBody() != null) {
                return message;
            }
        }
        throw new AssertionError("no message within 10 s");
    }

    /** The error stanza with this id that the raw client received. */
    private static String error(RawXmppClient client, String id) throws Exception {
        String all = client.await("id=\"" + id + "\"");
        int at = all.indexOf("id=\"" + id + "\"");
        int start = Math.max(all.lastIndexOf("<message", at), Math.max(all.lastIndexOf("<presence", at), all.lastIndexOf("<iq", at)));
        String name = all.substring(start + 1, all.indexOf(' ', start));
        client.await("</" + name + ">");
        all = client.received();
        int end = all.indexOf("</" + name + ">", at) + name.length() + 3;
        String stanza = all.substring(start, end);
        assertThat(stanza).contains("type=\"error\"");
        return stanza;
    }

    @Test
    void aCareTeamRoomIsCreatedEnteredSpokenInAndShowsHistoryAndSubjectToLatecomers() throws Exception {
        XMPPTCPConnection alice = connect("alice", alicePassword, "phone");
        XMPPTCPConnection bob = connect("bob", bobPassword, "desk");
        XMPPTCPConnection carol = connect("carol", carolPassword, "tablet");

        // the service is found through disco on the server
        assertThat(MultiUserChatManager.getInstanceFor(alice).getMucServiceDomains()).extracting(Object::toString)
                .containsExactly("conference.localhost");

        MultiUserChat aliceRoom = room(alice, WARD);
        aliceRoom.create(nick("Dr Alice")).makeInstant();
        assertThat(aliceRoom.isJoined()).isTrue();
        RoomInfo info = MultiUserChatManager.getInstanceFor(bob).getRoomInfo(WARD);
        assertThat(info.isPersistent()).isTrue();
        assertThat(info.isMembersOnly()).isFalse();
        assertThat(MultiUserChatManager.getInstanceFor(bob).getRoomsHostedBy(JidCreate.domainBareFrom("conference.localhost")))
                .containsKey(WARD);
        aliceRoom.changeSubject("Handover at 7");

        MultiUserChat bobRoom = room(bob, WARD);
        bobRoom.join(nick("Bob"));
        XmppTests.await(() -> aliceRoom.getOccupants().size() == 2);
        XmppTests.await(() -> bobRoom.getOccupants().size() == 2); // Smack records presences on a thread of its own
        assertThat(bobRoom.getOccupants()).extracting(Object::toString)
                .containsExactlyInAnyOrder("ward-3@conference.localhost/Dr Alice", "ward-3@conference.localhost/Bob");
        XmppTests.await(() -> "Handover at 7".equals(bobRoom.getSubject()));

        for (int i = 1; i <= 5; i++) {
            aliceRoom.sendMessage("bed " + i + " is stable");
        }
        for (int i = 1; i <= 5; i++) {
            Message got = nextBody(bobRoom);
            assertThat(got.getBody()).isEqualTo("bed " + i + " is stable");
            assertThat(got.getFrom().toString()).isEqualTo("ward-3@conference.localhost/Dr Alice");
        }
        // the sender gets its own messages back (XEP-0045 §7.4)
        assertThat(nextBody(aliceRoom).getBody()).isEqualTo("bed 1 is stable");

        // a latecomer gets the last 3 (xmpp.muc.historySize) as delayed messages, then the subject
        MultiUserChat carolRoom = room(carol, WARD);
        carolRoom.join(nick("Carol"));
        for (int i = 3; i <= 5; i++) {
            Message old = nextBody(carolRoom);
            assertThat(old.getBody()).isEqualTo("bed " + i + " is stable");
            assertThat(DelayInformation.from(old)).as("XEP-0203 delay").isNotNull();
        }
        XmppTests.await(() -> "Handover at 7".equals(carolRoom.getSubject()));

        // a nickname in use is refused; a new one is taken, and others see it
        MultiUserChat bobAgain = room(connect("bob", bobPassword, "phone"), WARD);
        assertThat(XmppTests.condition(() -> bobAgain.join(nick("Carol")))).isEqualTo(StanzaError.Condition.conflict);

        // leaving, and a session that ends, are seen by the others
        carolRoom.leave();
        XmppTests.await(() -> aliceRoom.getOccupants().size() == 2);
        bob.disconnect();
        XmppTests.await(() -> aliceRoom.getOccupants().size() == 1);
    }

    @Test
    void ownersConfigureTheRoomAndModerateIt() throws Exception {
        XMPPTCPConnection alice = connect("alice", alicePassword, "phone");
        XMPPTCPConnection bob = connect("bob", bobPassword, "desk");
        XMPPTCPConnection carol = connect("carol", carolPassword, "tablet");
        XMPPTCPConnection pat = connect("pat", patPassword, "home");

        // a patient may not create rooms; nobody but the owner enters a room before it is configured
        assertThat(XmppTests.condition(() -> room(pat, jid("pats-room@conference.localhost")).join(nick("Pat"))))
                .isEqualTo(StanzaError.Condition.item_not_found);
        MultiUserChat aliceRoom = room(alice, WARD);
        MultiUserChat.MucCreateConfigFormHandle created = aliceRoom.create(nick("Alice"));
        assertThat(XmppTests.condition(() -> room(bob, WARD).join(nick("Bob")))).isEqualTo(StanzaError.Condition.item_not_found);

        // the configuration form: members only and moderated
        FillableForm form = aliceRoom.getConfigurationForm().getFillableForm();
        form.setAnswer("muc#roomconfig_roomname", "Ward 3 nights");
        form.setAnswer("muc#roomconfig_membersonly", true);
        form.setAnswer("muc#roomconfig_moderatedroom", true);
        aliceRoom.sendConfigurationForm(form);
        RoomInfo info = MultiUserChatManager.getInstanceFor(bob).getRoomInfo(WARD);
        assertThat(info.isMembersOnly()).isTrue();
        assertThat(info.isModerated()).isTrue();
        assertThat(info.getName()).isEqualTo("Ward 3 nights");

        // members only: bob is not a member until the owner says so
        MultiUserChat bobRoom = room(bob, WARD);
        assertThat(XmppTests.condition(() -> bobRoom.join(nick("Bob")))).isEqualTo(StanzaError.Condition.registration_required);
        aliceRoom.grantMembership(jid("bob@localhost"));
        aliceRoom.grantMembership(jid("carol@localhost"));
        assertThat(aliceRoom.getMembers()).extracting(Affiliate::getJid).extracting(Object::toString)
                .containsExactlyInAnyOrder("bob@localhost", "carol@localhost");
        bobRoom.join(nick("Bob"));
        MultiUserChat carolRoom = room(carol, WARD);
        carolRoom.join(nick("Carol"));

        // voice: revoked, bob cannot speak; granted again, he can
        aliceRoom.revokeVoice(nick("Bob"));
        XmppTests.await(() -> {
            var occupant = aliceRoom.getOccupant(JidCreate.entityFullFrom("ward-3@conference.localhost/Bob"));
            return occupant != null && occupant.getRole() == org.jivesoftware.smackx.muc.MUCRole.visitor;
        });
        BlockingQueue<StanzaError.Condition> errors = new ArrayBlockingQueue<>(4);
        bob.addSyncStanzaListener(s -> errors.add(s.getError().getCondition()),
                s -> s instanceof Message && s.getError() != null);
        bobRoom.sendMessage("may I?");
        assertThat(errors.poll(10, TimeUnit.SECONDS)).isEqualTo(StanzaError.Condition.forbidden);
        aliceRoom.grantVoice(nick("Bob"));
        bobRoom.sendMessage("thank you");
        assertThat(nextBody(aliceRoom).getBody()).isEqualTo("thank you");

        // a participant may not kick; the owner kicks carol, who is told why
        assertThat(XmppTests.condition(() -> bobRoom.kickParticipant(nick("Carol"), "no"))).isEqualTo(StanzaError.Condition.forbidden);
        BlockingQueue<String> kicked = new ArrayBlockingQueue<>(2);
        carolRoom.addUserStatusListener(new UserStatusListener() {
            @Override
            public void kicked(org.jxmpp.jid.Jid actor, String reason) {
                kicked.add(reason);
            }
        });
        aliceRoom.kickParticipant(nick("Carol"), "shift over");
        assertThat(kicked.poll(10, TimeUnit.SECONDS)).isEqualTo("shift over");
        XmppTests.await(() -> aliceRoom.getOccupants().size() == 2);

        // a ban takes bob out and keeps him out
        BlockingQueue<String> banned = new ArrayBlockingQueue<>(2);
        bobRoom.addUserStatusListener(new UserStatusListener() {
            @Override
            public void banned(org.jxmpp.jid.Jid actor, String reason) {
                banned.add(reason);
            }
        });
        aliceRoom.banUser(jid("bob@localhost"), "wrong ward");
        assertThat(banned.poll(10, TimeUnit.SECONDS)).isEqualTo("wrong ward");
        assertThat(XmppTests.condition(() -> room(bob, WARD).join(nick("Bob")))).isEqualTo(StanzaError.Condition.forbidden);

        // the last owner stays; the owner destroys the room and whoever is in it is told
        assertThat(XmppTests.condition(() -> aliceRoom.revokeOwnership(jid("alice@localhost"))))
                .isEqualTo(StanzaError.Condition.conflict);
        room(carol, WARD).join(nick("Carol"));
        BlockingQueue<String> destroyed = new ArrayBlockingQueue<>(2);
        room(carol, WARD).addUserStatusListener(new UserStatusListener() {
            @Override
            public void roomDestroyed(MultiUserChat alternate, String reason) {
                destroyed.add(reason);
            }
        });
        aliceRoom.destroy("ward closed", null);
        assertThat(destroyed.poll(10, TimeUnit.SECONDS)).isEqualTo("ward closed");
        assertThat(XmppTests.condition(() -> MultiUserChatManager.getInstanceFor(bob).getRoomInfo(WARD)))
                .isEqualTo(StanzaError.Condition.item_not_found);
        assertThat(created).isNotNull();
    }

    @Test
    void aPersistentRoomItsMembersAndHistoryOutliveARestart() throws Exception {
        XMPPTCPConnection alice = connect("alice", alicePassword, "phone");
        MultiUserChat aliceRoom = room(alice, WARD);
        aliceRoom.create(nick("Alice")).makeInstant();
        aliceRoom.grantMembership(jid("bob@localhost"));
        aliceRoom.sendMessage("before the restart");
        nextBody(aliceRoom);
        alice.disconnect();
        connections.clear();
        server.stop();

        server = LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0", "xmpp.directTlsPort", "0",
                "xmpp.host", "127.0.0.1", "xmpp.authFailureDelay", "0s", "xmpp.muc.historySize", "3");
        XMPPTCPConnection bob = connect("bob", bobPassword, "desk");
        MultiUserChat bobRoom = room(bob, WARD);
        bobRoom.join(nick("Bob"));
        assertThat(nextBody(bobRoom).getBody()).isEqualTo("before the restart");
        XMPPTCPConnection alice2 = connect("alice", alicePassword, "phone");
        MultiUserChat again = room(alice2, WARD);
        again.join(nick("Alice"));
        assertThat(again.getMembers()).extracting(Affiliate::getJid).extracting(Object::toString)
                .containsExactly("bob@localhost");
    }

    @Test
    void badRoomStanzasGetTheirErrorsOnARawStream() throws Exception {
        XMPPTCPConnection alice = connect("alice", alicePassword, "phone");
        room(alice, WARD).create(nick("Alice")).makeInstant();
        int port = server.xmpp().orElseThrow().directTlsAddress().orElseThrow().getPort();
        try (RawXmppClient bob = RawXmppClient.signedIn(trust, port, "bob", bobPassword, "raw")) {
            // no nickname: jid-malformed (XEP-0045 §7.2.1)
            bob.send("<presence to='ward-3@conference.localhost' id='p1'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
            assertThat(error(bob, "p1")).contains("type=\"modify\"").contains("<jid-malformed");
            // an outsider addressing an occupant: bad-request; the public room's occupants by room address only
            bob.send("<iq type='get' to='ward-3@conference.localhost/Alice' id='d1'>"
                    + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
            assertThat(error(bob, "d1")).contains("<bad-request");
            bob.send("<iq type='get' to='ward-3@conference.localhost' id='d2'>"
                    + "<query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
            String items = bob.await("<item jid=\"ward-3@conference.localhost/Alice\"");
            assertThat(items.substring(items.indexOf("id=\"d2\""))).doesNotContain("alice@localhost");
            // speaking without being in the room: not-acceptable
            bob.send("<message to='ward-3@conference.localhost' type='groupchat' id='m1'><body>hi</body></message>");
            assertThat(error(bob, "m1")).contains("<not-acceptable");
            // a private message to nobody
            bob.send("<presence to='ward-3@conference.localhost/Bob' id='p2'/>");
            bob.await("status code=\"110\"");
            // a new nickname (XEP-0045 §7.6): unavailable from the old with 303 and the new one, then the new; both
            // with 110 to the one who changed it (Smack 4.4's changeNickname() stalls on this 110, so it is tested here)
            bob.send("<presence to='ward-3@conference.localhost/Nurse Bob' id='p3'/>");
            String renamed = bob.await("from=\"ward-3@conference.localhost/Nurse Bob\" to=\"bob@localhost/raw\">");
            assertThat(renamed).contains("<presence from=\"ward-3@conference.localhost/Bob\" to=\"bob@localhost/raw\""
                    + " type=\"unavailable\"><x xmlns=\"http://jabber.org/protocol/muc#user\"><item affiliation=\"none\""
                    + " role=\"none\" jid=\"bob@localhost/raw\" nick=\"Nurse Bob\"/><status code=\"303\"/>"
                    + "<status code=\"110\"/></x></presence>");
            MultiUserChat aliceRoom = room(alice, WARD);
            XmppTests.await(() -> aliceRoom.getOccupants().stream().anyMatch(j -> j.toString().endsWith("/Nurse Bob")));
            assertThat(aliceRoom.getOccupants()).hasSize(2);
            bob.send("<presence to='ward-3@conference.localhost/Bob' id='p4'/>");
            XmppTests.await(() -> aliceRoom.getOccupants().stream().anyMatch(j -> j.toString().endsWith("/Bob")));
            bob.send("<message to='ward-3@conference.localhost/Nobody' type='chat' id='m2'><body>hi</body></message>");
            assertThat(error(bob, "m2")).contains("<item-not-found");
            // a private message to alice arrives from bob's room address
            BlockingQueue<Message> privately = new ArrayBlockingQueue<>(2);
            alice.addSyncStanzaListener(s -> privately.add((Message) s),
                    s -> s instanceof Message m && m.getBody() != null && m.getType() == Message.Type.chat);
            bob.send("<message to='ward-3@conference.localhost/Alice' type='chat' id='m3'><body>psst</body></message>");
            Message got = privately.poll(10, TimeUnit.SECONDS);
            assertThat(got.getFrom().toString()).isEqualTo("ward-3@conference.localhost/Bob");
            assertThat(got.getBody()).isEqualTo("psst");
            // nobody below an owner takes an owner's voice (XEP-0045 §8.4)
            bob.send("<iq type='set' to='ward-3@conference.localhost' id='v1'><query xmlns='http://jabber.org/protocol/muc#admin'>"
                    + "<item nick='Alice' role='visitor'/></query></iq>");
            assertThat(error(bob, "v1")).contains("<not-allowed");
            // groupchat to an occupant: bad-request; a participant configuring the room: forbidden
            bob.send("<message to='ward-3@conference.localhost/Alice' type='groupchat' id='m4'><body>x</body></message>");
            assertThat(error(bob, "m4")).contains("<bad-request");
            bob.send("<iq type='get' to='ward-3@conference.localhost' id='c1'>"
                    + "<query xmlns='http://jabber.org/protocol/muc#owner'/></iq>");
            assertThat(error(bob, "c1")).contains("type=\"auth\"").contains("<forbidden");
            // an affiliation that does not exist: bad-request
            bob.send("<iq type='set' to='ward-3@conference.localhost' id='a1'><query xmlns='http://jabber.org/protocol/muc#admin'>"
                    + "<item affiliation='king' jid='carol@localhost'/></query></iq>");
            assertThat(error(bob, "a1")).contains("<bad-request");
            // a message to a room that does not exist, from nobody in it
            bob.send("<message to='nowhere@conference.localhost' type='groupchat' id='m5'><body>x</body></message>");
            assertThat(error(bob, "m5")).contains("<not-acceptable");
        }
        assertThatThrownBy(() -> room(alice, jid("ward-3@conference.localhost")).create(nick("Alice")))
                .isInstanceOf(Exception.class);
    }
}
