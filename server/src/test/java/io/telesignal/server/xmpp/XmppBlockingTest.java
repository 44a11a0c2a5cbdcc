package io.telesignal.server.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.Login;
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
 * Blocking (XEP-0191) on raw streams: the list read, a contact blocked (pushed to the resource that asked, the
 * contact sees the user go unavailable, its messages and IQs refused, the user's own refused with {@code blocked}),
 * the block kept for a resource that signs in later, unblocked (presence again, messages again), and every refusal
 * and the limit.
 */
class XmppBlockingTest {
    @TempDir
    Path dir;
    private TelesignalServer server;
    private SSLContext trust;
    private int port;
    private final java.util.Map<String, String> passwords = new java.util.HashMap<>();

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0", "xmpp.directTlsPort", "0",
                "xmpp.host", "127.0.0.1", "xmpp.maxBlockedJids", "3");
        trust = TlsContexts.trustingOnly(dir.resolve("tls").resolve("selfsigned-cert.pem"));
        port = server.xmpp().orElseThrow().directTlsAddress().orElseThrow().getPort();
        for (String login : List.of("alice", "bob", "carol", "dave")) {
            passwords.put(login, XmppTests.device(server, login));
        }
        XmppTests.mutual(server, "alice", "bob");
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private RawXmppClient signIn(String login, String resource) throws Exception {
        return RawXmppClient.signedIn(trust, port, login, passwords.get(login), resource);
    }

    /** The stanza that carries {@code marker}, whole (from its start tag to its end). */
    private static String stanza(RawXmppClient client, String marker) throws Exception {
        String all = client.await(marker);
        int at = all.indexOf(marker);
        int start = Math.max(all.lastIndexOf("<iq", at), Math.max(all.lastIndexOf("<message", at),
                all.lastIndexOf("<presence", at)));
        String name = all.substring(start + 1, all.indexOf(' ', start));
        int end = all.indexOf("</" + name + ">", at);
        int selfClosed = all.indexOf("/>", at);
        return all.substring(start, end < 0 ? selfClosed + 2 : end + name.length() + 3);
    }

    @Test
    void aBlockedContactIsKeptOutBothWaysUntilUnblocked() throws Exception {
        try (RawXmppClient desk = signIn("alice", "desk"); RawXmppClient phone = signIn("alice", "phone");
                RawXmppClient bob = signIn("bob", "desk"); RawXmppClient carol = signIn("carol", "desk")) {
            bob.await("from=\"alice@localhost/phone\"");
            desk.send("<iq type='get' id='l1'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
            assertThat(stanza(desk, "id=\"l1\"")).contains("<blocklist xmlns=\"urn:xmpp:blocking\"/>");

            desk.send("<iq type='set' id='v1'><vCard xmlns='vcard-temp'><FN>Alice</FN></vCard></iq>");
            assertThat(stanza(desk, "id=\"v1\"")).contains("type=\"result\"");
            desk.send("<iq type='set' id='b1'><block xmlns='urn:xmpp:blocking'><item jid='bob@localhost'/></block></iq>");
            assertThat(stanza(desk, "id=\"b1\"")).contains("type=\"result\"");
            // the resource that asked for the list hears of the change; bob sees both of alice's resources go
            assertThat(stanza(desk, "id=\"block-push-1\"")).contains("<block xmlns=\"urn:xmpp:blocking\"><item jid=\"bob@localhost\"/></block>");
            bob.await("<presence xmlns=\"jabber:client\" type=\"unavailable\" from=\"alice@localhost/desk\"");
            bob.await("<presence xmlns=\"jabber:client\" type=\"unavailable\" from=\"alice@localhost/phone\"");

            // bob's message and IQ are refused, and reach neither resource; carol's still come
            bob.send("<message to='alice@localhost' type='chat' id='m1'><body>let me in</body></message>");
            assertThat(stanza(bob, "id=\"m1\"")).contains("type=\"error\"").contains("<service-unavailable");
            bob.send("<iq type='get' id='p1' to='alice@localhost/desk'><ping xmlns='urn:xmpp:ping'/></iq>");
            assertThat(stanza(bob, "id=\"p1\"")).contains("type=\"error\"").contains("<service-unavailable");
            carol.send("<message to='alice@localhost/desk' type='chat' id='c1'><body>from carol</body></message>");
            desk.await("from carol");
            assertThat(desk.received()).doesNotContain("let me in");
            assertThat(phone.received()).doesNotContain("let me in");
            // and alice may not write to him: not-acceptable, saying why
            desk.send("<message to='bob@localhost' type='chat' id='a1'><body>hello?</body></message>");
            assertThat(stanza(desk, "id=\"a1\"")).contains("<not-acceptable").contains("<blocked xmlns=\"urn:xmpp:blocking:errors\"/>");

            // nothing of alice's reaches him: not her vCard, not her next presence
            bob.send("<iq type='get' id='v2' to='alice@localhost'><vCard xmlns='vcard-temp'/></iq>");
            assertThat(stanza(bob, "id=\"v2\"")).contains("<item-not-found");
            desk.send("<presence><status>busy</status></presence>");

            // a resource signing in later has the list from the store
            try (RawXmppClient tablet = signIn("alice", "tablet")) {
                bob.send("<iq type='get' id='p2' to='alice@localhost/tablet'><ping xmlns='urn:xmpp:ping'/></iq>");
                assertThat(stanza(bob, "id=\"p2\"")).contains("<service-unavailable");
            }

            desk.send("<iq type='set' id='u1'><unblock xmlns='urn:xmpp:blocking'><item jid='bob@localhost'/></unblock></iq>");
            assertThat(stanza(desk, "id=\"u1\"")).contains("type=\"result\"");
            assertThat(stanza(desk, "id=\"block-push-2\"")).contains("<unblock xmlns=\"urn:xmpp:blocking\"><item jid=\"bob@localhost\"/></unblock>");
            bob.awaitCount("from=\"alice@localhost/desk\"", 2); // available again
            // with the presence she sent while he was blocked, once: the broadcast itself never reached him (her overall
            // presence, resource telesignal, shows again too, now that he watches it again)
            String busy = "from=\"alice@localhost/desk\" to=\"bob@localhost\"><status>busy</status>";
            bob.await(busy);
            assertThat(bob.received().split(java.util.regex.Pattern.quote(busy), -1)).hasSize(2);
            bob.send("<iq type='get' id='v3' to='alice@localhost'><vCard xmlns='vcard-temp'/></iq>");
            assertThat(stanza(bob, "id=\"v3\"")).contains("<FN>Alice</FN>");
            bob.send("<message to='alice@localhost/desk' type='chat' id='m2'><body>back again</body></message>");
            desk.await("back again");
        }
    }

    @Test
    void aSubscriptionRequestFromABlockedAddressNeitherArrivesNorChangesTheRoster() throws Exception {
        try (RawXmppClient alice = signIn("alice", "desk"); RawXmppClient dave = signIn("dave", "desk")) {
            alice.send("<iq type='set' id='b1'><block xmlns='urn:xmpp:blocking'><item jid='dave@localhost'/></block></iq>");
            assertThat(stanza(alice, "id=\"b1\"")).contains("type=\"result\"");
            dave.send("<presence to='alice@localhost' type='subscribe'/>");
            dave.send("<iq type='get' id='sync'><ping xmlns='urn:xmpp:ping'/></iq>");
            dave.await("id=\"sync\"");
            Thread.sleep(300);
            assertThat(alice.received()).doesNotContain("type=\"subscribe\"");
            var aliceId = server.services().accounts().find(new io.telesignal.core.identity.Login("alice")).orElseThrow().id();
            assertThat(server.services().store().rosters().find(aliceId, "dave@localhost")).isEmpty();
            // and nothing waits for her: a new resource is asked nothing, her roster holds nothing of dave
            try (RawXmppClient phone = signIn("alice", "phone")) {
                phone.send("<iq type='get' id='r1'><query xmlns='jabber:iq:roster'/></iq>");
                assertThat(stanza(phone, "id=\"r1\"")).doesNotContain("dave@localhost");
                Thread.sleep(300);
                assertThat(phone.received()).doesNotContain("type=\"subscribe\"");
            }
            // unblocked, his next request comes through
            alice.send("<iq type='set' id='u1'><unblock xmlns='urn:xmpp:blocking'><item jid='dave@localhost'/></unblock></iq>");
            assertThat(stanza(alice, "id=\"u1\"")).contains("type=\"result\"");
            dave.send("<presence to='alice@localhost' type='subscribe'/>");
            assertThat(alice.await("type=\"subscribe\"")).contains("from=\"dave@localhost\"");
        }
    }

    @Test
    void badRequestsAndTheLimitAreRefusedAndChangeNothing() throws Exception {
        try (RawXmppClient alice = signIn("alice", "desk")) {
            alice.send("<iq type='set' id='e1'><block xmlns='urn:xmpp:blocking'/></iq>");
            assertThat(stanza(alice, "id=\"e1\"")).contains("<bad-request");
            alice.send("<iq type='set' id='e2'><block xmlns='urn:xmpp:blocking'><item jid='@@'/></block></iq>");
            assertThat(stanza(alice, "id=\"e2\"")).contains("<jid-malformed");
            alice.send("<iq type='get' id='e3'><block xmlns='urn:xmpp:blocking'/></iq>");
            assertThat(stanza(alice, "id=\"e3\"")).contains("<bad-request");
            alice.send("<iq type='set' id='e4'><block xmlns='urn:xmpp:blocking'><item jid='a@localhost'/>"
                    + "<item jid='b@localhost'/><item jid='spam.example'/><item jid='c@localhost/x'/></block></iq>");
            assertThat(stanza(alice, "id=\"e4\"")).contains("<resource-constraint");
            alice.send("<iq type='set' id='e5'><block xmlns='urn:xmpp:blocking'><item jid='spam.example'/></block></iq>"
                    + "<iq type='get' id='e6'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
            assertThat(stanza(alice, "id=\"e6\"")).contains("<item jid=\"spam.example\"/>").doesNotContain("a@localhost");
            // unblocking what is not blocked changes nothing, and is pushed nowhere
            alice.send("<iq type='set' id='n1'><unblock xmlns='urn:xmpp:blocking'><item jid='never@localhost'/></unblock></iq>"
                    + "<iq type='get' id='n2'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
            assertThat(stanza(alice, "id=\"n1\"")).contains("type=\"result\"");
            assertThat(stanza(alice, "id=\"n2\"")).contains("<item jid=\"spam.example\"/>");
            // everything unblocked at once
            alice.send("<iq type='set' id='e7'><unblock xmlns='urn:xmpp:blocking'/></iq>"
                    + "<iq type='get' id='e8'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
            assertThat(stanza(alice, "id=\"e8\"")).contains("<blocklist xmlns=\"urn:xmpp:blocking\"/>");
            // pushed since this resource asked for the list (the block before that was not)
            assertThat(stanza(alice, "id=\"block-push-1\"")).contains("<unblock xmlns=\"urn:xmpp:blocking\"/>");
        }
    }

    @Test
    void aMessageKeptBeforeItsSenderWasBlockedIsDroppedAndWhatFollowsItArrives() throws Exception {
        try (RawXmppClient bob = signIn("bob", "desk"); RawXmppClient carol = signIn("carol", "desk")) {
            bob.send("<message to='alice@localhost' type='chat' id='k1'><body>kept from bob</body></message>");
            carol.send("<message to='alice@localhost' type='chat' id='k2'><body>kept from carol</body></message>");
            var alice = server.services().accounts().find(new Login("alice")).orElseThrow().id();
            XmppTests.await(() -> kept(alice) == 2);
            server.services().store().blocking().block(alice, List.of("bob@localhost"), 10);
        }
        try (RawXmppClient alice = signIn("alice", "desk")) {
            alice.await("kept from carol");
            assertThat(alice.received()).doesNotContain("kept from bob");
        }
        // both gone from the store: one delivered, the other dropped
        var id = server.services().accounts().find(new Login("alice")).orElseThrow().id();
        XmppTests.await(() -> kept(id) == 0);
    }

    /** How many messages are kept for the user and free to claim (claimed and released again at once). */
    private int kept(io.telesignal.core.identity.UserId user) {
        var offline = server.services().store().offline();
        java.time.Instant now = java.time.Instant.now();
        int n = offline.claim(user, "test", now, now, 100).size();
        offline.release(user, "test");
        return n;
    }
}
