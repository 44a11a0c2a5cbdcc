package io.telesignal.server.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.cluster.redis.RedisSettings;
import io.telesignal.cluster.redis.TestRedis;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import io.telesignal.store.JdbcSettings;
import io.telesignal.store.TestDatabases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.SubscribeListener;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The XMPP door in cluster mode: two nodes in one JVM on the machine's Redis and PostgreSQL, Smack clients on different
 * nodes. A message crosses nodes with the sender's address stamped; the subscription handshake and presence cross
 * nodes; a message kept while its user was away is delivered on the other node; a resource bound again on another node
 * ends the first session with {@code conflict}.
 */
class XmppClusterTest {
    /** The data encryption key every node shares, as docs/cluster.md says to deploy it. */
    private static final String SHARED_DATA_KEY = java.util.Base64.getEncoder().encodeToString(
            "thirty-two bytes of shared key!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

    private static final String BOT_SECRET = "a-component-secret-of-16+";

    @TempDir
    Path dir;
    private JdbcSettings database;
    private RedisSettings redis;
    private final List<TelesignalServer> nodes = new ArrayList<>();
    private final List<XMPPTCPConnection> clients = new ArrayList<>();
    private String alicePassword;
    private String bobPassword;

    @BeforeEach
    void start() throws Exception {
        database = TestDatabases.postgres();
        redis = TestRedis.settings();
        TestRedis.connect(redis).close(); // fails under CI, skips elsewhere, when Redis is not there
        Path secret = dir.resolve("jwt-hs256.key");
        java.nio.file.Files.writeString(secret, java.util.Base64.getEncoder().encodeToString(
                "a shared secret of more than 32 bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        Path components = java.nio.file.Files.writeString(dir.resolve("components"), "bot.localhost " + BOT_SECRET + "\n");
        for (String name : List.of("node-a", "node-b")) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("node.id", name);
            settings.put("cluster.enabled", "true");
            settings.put("cluster.heartbeatInterval", "200ms");
            settings.put("cluster.nodeTimeout", "1s");
            settings.put("redis.uri", redis.uri());
            settings.put("redis.keyPrefix", redis.keyPrefix());
            settings.put("store.url", database.url());
            settings.put("store.username", database.username());
            settings.put("store.schema", database.schema().orElseThrow());
            settings.put("tokens.secretFile", secret.toString());
            settings.put("dataEncryption.key", SHARED_DATA_KEY);
            settings.put("xmpp.enabled", "true");
            settings.put("xmpp.port", "0");
            settings.put("xmpp.directTlsPort", "0");
            settings.put("xmpp.host", "127.0.0.1");
            settings.put("xmpp.components.enabled", "true");
            settings.put("xmpp.components.port", "0");
            settings.put("xmpp.components.secretsFile", components.toString());
            nodes.add(LoopbackServer.start(dir.resolve(name), settings));
        }
        var accounts = nodes.get(0).services().accounts();
        User alice = accounts.addWithoutPassword(new Login("alice"), "Alice", Set.of(Role.PROVIDER), "test");
        User bob = accounts.addWithoutPassword(new Login("bob"), "Bob", Set.of(Role.PROVIDER), "test");
        alicePassword = nodes.get(0).services().devicePasswords().create(alice, "x", Optional.empty(), "test")
                .password().orElseThrow();
        bobPassword = nodes.get(0).services().devicePasswords().create(bob, "x", Optional.empty(), "test")
                .password().orElseThrow();
    }

    @AfterEach
    void stop() {
        clients.forEach(XMPPTCPConnection::disconnect);
        for (TelesignalServer node : nodes) {
            node.stop();
        }
        try (var cleanup = TestRedis.connect(redis)) {
            TestRedis.deleteAll(cleanup);
        }
        TestDatabases.dropSchema(database);
    }

    /** Trusts node {@code node}'s self-signed certificate. */
    private javax.net.ssl.SSLContext trust(int node) throws Exception {
        return io.telesignal.net.tls.TlsContexts.trustingOnly(dir.resolve(node == 0 ? "node-a" : "node-b").resolve("tls")
                .resolve("selfsigned-cert.pem"));
    }

    /** Node {@code node}'s direct TLS port. */
    private int tlsPort(int node) {
        return nodes.get(node).xmpp().orElseThrow().directTlsAddress().orElseThrow().getPort();
    }

    private XMPPTCPConnection on(int node, String login, String password, String resource,
            java.util.function.Consumer<XMPPTCPConnection> beforeLogin) throws Exception {
        TelesignalServer server = nodes.get(node);
        XMPPTCPConnection connection = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain("localhost").setHost("127.0.0.1").setPort(server.xmpp().orElseThrow().tcpAddress().getPort())
                .setUsernameAndPassword(login, password).setResource(resource).setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(XmppSmackTest.trustManager(dir.resolve(node == 0 ? "node-a" : "node-b")))
                .build());
        connection.setReplyTimeout(10_000);
        connection.connect();
        beforeLogin.accept(connection);
        connection.login();
        clients.add(connection);
        return connection;
    }

    @Test
    void messagesPresenceAndOfflineDeliveryCrossNodes() throws Exception {
        BlockingQueue<Message> bobGot = new ArrayBlockingQueue<>(10);
        XMPPTCPConnection alice = on(0, "alice", alicePassword, "phone", c -> { });
        XMPPTCPConnection bob = on(1, "bob", bobPassword, "desk", c -> c.addSyncStanzaListener(
                s -> bobGot.add((Message) s), s -> s instanceof Message m && m.getBody() != null));

        alice.sendStanza(MessageBuilder.buildMessage().to(JidCreate.entityBareFrom("bob@localhost"))
                .ofType(Message.Type.chat).setBody("across the cluster").build());
        Message got = bobGot.poll(10, TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(got.getBody()).isEqualTo("across the cluster");
        assertThat(got.getFrom().toString()).isEqualTo("alice@localhost/phone");

        // the subscription handshake between the nodes, then bob's presence seen from node a
        Roster.getInstanceFor(bob).addSubscribeListener((from, request) -> SubscribeListener.SubscribeAnswer.Approve);
        Roster roster = Roster.getInstanceFor(alice);
        var bobJid = JidCreate.entityBareFrom("bob@localhost");
        roster.createItemAndRequestSubscription(bobJid, "Bob", null);
        XmppTests.await(() -> roster.getEntry(bobJid) != null && roster.getEntry(bobJid).canSeeHisPresence());
        XmppTests.await(() -> roster.getPresence(bobJid).isAvailable());

        // bob leaves; a message meanwhile is kept, and delivered when he comes back on the other node
        bob.disconnect();
        XmppTests.await(() -> !roster.getPresenceResource(JidCreate.fullFrom("bob@localhost/desk")).isAvailable());
        alice.sendStanza(MessageBuilder.buildMessage().to(bobJid).ofType(Message.Type.chat).setBody("while you were away")
                .build());
        Thread.sleep(500);
        BlockingQueue<Message> later = new ArrayBlockingQueue<>(10);
        on(0, "bob", bobPassword, "desk", c -> c.addSyncStanzaListener(s -> later.add((Message) s),
                s -> s instanceof Message m && m.getBody() != null));
        Message kept = later.poll(10, TimeUnit.SECONDS);
        assertThat(kept).isNotNull();
        assertThat(kept.getBody()).isEqualTo("while you were away");
    }

    @Test
    void aPublicationOnOneNodeReachesAContactOnTheOtherAndTheLastItemIsReadFromEither() throws Exception {
        XmppTests.mutual(nodes.get(0), "alice", "bob");
        BlockingQueue<String> bobSaw = new ArrayBlockingQueue<>(10);
        XMPPTCPConnection bob = on(1, "bob", bobPassword, "desk", c -> { });
        org.jivesoftware.smackx.geoloc.GeoLocationManager.getInstanceFor(bob).addGeoLocationListener(
                (from, geo, id, message) -> bobSaw.add(from + " " + geo.getLocality()));
        XMPPTCPConnection alice = on(0, "alice", alicePassword, "phone", c -> { });
        org.jivesoftware.smackx.geoloc.GeoLocationManager.getInstanceFor(alice).publishGeoLocation(
                org.jivesoftware.smackx.geoloc.packet.GeoLocation.builder().setLocality("Ward 3").build());
        assertThat(bobSaw.poll(10, TimeUnit.SECONDS)).isEqualTo("alice@localhost Ward 3");
        // bob's second resource, on node a, gets the last item at its first presence
        BlockingQueue<String> tabletSaw = new ArrayBlockingQueue<>(10);
        XMPPTCPConnection tablet = on(0, "bob", bobPassword, "tablet", c -> { });
        org.jivesoftware.smackx.geoloc.GeoLocationManager.getInstanceFor(tablet).addGeoLocationListener(
                (from, geo, id, message) -> tabletSaw.add(from + " " + geo.getLocality()));
        assertThat(tabletSaw.poll(10, TimeUnit.SECONDS)).isEqualTo("alice@localhost Ward 3");
    }

    @Test
    void aBlockMadeOnOneNodeHoldsAtOnceForTheUsersResourceOnTheOther() throws Exception {
        XMPPTCPConnection desk = on(0, "alice", alicePassword, "desk", c -> { });
        XMPPTCPConnection tablet = on(1, "alice", alicePassword, "tablet", c -> { });
        XMPPTCPConnection bob = on(0, "bob", bobPassword, "desk", c -> { });
        var blocking = org.jivesoftware.smackx.blocking.BlockingCommandManager.getInstanceFor(tablet);
        assertThat(blocking.isSupportedByServer()).isTrue();
        var bobJid = JidCreate.entityBareFrom("bob@localhost");
        org.jivesoftware.smackx.blocking.BlockingCommandManager.getInstanceFor(desk).blockContacts(List.of(bobJid));
        // node b's resource heard of it: its list (pushed, since it asked) and what it lets through
        XmppTests.await(() -> blocking.getBlockList().contains(bobJid));
        var probe = org.jivesoftware.smackx.disco.packet.DiscoverInfo.builder(bob)
                .to(JidCreate.fullFrom("alice@localhost/tablet")).ofType(org.jivesoftware.smack.packet.IQ.Type.get).build();
        assertThat(XmppTests.condition(() -> bob.sendIqRequestAndWaitForResponse(probe)))
                .isEqualTo(org.jivesoftware.smack.packet.StanzaError.Condition.service_unavailable);
        org.jivesoftware.smackx.blocking.BlockingCommandManager.getInstanceFor(desk).unblockAll();
        XmppTests.await(() -> blocking.getBlockList().isEmpty());
        var again = org.jivesoftware.smackx.disco.packet.DiscoverInfo.builder(bob)
                .to(JidCreate.fullFrom("alice@localhost/tablet")).ofType(org.jivesoftware.smack.packet.IQ.Type.get).build();
        assertThat(bob.sendIqRequestAndWaitForResponse(again).getType())
                .isEqualTo(org.jivesoftware.smack.packet.IQ.Type.result);
    }

    @Test
    void aResourceBoundAgainOnAnotherNodeEndsTheFirstSession() throws Exception {
        BlockingQueue<Exception> closed = new ArrayBlockingQueue<>(1);
        XMPPTCPConnection first = on(0, "alice", alicePassword, "phone", c -> c.addConnectionListener(
                new org.jivesoftware.smack.ConnectionListener() {
                    @Override
                    public void connectionClosedOnError(Exception e) {
                        closed.add(e);
                    }
                }));
        XMPPTCPConnection second = on(1, "alice", alicePassword, "phone", c -> { });
        Exception error = closed.poll(10, TimeUnit.SECONDS);
        assertThat(error).isInstanceOf(XMPPException.StreamErrorException.class);
        assertThat(((XMPPException.StreamErrorException) error).getStreamError().getCondition().toString())
                .isEqualTo("conflict");
        assertThat(second.isAuthenticated()).isTrue();
        assertThat(first.isConnected()).isFalse();
    }

    @Test
    void aRoomHasOccupantsOnBothNodesAndAnOccupantWhoseNodeDiedIsTakenOut() throws Exception {
        var room = JidCreate.entityBareFrom("icu@conference.localhost");
        XMPPTCPConnection alice = on(0, "alice", alicePassword, "phone", c -> { });
        XMPPTCPConnection bob = on(1, "bob", bobPassword, "desk", c -> { });
        var aliceRoom = org.jivesoftware.smackx.muc.MultiUserChatManager.getInstanceFor(alice).getMultiUserChat(room);
        aliceRoom.create(org.jxmpp.jid.parts.Resourcepart.from("Alice")).makeInstant();
        aliceRoom.sendMessage("before bob came");
        assertThat(nextBody(aliceRoom)).as("echoed once it is in the history").isEqualTo("before bob came");
        var bobRoom = org.jivesoftware.smackx.muc.MultiUserChatManager.getInstanceFor(bob).getMultiUserChat(room);
        bobRoom.join(org.jxmpp.jid.parts.Resourcepart.from("Bob"));
        assertThat(nextBody(bobRoom)).as("history, written on node A, read on node B").isEqualTo("before bob came");
        XmppTests.await(() -> aliceRoom.getOccupants().size() == 2);

        aliceRoom.sendMessage("from node A");
        assertThat(nextBody(bobRoom)).isEqualTo("from node A");
        bobRoom.sendMessage("from node B");
        XmppTests.await(() -> "from node B".equals(nextBodyOrNull(aliceRoom)));

        // a node that died leaves its occupants in Redis; the first delivery that fails takes them out (status 333)
        try (var raw = TestRedis.connect(redis)) {
            var occupants = new io.telesignal.cluster.redis.RedisOccupants(raw);
            var carol = nodes.get(0).services().accounts().addWithoutPassword(new Login("carol"), "Carol",
                    Set.of(Role.PROVIDER), "test");
            occupants.enter("icu", new io.telesignal.core.groupchat.Occupant("Carol", carol.id(), "carol", "gone-node",
                    io.telesignal.core.groupchat.RoomRole.PARTICIPANT, io.telesignal.core.groupchat.Affiliation.NONE,
                    "<presence/>"), 100).toCompletableFuture().join();
            assertThat(occupants.list("icu").toCompletableFuture().join()).hasSize(3);
            BlockingQueue<String> left = new ArrayBlockingQueue<>(2);
            aliceRoom.addParticipantListener(presence -> {
                if (presence.getType() == org.jivesoftware.smack.packet.Presence.Type.unavailable) {
                    left.add(presence.getFrom().toString() + " " + presence.toXML());
                }
            });
            aliceRoom.sendMessage("is everyone here?");
            String gone = left.poll(10, TimeUnit.SECONDS);
            assertThat(gone).startsWith("icu@conference.localhost/Carol").contains("code='333'");
            XmppTests.await(() -> occupants.list("icu").toCompletableFuture().join().size() == 2);
        }
    }

    private static String nextBody(org.jivesoftware.smackx.muc.MultiUserChat room) throws Exception {
        for (int i = 0; i < 10; i++) {
            String body = nextBodyOrNull(room);
            if (body != null) {
                return body;
            }
        }
        throw new AssertionError("no message within 10 s");
    }

    private static String nextBodyOrNull(org.jivesoftware.smackx.muc.MultiUserChat room) throws Exception {
        Message message = room.nextMessage(1000);
        return message == null ? null : message.getBody();
    }

    @Test
    void aStreamManagedSessionResumesThroughTheOtherNodeAndGoesOnThereWithNothingLostOrShownTwice() throws Exception {
        javax.net.ssl.SSLContext trustA = trust(0);
        javax.net.ssl.SSLContext trustB = trust(1);
        int portA = tlsPort(0);
        int portB = tlsPort(1);
        XmppTests.mutual(nodes.get(0), "alice", "bob");
        try (RawXmppClient alice = RawXmppClient.signedIn(trustA, portA, "alice", alicePassword, "laptop")) {
            String previd;
            try (RawXmppClient bob = RawXmppClient.signedIn(trustA, portA, "bob", bobPassword, "phone")) {
                previd = bob.enableResumption();
                bob.send("<iq type='set' id='c1'><enable xmlns='urn:xmpp:carbons:2'/></iq>");
                bob.await("id=\"c1\"");
                alice.await("from=\"bob@localhost/phone\""); // bob's presence
                // both in a room
                alice.send("<presence to='ward@conference.localhost/Alice'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
                alice.await("code=\"201\"");
                alice.send("<iq type='set' to='ward@conference.localhost' id='cfg'><query"
                        + " xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>");
                alice.await("id=\"cfg\"");
                bob.send("<presence to='ward@conference.localhost/Bob'><x xmlns='http://jabber.org/protocol/muc'/></presence>");
                bob.await("code=\"110\"");
                alice.send("<message to='bob@localhost/phone' type='chat'><body>one</body></message>");
                bob.await("<body>one</body>");
                bob.send("<message to='alice@localhost/laptop' type='chat'><body>from the phone</body></message>");
                alice.await("<body>from the phone</body>");
                // the socket dies with "one" unacknowledged; the session waits on node A
            }
            alice.send("<message to='bob@localhost/phone' type='chat'><body>two</body></message>");
            Thread.sleep(300);
            try (RawXmppClient again = RawXmppClient.authenticated(trustB, portB, "bob", bobPassword)) {
                again.send("<resume xmlns='urn:xmpp:sm:3' previd='" + previd + "' h='0'/>");
                String text = again.await("<body>two</body>");
                // the stanzas node A counted (the carbons IQ, the room presence, the message): h=3; "one", "two" again
                assertThat(text).contains("<resumed xmlns=\"urn:xmpp:sm:3\" previd=\"" + previd + "\" h=\"3\"/>");
                assertThat(text.indexOf("<resumed")).isLessThan(text.indexOf("<body>one</body>"));
                assertThat(text.indexOf("<body>one</body>")).isLessThan(text.indexOf("<body>two</body>"));
                // it goes on on node B: the same resource, new messages both ways, acknowledgements counting on
                alice.send("<message to='bob@localhost/phone' type='chat'><body>three</body></message>");
                again.await("<body>three</body>");
                again.send("<message to='alice@localhost/laptop' type='chat'><body>from node B</body></message>");
                assertThat(alice.await("<body>from node B</body>")).contains("from=\"bob@localhost/phone\"");
                // still in the room, on node B
                alice.send("<message to='ward@conference.localhost' type='groupchat'><body>to the ward</body></message>");
                again.await("<body>to the ward</body>");
                again.send("<r xmlns='urn:xmpp:sm:3'/>");
                assertThat(again.await("<a xmlns=\"urn:xmpp:sm:3\" h=\"4\"/>")).isNotNull();
                // carbons stayed on: what bob's desk sends, the phone sees
                try (RawXmppClient desk = RawXmppClient.signedIn(trustA, portA, "bob", bobPassword, "desk")) {
                    desk.send("<message to='alice@localhost/laptop' type='chat'><body>from the desk</body></message>");
                    assertThat(again.await("<body>from the desk</body>")).contains("<sent xmlns=\"urn:xmpp:carbons:2\">");
                }
                assertThat(again.received()).doesNotContain("stream:error").doesNotContain("<failed");
            }
            // alice never saw bob's phone go away while it moved
            assertThat(alice.received()).doesNotContain("type=\"unavailable\" from=\"bob@localhost/phone\"");
        }
    }

    @Test
    void aResumeWhoseCountDoesNotFitTheStreamEndsItAndKeepsItsMessagesOfflineWithoutAGhost() throws Exception {
        javax.net.ssl.SSLContext trustA = trust(0);
        javax.net.ssl.SSLContext trustB = trust(1);
        int portA = tlsPort(0);
        int portB = tlsPort(1);
        XmppTests.mutual(nodes.get(0), "alice", "bob");
        try (RawXmppClient alice = RawXmppClient.signedIn(trustA, portA, "alice", alicePassword, "laptop")) {
            String previd;
            try (RawXmppClient bob = RawXmppClient.signedIn(trustA, portA, "bob", bobPassword, "phone")) {
                previd = bob.enableResumption();
                alice.send("<message to='bob@localhost/phone' type='chat'><body>one</body></message>");
                bob.await("<body>one</body>");
            }
            try (RawXmppClient again = RawXmppClient.authenticated(trustB, portB, "bob", bobPassword)) {
                again.send("<resume xmlns='urn:xmpp:sm:3' previd='" + previd + "' h='99'/>"); // more than was sent
                assertThat(again.await("<failed")).contains("<item-not-found");
                again.send("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>tablet"
                        + "</resource></bind></iq><presence/>");
                assertThat(again.await("<body>one</body>")).contains("urn:xmpp:delay");
            }
            // the phone ended on node A the usual way: its contact saw it go, nothing of it is left behind
            assertThat(alice.await("type=\"unavailable\" from=\"bob@localhost/phone\"")).isNotNull();
        }
    }

    @Test
    void aResumableStreamIsCopiedToRedisWrittenAgainWhenRedisLostItAndEndsKeepingNothingWhenAnotherNodeTakesIt()
            throws Exception {
        javax.net.ssl.SSLContext trustA = trust(0);
        int portA = tlsPort(0);
        var bobId = nodes.get(0).services().accounts().find(new Login("bob")).orElseThrow().id();
        String endpoint = io.telesignal.xmpp.stream.StanzaRouter.endpointOf(bobId, "phone").value();
        try (RawXmppClient alice = RawXmppClient.signedIn(trustA, portA, "alice", alicePassword, "laptop");
                RawXmppClient bob = RawXmppClient.signedIn(trustA, portA, "bob", bobPassword, "phone");
                var raw = TestRedis.connect(redis)) {
            String previd = bob.enableResumption();
            alice.send("<message to='bob@localhost/phone' type='chat'><body>one</body></message>");
            bob.await("<body>one</body>");
            String queue = raw.key("s:" + endpoint + ":q");
            XmppTests.await(() -> raw.commands().lrange(queue, 0, -1).get().size() == 1);
            assertThat(raw.commands().lrange(queue, 0, -1).get().get(0)).contains("<body>one</body>");

            // Redis lost the copy (restarted empty): the next message still goes out, and the copy is written again
            raw.commands().del(raw.key("s:" + endpoint), queue).get();
            alice.send("<message to='bob@localhost/phone' type='chat'><body>two</body></message>");
            bob.await("<body>two</body>");
            XmppTests.await(() -> raw.commands().lrange(queue, 0, -1).get().size() == 2);

            // another node claims it (bob resumed there while node A was slow to answer): node A ends the session
            // and keeps nothing offline, the claiming node has "two"
            var bus = new io.telesignal.cluster.redis.RedisBus(raw);
            try {
                var claim = new io.telesignal.cluster.redis.RedisSharedSessions(raw, bus, 4).claim(endpoint, bobId.value(),
                        java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(previd.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                        new io.telesignal.core.identity.NodeId("node-b"), 1).toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertThat(claim.claimed().orElseThrow().replay()).singleElement().asString().contains("<body>two</body>");
            } finally {
                bus.close();
            }
            bob.await("</stream:stream>");
        }
        try (RawXmppClient tablet = RawXmppClient.signedIn(trustA, portA, "bob", bobPassword, "tablet")) {
            tablet.send("<iq type='get' id='ping'><ping xmlns='urn:xmpp:ping'/></iq>");
            Thread.sleep(1000);
            assertThat(tablet.await("id=\"ping\"")).doesNotContain("<body>");
        }
    }

    @Test
    void aComponentOnOneNodeServesUsersOnTheOtherAndItsDomainIsHeldOnceInTheCluster() throws Exception {
        javax.net.ssl.SSLContext trustB = trust(1);
        int portB = tlsPort(1);
        int componentA = nodes.get(0).xmpp().orElseThrow().componentAddress().orElseThrow().getPort();
        int componentB = nodes.get(1).xmpp().orElseThrow().componentAddress().orElseThrow().getPort();
        try (RawXmppClient bot = RawXmppClient.componentReady(componentA, "bot.localhost", BOT_SECRET);
                RawXmppClient alice = RawXmppClient.signedIn(trustB, portB, "alice", alicePassword, "phone")) {
            alice.send("<message to='echo@bot.localhost' type='chat' id='m1'><body>from node B</body></message>");
            assertThat(bot.await("<body>from node B</body>")).contains("from=\"alice@localhost/phone\"");
            bot.send("<message from='echo@bot.localhost' to='alice@localhost/phone' type='chat'><body>from node A</body>"
                    + "</message>");
            assertThat(alice.await("<body>from node A</body>")).contains("from=\"echo@bot.localhost\"");
            try (RawXmppClient second = RawXmppClient.component(componentB, "bot.localhost")) {
                second.send("<handshake>" + RawXmppClient.handshake(second.streamId(), BOT_SECRET) + "</handshake>");
                assertThat(second.await("</stream:error>")).contains("<conflict");
            }
        }
        // the component left node A: it may connect to node B now
        XmppTests.await(() -> {
            try (RawXmppClient again = RawXmppClient.component(componentB, "bot.localhost")) {
                again.send("<handshake>" + RawXmppClient.handshake(again.streamId(), BOT_SECRET) + "</handshake>");
                for (int i = 0; i < 100 && !again.received().contains("<handshake/>")
                        && !again.received().contains("stream:error"); i++) {
                    Thread.sleep(20);
                }
                return again.received().contains("<handshake/>");
            }
        });
    }

    @Test
    void aFileWhoseSlotCameFromOneNodeIsPutThroughTheOtherAndReadFromEither() throws Exception {
        javax.net.ssl.SSLContext trustA = trust(0);
        int portA = tlsPort(0);
        String slotUrl;
        String authorization;
        try (RawXmppClient alice = RawXmppClient.signedIn(trustA, portA, "alice", alicePassword, "phone")) {
            alice.send("<iq type='get' to='upload.localhost' id='slot'><request xmlns='urn:xmpp:http:upload:0'"
                    + " filename='chart.pdf' size='9' content-type='application/pdf'/></iq>");
            alice.await("</slot>");
            java.util.regex.Matcher put = java.util.regex.Pattern.compile(
                    "<put url=\"([^\"]+)\"><header name=\"Authorization\">([^<]+)</header>").matcher(alice.received());
            assertThat(put.find()).isTrue();
            slotUrl = put.group(1);
            authorization = put.group(2);
        }
        String path = java.net.URI.create(slotUrl).getPath();
        var http = java.net.http.HttpClient.newHttpClient();
        var stored = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                + nodes.get(1).httpAddress().getPort() + path)).header("Authorization", authorization)
                .header("Content-Type", "application/pdf")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("%PDF-1.7\n")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(stored.statusCode()).isEqualTo(201);
        for (TelesignalServer node : nodes) {
            var got = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                    + node.httpAddress().getPort() + path)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.body()).isEqualTo("%PDF-1.7\n");
        }
    }

