package io.telesignal.server.xmpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.net.tls.TlsContexts;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.sasl.SASLErrorException;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.SubscribeListener;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.ping.PingManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Smack 4.4 (Maven Central), a real XMPP client nobody on the team wrote, against the server in-process: SCRAM-SHA-1
 * over STARTTLS with device passwords, and over direct TLS; a message from one user to the other; a ping.
 */
class XmppSmackTest {
    @TempDir
    Path dir;
    private TelesignalServer server;
    private String alicePassword;
    private String bobPassword;
    private SSLContext trust;
    private javax.net.ssl.X509TrustManager trustManager;

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0", "xmpp.directTlsPort", "0",
                "xmpp.host", "127.0.0.1", "xmpp.authFailureDelay", "0s");
        alicePassword = XmppTests.device(server, "alice");
        bobPassword = XmppTests.device(server, "bob");
        trust = TlsContexts.trustingOnly(dir.resolve("tls").resolve("selfsigned-cert.pem"));
        trustManager = trustManager(dir);
    }

    /** A trust manager for the server's generated certificate in {@code dataDir}: what a client is told to trust. */
    static javax.net.ssl.X509TrustManager trustManager(Path dataDir) throws Exception {
        java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        store.load(null, null);
        try (var in = java.nio.file.Files.newInputStream(dataDir.resolve("tls").resolve("selfsigned-cert.pem"))) {
            store.setCertificateEntry("server", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return (javax.net.ssl.X509TrustManager) factory.getTrustManagers()[0];
    }


    @AfterEach
    void stop() {
        server.stop();
    }

    private XMPPTCPConnection connect(String login, String password, String resource, boolean directTls) throws Exception {
        return connect(login, password, resource, directTls, c -> { });
    }

    private XMPPTCPConnection connect(String login, String password, String resource, boolean directTls,
            java.util.function.Consumer<XMPPTCPConnection> beforeLogin) throws Exception {
        XMPPTCPConnectionConfiguration.Builder config = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain("localhost").setHost("127.0.0.1").setUsernameAndPassword(login, password)
                .setResource(resource).addEnabledSaslMechanism("SCRAM-SHA-1").setCustomX509TrustManager(trustManager);
        if (directTls) {
            config.setPort(server.xmpp().orElseThrow().directTlsAddress().orElseThrow().getPort())
                    .setSocketFactory(trust.getSocketFactory()).setSecurityMode(SecurityMode.disabled);
        } else {
            config.setPort(server.xmpp().orElseThrow().tcpAddress().getPort()).setSecurityMode(SecurityMode.required);
        }
        XMPPTCPConnection connection = new XMPPTCPConnection(config.build());
        connection.setReplyTimeout(10_000);
        connection.connect();
        beforeLogin.accept(connection);
        connection.login();
        return connection;
    }

    @Test
    void twoSmackClientsSignInWithDevicePasswordsAndExchangeAMessage() throws Exception {
        XMPPTCPConnection alice = connect("alice", alicePassword, "phone", false);
        XMPPTCPConnection bob = connect("bob", bobPassword, "desk", true);
        try {
            assertThat(alice.isSecureConnection()).isTrue();
            assertThat(alice.getUser().toString()).isEqualTo("alice@localhost/phone");
            assertThat(bob.getUser().toString()).isEqualTo("bob@localhost/desk");

            BlockingQueue<Message> received = new ArrayBlockingQueue<>(10);
            bob.addSyncStanzaListener(stanza -> received.add((Message) stanza),
                    stanza -> stanza instanceof Message m && m.getBody() != null);
            Message message = MessageBuilder.buildMessage().to(JidCreate.entityBareFrom("bob@localhost"))
                    .ofType(Message.Type.chat).setBody("the lab results are in").build();
            alice.sendStanza(message);
            Message got = received.poll(10, TimeUnit.SECONDS);
            assertThat(got).isNotNull();
            assertThat(got.getBody()).isEqualTo("the lab results are in");
            assertThat(got.getFrom().toString()).as("stamped by the server").isEqualTo("alice@localhost/phone");

            assertThat(PingManager.getInstanceFor(alice).pingMyServer()).isTrue();
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void rosterAddSubscriptionHandshakePresenceAndRemoveWithPushes() throws Exception {
        XMPPTCPConnection alice = connect("alice", alicePassword, "phone", false);
        XMPPTCPConnection bob = connect("bob", bobPassword, "desk", false);
        try {
            var bobJid = JidCreate.entityBareFrom("bob@localhost");
            var aliceJid = JidCreate.entityBareFrom("alice@localhost");
            Roster aliceRoster = Roster.getInstanceFor(alice);
            Roster bobRoster = Roster.getInstanceFor(bob);
            aliceRoster.reloadAndWait();
            bobRoster.reloadAndWait();
            assertThat(aliceRoster.getEntries()).isEmpty();
            BlockingQueue<String> requests = new ArrayBlockingQueue<>(10);
            bobRoster.addSubscribeListener((from, request) -> {
                requests.add(from.toString());
                return SubscribeListener.SubscribeAnswer.Approve;
            });

            aliceRoster.createItemAndRequestSubscription(bobJid, "Dr Bob", new String[] {"Cardiology"});
            assertThat(requests.poll(10, TimeUnit.SECONDS)).isEqualTo("alice@localhost");
            // the push after the approval: alice now receives bob's presence, and sees him online
            XmppTests.await(() -> aliceRoster.getEntry(bobJid) != null && aliceRoster.getEntry(bobJid).canSeeHisPresence()
                    && !aliceRoster.getEntry(bobJid).isSubscriptionPending());
            assertThat(aliceRoster.getEntry(bobJid).getName()).isEqualTo("Dr Bob");
            assertThat(aliceRoster.getEntry(bobJid).getGroups()).extracting(g -> g.getName()).containsExactly("Cardiology");
            XmppTests.await(() -> aliceRoster.getPresence(bobJid).isAvailable());
            XmppTests.await(() -> bobRoster.getEntry(aliceJid) != null && bobRoster.getEntry(aliceJid).canSeeMyPresence());

            // bob goes away: alice sees it
            bob.sendStanza(org.jivesoftware.smack.packet.PresenceBuilder.buildPresence()
                    .setMode(org.jivesoftware.smack.packet.Presence.Mode.away).build());
            XmppTests.await(() -> aliceRoster.getPresence(bobJid).getMode() == org.jivesoftware.smack.packet.Presence.Mode.away);

            // a fresh login gets the roster as it is stored
            XMPPTCPConnection second = connect("alice", alicePassword, "tablet", false);
            try {
                Roster again = Roster.getInstanceFor(second);
                again.reloadAndWait();
                assertThat(again.getEntry(bobJid)).isNotNull();
                assertThat(again.getEntry(bobJid).canSeeHisPresence()).isTrue();
                // removing on one resource is pushed to the other, and bob's side loses its subscription
                aliceRoster.removeEntry(aliceRoster.getEntry(bobJid));
                XmppTests.await(() -> again.getEntry(bobJid) == null);
                XmppTests.await(() -> bobRoster.getEntry(aliceJid) == null || !bobRoster.getEntry(aliceJid).canSeeMyPresence());
            } finally {
                second.disconnect();
            }
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }


    @Test
    void messagesToAnOfflineUserAreKeptAndDeliveredAtTheirNextPresence() throws Exception {
        XMPPTCPConnection alice = connect("alice", alicePassword, "phone", false);
        try {
            for (String text : new String[] {"first while you were away", "second while you were away"}) {
                alice.sendStanza(MessageBuilder.buildMessage().to(JidCreate.entityBareFrom("bob@localhost"))
                        .ofType(Message.Type.chat).setBody(text).build());
            }
            BlockingQueue<Message> errors = new ArrayBlockingQueue<>(10);
            alice.addSyncStanzaListener(stanza -> errors.add((Message) stanza),
                    stanza -> stanza instanceof Message m && m.getType() == Message.Type.error);
            alice.sendStanza(MessageBuilder.buildMessage().to(JidCreate.entityBareFrom("nobody@localhost"))
                    .ofType(Message.Type.chat).setBody("to no one").build());
            Message error = errors.poll(10, TimeUnit.SECONDS);
            assertThat(error).isNotNull();
            assertThat(error.getError().getCondition().toString()).isEqualTo("service-unavailable");

            BlockingQueue<Message> received = new ArrayBlockingQueue<>(10);
            XMPPTCPConnection bob = connect("bob", bobPassword, "desk", false, c -> c.addSyncStanzaListener(
                    stanza -> received.add((Message) stanza), stanza -> stanza instanceof Message m && m.getBody() != null));
            try {
                Message first = received.poll(10, TimeUnit.SECONDS);
                Message second = received.poll(10, TimeUnit.SECONDS);
                assertThat(first).isNotNull();
                assertThat(second).isNotNull();
                assertThat(first.getBody()).isEqualTo("first while you were away");
                assertThat(second.getBody()).isEqualTo("second while you were away");
                assertThat(first.getFrom().toString()).isEqualTo("alice@localhost/phone");
                assertThat(first.getExtensionElement("delay", "urn:xmpp:delay")).as("XEP-0203 stamp").isNotNull();
                // Smack has stream management on: what it does not acknowledge the server keeps offline again (at
                // least once, the stanza id lets clients drop a repeat), so it acknowledges what it read
                assertThat(bob.isSmEnabled()).isTrue();
                bob.sendSmAcknowledgement();
                Thread.sleep(200);
            } finally {
                bob.disconnect();
            }
            // delivered once: the first connection got nothing more, and the next login finds nothing kept
            BlockingQueue<Message> later = new ArrayBlockingQueue<>(10);
            XMPPTCPConnection again = connect("bob", bobPassword, "desk", false, c -> c.addSyncStanzaListener(
                    stanza -> later.add((Message) stanza), stanza -> stanza instanceof Message m && m.getBody() != null));
            try {
                assertThat(later.poll(2, TimeUnit.SECONDS)).isNull();
                assertThat(received).isEmpty();
            } finally {
                again.disconnect();
            }
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void carbonsCopyWhatOneResourceSendsAndReceivesToTheOthers() throws Exception {
        XMPPTCPConnection phone = connect("alice", alicePassword, "phone", false);
        BlockingQueue<String> copies = new ArrayBlockingQueue<>(10);
        XMPPTCPConnection tablet = connect("alice", alicePassword, "tablet", false);
        XMPPTCPConnection bob = connect("bob", bobPassword, "desk", false);
        try {
            org.jivesoftware.smackx.carbons.CarbonManager carbons =
                    org.jivesoftware.smackx.carbons.CarbonManager.getInstanceFor(tablet);
            assertThat(carbons.isSupportedByServer()).isTrue();
            carbons.addCarbonCopyReceivedListener((direction, copy, wrapping) ->
                    copies.add(direction + ":" + copy.getBody() + ":" + copy.getFrom()));
            carbons.enableCarbons();

            phone.sendStanza(MessageBuilder.buildMessage().to(JidCreate.entityFullFrom("bob@localhost/desk"))
                    .ofType(Message.Type.chat).setBody("sent from the phone").build());
            assertThat(copies.poll(10, TimeUnit.SECONDS)).isEqualTo("sent:sent from the phone:alice@localhost/phone");
            bob.sendStanza(MessageBuilder.buildMessage().to(JidCreate.entityFullFrom("alice@localhost/phone"))
                    .ofType(Message.Type.chat).setBody("answer to the phone").build());
            assertThat(copies.poll(10, TimeUnit.SECONDS)).isEqualTo("received:answer to the phone:bob@localhost/desk");
            // private messages are not copied
            Message secret = MessageBuilder.buildMessage().to(JidCreate.entityFullFrom("bob@localhost/desk"))
                    .ofType(Message.Type.chat).setBody("not for the tablet")
                    .addExtension(org.jivesoftware.smackx.carbons.packet.CarbonExtension.Private.INSTANCE).build();
            phone.sendStanza(secret);
            assertThat(copies.poll(1, TimeUnit.SECONDS)).isNull();
        } finally {
            phone.disconnect();
            tablet.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void theArchiveKeepsBothSidesAndPagesThroughThem() throws Exception {
        XMPPTCPConnection alice = connect("alice", alicePassword, "phone", false);
        BlockingQueue<Message> bobGot = new ArrayBlockingQueue<>(10);
        XMPPTCPConnection bob = connect("bob", bobPassword, "desk", false, c -> c.addSyncStanzaListener(
                s -> bobGot.add((Message) s), s -> s instanceof Message m && m.getBody() != null));
        try {
            var bobJid = JidCreate.entityBareFrom("bob@localhost");
            for (int i = 1; i <= 3; i++) {
                alice.sendStanza(MessageBuilder.buildMessage().to(bobJid).ofType(Message.Type.chat).setBody("note " + i)
                        .build());
            }
            for (int i = 1; i <= 3; i++) {
                Message got = bobGot.poll(10, TimeUnit.SECONDS);
                assertThat(got.getBody()).isEqualTo("note " + i);
                var stanzaId = got.getExtensionElement("stanza-id", "urn:xmpp:sid:0");
                assertThat(stanzaId).as("XEP-0359 stanza id").isNotNull();
                assertThat(stanzaId.toXML().toString()).contains("by='bob@localhost'");
            }
            bob.sendStanza(MessageBuilder.buildMessage().to(JidCreate.entityBareFrom("alice@localhost"))
                    .ofType(Message.Type.chat).setBody("thanks").build());
            // the archive is written after delivery, on the workers: wait until bob's side holds all four
            var bobMam = org.jivesoftware.smackx.mam.MamManager.getInstanceFor(bob);
            XmppTests.await(() -> bobMam.queryArchive(org.jivesoftware.smackx.mam.MamManager.MamQueryArgs.builder()
                    .setResultPageSizeTo(10).build()).getMessages().size() == 4);

            org.jivesoftware.smackx.mam.MamManager mam = org.jivesoftware.smackx.mam.MamManager.getInstanceFor(alice);
            assertThat(mam.isSupported()).isTrue();
            var query = mam.queryArchive(org.jivesoftware.smackx.mam.MamManager.MamQueryArgs.builder()
                    .limitResultsToJid(bobJid).setResultPageSizeTo(2).build());
            assertThat(query.getMessages()).extracting(Message::getBody).containsExactly("note 1", "note 2");
            assertThat(query.isComplete()).isFalse();
            assertThat(query.pageNext(2)).extracting(Message::getBody).containsExactly("note 3", "thanks");
            assertThat(query.isComplete()).isTrue();
            // bob's archive has his side
            var bobs = org.jivesoftware.smackx.mam.MamManager.getInstanceFor(bob).queryArchive(
                    org.jivesoftware.smackx.mam.MamManager.MamQueryArgs.builder().setResultPageSizeTo(10).build());
            assertThat(bobs.getMessages()).extracting(Message::getBody).containsExactly("note 1", "note 2", "note 3", "thanks");
        } finally {
            alice.disconnect();
            bob.disconnect();
        }
    }

    @Test
    void aWrongDevicePasswordIsRefused() {
        assertThatThrownBy(() -> connect("alice", "not the device password", "x", false))
                .isInstanceOf(SASLErrorException.class).hasMessageContaining("not-authorized");
        assertThatThrownBy(() -> connect("nobody", "whatever password", "x", false))
                .isInstanceOfAny(SASLErrorException.class, SmackException.class);
    }
}
