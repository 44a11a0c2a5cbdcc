package io.telesignal.server.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.UserId;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.geoloc.GeoLocationManager;
import org.jivesoftware.smackx.geoloc.packet.GeoLocation;
import org.jivesoftware.smackx.pep.PepManager;
import org.jivesoftware.smackx.pubsub.AccessModel;
import org.jivesoftware.smackx.pubsub.Item;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.jivesoftware.smackx.pubsub.form.ConfigureForm;
import org.jivesoftware.smackx.pubsub.form.FillableConfigureForm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * Personal eventing (XEP-0163) with Smack 4.4 as the client: a contact whose client wants a node's notifications is
 * told of each publication and gets the last item when it comes online; nodes created, opened, read by others and
 * deleted through Smack's pubsub manager, as OpenPGP for XMPP (XEP-0373) uses them; and on raw streams, the
 * capabilities the server asks for and keeps, notifications filtered by them, retractions and deletions, every
 * refusal and every limit.
 */
class XmppPepTest {
    @TempDir
    Path dir;
    private TelesignalServer server;
    private final List<XMPPTCPConnection> connections = new java.util.ArrayList<>();
    private final java.util.Map<String, String> passwords = new java.util.HashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0", "xmpp.directTlsPort", "0",
                "xmpp.host", "127.0.0.1", "xmpp.authFailureDelay", "0s", "xmpp.pep.maxNodes", "3", "xmpp.pep.maxItems", "5",
                "xmpp.pep.maxItemBytes", "1024");
        for (String login : List.of("alice", "bob", "carol")) {
            passwords.put(login, XmppTests.device(server, login));
        }
    }

    @AfterEach
    void stop() {
        connections.forEach(XMPPTCPConnection::disconnect);
        if (server != null) {
            server.stop();
        }
    }

    private UserId id(String login) {
        return server.services().accounts().find(new Login(login)).orElseThrow().id();
    }

    private void mutual(String a, String b) {
        XmppTests.mutual(server, a, b);
    }

    private XMPPTCPConnection connect(String login, String resource) throws Exception {
        XMPPTCPConnection connection = XmppTests.smack(server, XmppSmackTest.trustManager(dir), login,
                passwords.get(login), resource);
        connections.add(connection);
        return connection;
    }

    private static GeoLocation at(String locality) {
        return GeoLocation.builder().setLocality(locality).setLat(48.85).setLon(2.35).build();
    }

    private static BareJid bare(String text) throws Exception {
        return JidCreate.bareFrom(text);
    }

    @Test
    void aContactWhoseClientWantsANodeIsToldOfEachPublicationAndGetsTheLastOneWhenItComesOnline() throws Exception {
        mutual("alice", "bob");
        XMPPTCPConnection bob = connect("bob", "phone");
        BlockingQueue<String> bobSaw = new LinkedBlockingQueue<>();
        // adding the listener adds geoloc+notify to bob's capabilities, which his client announces at once
        GeoLocationManager.getInstanceFor(bob).addGeoLocationListener((from, geo, id, message) ->
                bobSaw.add(from + " " + geo.getLocality()));
        XMPPTCPConnection alice = connect("alice", "desk");
        BlockingQueue<String> aliceSaw = new LinkedBlockingQueue<>();
        GeoLocationManager.getInstanceFor(alice).addGeoLocationListener((from, geo, id, message) ->
                aliceSaw.add(from + " " + geo.getLocality()));

        GeoLocationManager.getInstanceFor(alice).publishGeoLocation(at("Ward 3"));
        assertThat(bobSaw.poll(10, TimeUnit.SECONDS)).isEqualTo("alice@localhost Ward 3");
        assertThat(aliceSaw.poll(10, TimeUnit.SECONDS)).isEqualTo("alice@localhost Ward 3"); // her own resources too
        GeoLocationManager.getInstanceFor(alice).publishGeoLocation(at("Ward 4"));
        assertThat(bobSaw.poll(10, TimeUnit.SECONDS)).isEqualTo("alice@localhost Ward 4");

        // bob's tablet comes online later: the last item at its first presence
        XMPPTCPConnection tablet = connect("bob", "tablet");
        BlockingQueue<String> tabletSaw = new LinkedBlockingQueue<>();
        GeoLocationManager.getInstanceFor(tablet).addGeoLocationListener((from, geo, id, message) ->
                tabletSaw.add(from + " " + geo.getLocality()));
        assertThat(tabletSaw.poll(10, TimeUnit.SECONDS)).isEqualTo("alice@localhost Ward 4");
    }

    @Test
    void nodesAreCreatedOpenedReadByOthersAndDeletedAsOpenPgpUsesThem() throws Exception {
        mutual("alice", "bob");
        XMPPTCPConnection alice = connect("alice", "desk");
        assertThat(PepManager.getInstanceFor(alice).isSupported()).isTrue();
        PubSubManager mine = PubSubManager.getInstanceFor(alice, bare("alice@localhost"));
        LeafNode keys = mine.getOrCreateLeafNode("urn:xmpp:openpgp:0:public-keys");
        ConfigureForm config = keys.getNodeConfiguration();
        assertThat(config.getAccessModel()).isEqualTo(AccessModel.presence);
        FillableConfigureForm open = config.getFillableForm();
        open.setAccessModel(AccessModel.open);
        keys.sendConfigurationForm(open);
        assertThat(keys.getNodeConfiguration().getAccessModel()).isEqualTo(AccessModel.open);
        keys.publish(new PayloadItem<>("k1", StandardExtensionElement.builder("public-keys-list", "urn:xmpp:openpgp:0")
                .addElement("pubkey-metadata", "").build()));
        // a private node: presence access
        mine.getOrCreateLeafNode("urn:example:ward-notes").publish(new PayloadItem<>("n1",
                StandardExtensionElement.builder("note", "urn:example").setText("Émile: stable").build()));

        // carol is no contact: she reads the open node, and the other is not there for her
        XMPPTCPConnection carol = connect("carol", "desk");
        PubSubManager alicesForCarol = PubSubManager.getInstanceFor(carol, bare("alice@localhost"));
        List<Item> read = alicesForCarol.getLeafNode("urn:xmpp:openpgp:0:public-keys").getItems(1);
        assertThat(read).hasSize(1);
        assertThat(read.get(0).getId()).isEqualTo("k1");
        assertThat(read.get(0).toXML().toString()).contains("public-keys-list");
        assertThat(XmppTests.condition(() -> alicesForCarol.getLeafNode("urn:example:ward-notes"))).isEqualTo(StanzaError.Condition.item_not_found);
        // bob receives alice's presence: he reads it
        XMPPTCPConnection bob = connect("bob", "desk");
        List<Item> notes = PubSubManager.getInstanceFor(bob, bare("alice@localhost")).getLeafNode("urn:example:ward-notes")
                .getItems();
        assertThat(notes).hasSize(1);
        assertThat(notes.get(0).toXML().toString()).contains("Émile: stable");

        // only the owner changes a node
        assertThat(XmppTests.condition(() -> PubSubManager.getInstanceFor(bob, bare("alice@localhost")).deleteNode("urn:example:ward-notes")))
                .isEqualTo(StanzaError.Condition.forbidden);
        assertThat(mine.deleteNode("urn:example:ward-notes")).isTrue();
        assertThat(mine.deleteNode("urn:example:ward-notes")).isFalse(); // item-not-found the second time
        assertThat(XmppTests.condition(() -> PubSubManager.getInstanceFor(bob, bare("alice@localhost"))
                .getLeafNode("urn:example:ward-notes").getItems())).isEqualTo(StanzaError.Condition.item_not_found);
    }

    @Test
    void aVcardIsKeptForItsOwnerAndReadByContactsOnly() throws Exception {
        mutual("alice", "bob");
        XMPPTCPConnection alice = connect("alice", "desk");
        var mine = org.jivesoftware.smackx.vcardtemp.VCardManager.getInstanceFor(alice);
        assertThat(mine.isSupported(bare("alice@localhost"))).isTrue();
        assertThat(mine.loadVCard().getFirstName()).isNull(); // none yet: an empty vCard
        var card = new org.jivesoftware.smackx.vcardtemp.packet.VCard();
        card.setFirstName("Alice");
        card.setLastName("Émile-Martin");
        card.setEmailWork("alice@clinic.example");
        card.setAvatar(new byte[] {1, 2, 3, 4}, "image/png");
        mine.saveVCard(card);
        var again = mine.loadVCard();
        assertThat(again.getLastName()).isEqualTo("Émile-Martin");
        assertThat(again.getAvatar()).containsExactly(1, 2, 3, 4);

        XMPPTCPConnection bob = connect("bob", "desk");
        var alicesForBob = org.jivesoftware.smackx.vcardtemp.VCardManager.getInstanceFor(bob)
                .loadVCard(JidCreate.entityBareFrom("alice@localhost"));
        assertThat(alicesForBob.getFirstName()).isEqualTo("Alice");
        assertThat(alicesForBob.getEmailWork()).isEqualTo("alice@clinic.example");
        XMPPTCPConnection carol = connect("carol", "desk");
        assertThat(XmppTests.condition(() -> org.jivesoftware.smackx.vcardtemp.VCardManager.getInstanceFor(carol)
                .loadVCard(JidCreate.entityBareFrom("alice@localhost")))).isEqualTo(StanzaError.Condition.item_not_found);
        assertThat(XmppTests.condition(() -> org.jivesoftware.smackx.vcardtemp.VCardManager.getInstanceFor(bob)
                .loadVCard(JidCreate.entityBareFrom("nobody@localhost")))).isEqualTo(StanzaError.Condition.item_not_found);
        // larger than xmpp.pep.maxItemBytes (1024 here): refused, the old one kept
        var big = new org.jivesoftware.smackx.vcardtemp.packet.VCard();
        big.setAvatar(new byte[2048], "image/png");
        assertThat(XmppTests.condition(() -> mine.saveVCard(big))).isEqualTo(StanzaError.Condition.not_acceptable);
        assertThat(mine.loadVCard().getFirstName()).isEqualTo("Alice");
    }

    private RawXmppClient raw(String login, String resource, String presence) throws Exception {
        return RawXmppClient.signedIn(trust(), server.xmpp()
                .orElseThrow().directTlsAddress().orElseThrow().getPort(), login, passwords.get(login), resource, presence);
    }

    private javax.net.ssl.SSLContext trust() throws Exception {
        return io.telesignal.net.tls.TlsContexts.trustingOnly(dir.resolve("tls").resolve("selfsigned-cert.pem"));
    }

    private static String info(String... features) {
        StringBuilder info = new StringBuilder("<query xmlns='http://jabber.org/protocol/disco#info'>"
                + "<identity category='client' type='pc'/>");
        for (String feature : features) {
            info.append("<feature var='").append(feature).append("'/>");
        }
        return info.append("</query>").toString();
    }

    /** A presence announcing these features as XEP-0115 capabilities. */
    private static String capsPresence(String... features) throws Exception {
        String ver = io.telesignal.xmpp.pep.EntityCaps.verification(io.telesignal.xmpp.xml.XmlStreamParser.parseElement(
                info(features), 100_000, 20), "sha-1").orElseThrow();
        return "<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='https://example.org/c' ver='"
                + ver + "'/></presence>";
    }

    /** Answers the server's disco#info request with these features, and waits until it is taken; answers its id. */
    private static String answerCaps(RawXmppClient client, String... features) throws Exception {
        String all = client.await("id=\"caps-");
        int at = all.indexOf("id=\"caps-") + 4;
        String id = all.substring(at, all.indexOf('"', at));
        String node = all.substring(all.indexOf("node=\"", at) + 6, all.indexOf('"', all.indexOf("node=\"", at) + 6));
        client.send("<iq type='result' id='" + id + "' to='" + "x@localhost'>" + info(features).replace(
                "<query xmlns='http://jabber.org/protocol/disco#info'>",
                "<query xmlns='http://jabber.org/protocol/disco#info' node='" + node + "'>") + "</iq>"
                + "<iq type='get' id='after-" + id + "'><ping xmlns='urn:xmpp:ping'/></iq>");
        client.await("id=\"after-" + id + "\""); // taken in order: the answer is known once the ping is answered
        return id;
    }

    private static String publish(String id, String node, String itemId, String payload) {
        return "<iq type='set' id='" + id + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='" + node
                + "'><item id='" + itemId + "'>" + payload + "</item></publish></pubsub></iq>";
    }

    @Test
    void notificationsGoToTheResourcesThatWantThemAsTheirCapabilitiesSay() throws Exception {
        mutual("alice", "bob");
        String[] wantsStatus = {"http://jabber.org/protocol/disco#info", "urn:example:status+notify"};
        String[] wantsOther = {"http://jabber.org/protocol/disco#info", "urn:example:other+notify"};
        try (RawXmppClient alice = raw("alice", "desk", "<presence/>");
                RawXmppClient bob1 = raw("bob", "phone", capsPresence(wantsStatus));
                RawXmppClient bob2 = raw("bob", "tablet", capsPresence(wantsOther));
                RawXmppClient carol = raw("carol", "desk", "")) {
            answerCaps(bob1, wantsStatus);
            answerCaps(bob2, wantsOther);
            // the same capabilities again, elsewhere: known, not asked (carol is no contact of alice's)
            carol.send(capsPresence(wantsStatus) + "<iq type='get' id='ping1'><ping xmlns='urn:xmpp:ping'/></iq>");
            assertThat(carol.await("id=\"ping1\"")).doesNotContain("caps-");

            alice.send(publish("p1", "urn:example:status", "s1", "<status xmlns='urn:example'>in theatre</status>"));
            assertThat(alice.await("id=\"p1\"")).contains("type=\"result\"");
            String event = bob1.await("in theatre");
            assertThat(event).contains("from=\"alice@localhost\"").contains("type=\"headline\"")
                    .contains("<event xmlns=\"http://jabber.org/protocol/pubsub#event\"><items node=\"urn:example:status\">"
                            + "<item id=\"s1\"><status xmlns=\"urn:example\">in theatre</status></item></items></event>");
            alice.send(publish("p2", "urn:example:other", "o1", "<other xmlns='urn:example'>second</other>"));
            bob2.await("second");
            // notifications of one publisher keep their order: the tablet saw the first one come and go unshown
            assertThat(bob2.received()).doesNotContain("in theatre");
            assertThat(bob1.received()).doesNotContain("second");
            assertThat(carol.received()).doesNotContain("pubsub#event");

            // a retraction with notify, then the node deleted: both told
            alice.send("<iq type='set' id='r1'><pubsub xmlns='http://jabber.org/protocol/pubsub'><retract"
                    + " node='urn:example:status' notify='true'><item id='s1'/></retract></pubsub></iq>");
            assertThat(bob1.await("<retract id=\"s1\"/>")).contains("<items node=\"urn:example:status\"><retract");
            alice.send(publish("p3", "urn:example:status", "s2", "<status xmlns='urn:example'>on call</status>"));
            bob1.await("on call");

            // bob's laptop comes online wanting the status: the last item at once, without being asked its capabilities
            try (RawXmppClient laptop = raw("bob", "laptop", capsPresence(wantsStatus))) {
                assertThat(laptop.await("on call")).doesNotContain("caps-").contains("<item id=\"s2\">");
            }
            alice.send("<iq type='set' id='d1'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><delete"
                    + " node='urn:example:status'/></pubsub></iq>");
            assertThat(bob1.await("<delete node=\"urn:example:status\"/>")).contains("from=\"alice@localhost\"");
            assertThat(alice.await("id=\"d1\"")).contains("type=\"result\"");
        }
    }

    /** The error stanza answering this id, whole. */
    private static String answer(RawXmppClient client, String id) throws Exception {
        String all = client.await("id=\"" + id + "\"");
        int at = all.indexOf("id=\"" + id + "\"");
        int start = all.lastIndexOf("<iq", at);
        client.await("</iq>");
        all = client.received();
        int close = all.indexOf("</iq>", at);
        int selfClosed = all.indexOf("/>", at);
        int end = close < 0 ? selfClosed + 2 : close + 5;
        return all.substring(start, end);
    }

    @Test
    void everyRefusalIsTheOneXep0060NamesAndEveryLimitHolds() throws Exception {
        mutual("bob", "carol");
        try (RawXmppClient alice = raw("alice", "desk", "<presence/>"); RawXmppClient bob = raw("bob", "desk", "<presence/>")) {
            bob.send(publish("b1", "urn:example:notes", "n1", "<note xmlns='urn:example'>private</note>"));
            assertThat(answer(bob, "b1")).contains("type=\"result\"");

            alice.send(publish("e1", "urn:example:notes", "x", "<x xmlns='urn:example'/>").replace("<iq ",
                    "<iq to='bob@localhost' "));
            assertThat(answer(alice, "e1")).contains("<forbidden");
            alice.send("<iq type='set' id='e2'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish><item>"
                    + "<x xmlns='urn:example'/></item></publish></pubsub></iq>");
            assertThat(answer(alice, "e2")).contains("<bad-request").contains("<nodeid-required");
            alice.send("<iq type='set' id='e3'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='n'>"
                    + "<item><x xmlns='urn:example'/></item><item><x xmlns='urn:example'/></item></publish></pubsub></iq>");
            assertThat(answer(alice, "e3")).contains("<bad-request").contains("<invalid-payload");
            alice.send(publish("e4", "n", "i", ""));
            assertThat(answer(alice, "e4")).contains("<bad-request").contains("<payload-required");
            alice.send(publish("e5", "n", "i", "<x xmlns='urn:example'>" + "a".repeat(1100) + "</x>"));
            assertThat(answer(alice, "e5")).contains("<not-acceptable").contains("<payload-too-big");
            alice.send("<iq type='set' id='e6'><pubsub xmlns='http://jabber.org/protocol/pubsub'><subscribe"
                    + " node='urn:example:notes' jid='alice@localhost'/></pubsub></iq>");
            assertThat(answer(alice, "e6")).contains("<feature-not-implemented").contains("<unsupported")
                    .contains("feature=\"subscribe\"");
            // bob's node is not alice's to read, nor is bob's account hers to describe: as if neither were there
            alice.send("<iq type='get' id='e7' to='bob@localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<items node='urn:example:notes'/></pubsub></iq>");
            assertThat(answer(alice, "e7")).contains("<item-not-found");
            alice.send("<iq type='get' id='e8' to='nobody@localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<items node='urn:example:notes'/></pubsub></iq>");
            assertThat(answer(alice, "e8")).contains("<item-not-found");
            alice.send("<iq type='set' id='e12' to='bob@localhost'><vCard xmlns='vcard-temp'><FN>Not Bob</FN></vCard></iq>");
            assertThat(answer(alice, "e12")).contains("<forbidden");
            alice.send("<iq type='get' id='e9' to='bob@localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
            assertThat(answer(alice, "e9")).contains("<service-unavailable");
            alice.send("<iq type='get' id='e10' to='bob@localhost'><query xmlns='http://jabber.org/protocol/disco#items'/></iq>");
            assertThat(answer(alice, "e10")).contains("type=\"result\"").doesNotContain("urn:example:notes");
            bob.send("<iq type='set' id='e11'><pubsub xmlns='http://jabber.org/protocol/pubsub'><retract node='urn:example:notes'>"
                    + "<item id='nope'/></retract></pubsub></iq>");
            assertThat(answer(bob, "e11")).contains("<item-not-found");

            // the node limit (3), by creation and by publication
            for (String node : List.of("a", "b", "c")) {
                alice.send("<iq type='set' id='c-" + node + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                        + "<create node='" + node + "'/></pubsub></iq>");
                assertThat(answer(alice, "c-" + node)).contains("type=\"result\"");
            }
            alice.send("<iq type='set' id='c-a2'><pubsub xmlns='http://jabber.org/protocol/pubsub'><create node='a'/>"
                    + "</pubsub></iq>");
            assertThat(answer(alice, "c-a2")).contains("<conflict");
            alice.send("<iq type='set' id='c-d'><pubsub xmlns='http://jabber.org/protocol/pubsub'><create node='d'/>"
                    + "</pubsub></iq>");
            assertThat(answer(alice, "c-d")).contains("<not-allowed").contains("<max-nodes-exceeded");
            alice.send(publish("c-e", "e", "1", "<x xmlns='urn:example'/>"));
            assertThat(answer(alice, "c-e")).contains("<not-allowed").contains("<max-nodes-exceeded");

            // the items limit (5): above it refused, "max" is the limit, and a node keeps that many
            alice.send(configure("f1", "a", "pubsub#max_items", "6"));
            assertThat(answer(alice, "f1")).contains("<not-acceptable");
            alice.send(configure("f2", "a", "pubsub#access_model", "roster"));
            assertThat(answer(alice, "f2")).contains("<not-acceptable");
            alice.send(configure("f3", "a", "pubsub#max_items", "max"));
            assertThat(answer(alice, "f3")).contains("type=\"result\"");
            for (int i = 1; i <= 7; i++) {
                alice.send(publish("i" + i, "a", "item-" + i, "<x xmlns='urn:example'>" + i + "</x>"));
                answer(alice, "i" + i);
            }
            alice.send("<iq type='get' id='g1'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='a'/>"
                    + "</pubsub></iq>");
            String items = answer(alice, "g1");
            assertThat(items).contains("item-7", "item-3").doesNotContain("item-2").doesNotContain("item-1\"");
            alice.send("<iq type='get' id='g2'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='a'"
                    + " max_items='2'/></pubsub></iq>");
            assertThat(answer(alice, "g2")).contains("item-7", "item-6").doesNotContain("item-5");
            alice.send("<iq type='get' id='g3'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><configure node='a'/>"
                    + "</pubsub></iq>");
            assertThat(answer(alice, "g3")).contains("var=\"pubsub#max_items\"").contains("<value>5</value>");

            // publish options (XEP-0060 §7.1.5): met, or the publication is refused and nothing changes
            alice.send(publishWithOptions("o1", "a", "presence"));
            assertThat(answer(alice, "o1")).contains("type=\"result\"");
            alice.send(publishWithOptions("o2", "a", "open"));
            assertThat(answer(alice, "o2")).contains("<conflict").contains("<precondition-not-met");
            alice.send(configure("o3", "b", "pubsub#access_model", "whitelist"));
            assertThat(answer(alice, "o3")).contains("type=\"result\"");
            // whitelist: the owner alone; bob may not read it even as a contact
            mutual("alice", "bob");
            alice.send(publish("o4", "b", "w1", "<x xmlns='urn:example'>mine</x>"));
            answer(alice, "o4");
            bob.send("<iq type='get' id='o5' to='alice@localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'>"
                    + "<items node='b'/></pubsub></iq>");
            assertThat(answer(bob, "o5")).contains("<item-not-found");
            // bob is alice's contact now: her account is described to him, with the personal service on it
            bob.send("<iq type='get' id='o6' to='alice@localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
            assertThat(answer(bob, "o6")).contains("category=\"pubsub\" type=\"pep\"")
                    .contains("http://jabber.org/protocol/pubsub#publish-options");
        }
    }

    private static String configure(String id, String node, String var, String value) {
        return "<iq type='set' id='" + id + "'><pubsub xmlns='http://jabber.org/protocol/pubsub#owner'><configure node='"
                + node + "'><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>"
                + "http://jabber.org/protocol/pubsub#node_config</value></field><field var='" + var + "'><value>" + value
                + "</value></field></x></configure></pubsub></iq>";
    }

    private static String publishWithOptions(String id, String node, String access) {
        return "<iq type='set' id='" + id + "'><pubsub xmlns='http://jabber.org/protocol/pubsub'><publish node='" + node
                + "'><item id='opt'><x xmlns='urn:example'/></item></publish><publish-options><x xmlns='jabber:x:data'"
                + " type='submit'><field var='FORM_TYPE' type='hidden'><value>http://jabber.org/protocol/pubsub#publish-options"
                + "</value></field><field var='pubsub#access_model'><value>" + access + "</value></field></x>"
                + "</publish-options></pubsub></iq>";
    }
}