    @Test
    void aResourceBoundAgainOnAnotherNodeWhileItsStreamWaitsDetachedLosesNothingAndKeepsItsNewCopy() throws Exception {
        javax.net.ssl.SSLContext trustA = trust(0);
        javax.net.ssl.SSLContext trustB = trust(1);
        int portA = tlsPort(0);
        int portB = tlsPort(1);
        var bobId = nodes.get(0).services().accounts().find(new Login("bob")).orElseThrow().id();
        String queue = "s:" + io.telesignal.xmpp.stream.StanzaRouter.endpointOf(bobId, "phone").value() + ":q";
        try (RawXmppClient alice = RawXmppClient.signedIn(trustA, portA, "alice", alicePassword, "laptop");
                var raw = TestRedis.connect(redis)) {
            try (RawXmppClient bob = RawXmppClient.signedIn(trustA, portA, "bob", bobPassword, "phone")) {
                bob.send("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
                bob.await("<enabled");
                alice.send("<message to='bob@localhost/phone' type='chat'><body>one</body></message>");
                bob.await("<body>one</body>");
            } // the socket dies: the stream waits detached on node A, its copy in Redis
            try (RawXmppClient again = RawXmppClient.signedIn(trustB, portB, "bob", bobPassword, "phone")) {
                assertThat(again.await("<body>one</body>")).contains("urn:xmpp:delay"); // kept before this bound
                again.send("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
                again.await("<enabled");
                alice.send("<message to='bob@localhost/phone' type='chat'><body>two</body></message>");
                again.await("<body>two</body>");
                // the new stream has a copy of its own, and goes on
                XmppTests.await(() -> raw.commands().lrange(raw.key(queue), 0, -1).get().stream()
                        .anyMatch(m -> m.contains("<body>two</body>")));
                alice.send("<message to='bob@localhost/phone' type='chat'><body>three</body></message>");
                assertThat(again.await("<body>three</body>")).doesNotContain("stream:error");
            }
        }
    }
}
