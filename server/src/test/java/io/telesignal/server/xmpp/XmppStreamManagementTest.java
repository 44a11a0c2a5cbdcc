package io.telesignal.server.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.net.tls.TlsContexts;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stream management (XEP-0198) as a mobile client lives it: its socket dies without a goodbye, messages keep coming,
 * and it resumes on a new connection: every message it had not acknowledged comes again, once, in order. When it does
 * not come back within the window, what it never acknowledged is kept offline and delivered at its next sign-in.
 */
class XmppStreamManagementTest {
    private static final Pattern ENABLED = Pattern.compile("<enabled xmlns=\"urn:xmpp:sm:3\" id=\"([^\"]+)\"");

    @TempDir
    Path dir;
    private TelesignalServer server;
    private SSLContext trust;
    private String alicePassword;
    private String bobPassword;

    private void start(String resumeWindow) throws Exception {
        server = LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0", "xmpp.directTlsPort", "0",
                "xmpp.host", "127.0.0.1", "xmpp.resumeWindow", resumeWindow);
        alicePassword = XmppTests.device(server, "alice");
        bobPassword = XmppTests.device(server, "bob");
        trust = TlsContexts.trustingOnly(dir.resolve("tls").resolve("selfsigned-cert.pem"));
    }


    @AfterEach
    void stop() {
        server.stop();
    }

    private int port() {
        return server.xmpp().orElseThrow().directTlsAddress().orElseThrow().getPort();
    }

    private static String message(String to, String body) {
        return "<message to='" + to + "' type='chat'><body>" + body + "</body></message>";
    }

    @Test
    void aClientWhoseSocketDiedResumesAndGetsEveryUnacknowledgedMessageOnce() throws Exception {
        start("60s");
        try (RawXmppClient alice = RawXmppClient.signedIn(trust, port(), "alice", alicePassword, "laptop")) {
            String previd;
            try (RawXmppClient bob = RawXmppClient.signedIn(trust, port(), "bob", bobPassword, "phone")) {
                bob.send("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
                Matcher enabled = ENABLED.matcher(bob.await("<enabled"));
                assertThat(enabled.find()).isTrue();
                previd = enabled.group(1);
                alice.send(message("bob@localhost/phone", "one"));
                bob.await("<body>one</body>");
                bob.send("<a xmlns='urn:xmpp:sm:3' h='0'/>"); // nothing acknowledged: "one" stays unacked
                // the phone goes in a pocket (XEP-0352), then the socket dies: no </stream:stream>
                bob.send("<inactive xmlns='urn:xmpp:csi:0'/><r xmlns='urn:xmpp:sm:3'/>");
                bob.await("<a xmlns=\"urn:xmpp:sm:3\" h=");
            }
            alice.send(message("bob@localhost/phone", "two"));
            alice.send(message("bob@localhost", "three"));
            // a chat state, which waits while the client is inactive
            alice.send("<message to='bob@localhost/phone' type='chat' id='cs1'><composing"
                    + " xmlns='http://jabber.org/protocol/chatstates'/></message>");
            Thread.sleep(300);

            try (RawXmppClient again = RawXmppClient.authenticated(trust, port(), "bob", bobPassword)) {
                again.send("<resume xmlns='urn:xmpp:sm:3' previd='" + previd + "' h='0'/>");
                String text = again.await("<body>three</body>");
                assertThat(text).contains("<resumed xmlns=\"urn:xmpp:sm:3\" previd=\"" + previd + "\" h=\"0\"/>");
                String after = text.substring(text.indexOf("<resumed"));
                assertThat(after.indexOf("<body>one</body>")).isLessThan(after.indexOf("<body>two</body>"));
                assertThat(after.indexOf("<body>two</body>")).isLessThan(after.indexOf("<body>three</body>"));
                assertThat(after.split("<body>one</body>", -1)).as("once").hasSize(2);
                // a resumed stream starts active (XEP-0352): what waited comes without the client asking
                again.await("id=\"cs1\"");
                // the resumed session goes on: a new message arrives on the new connection, and acks are counted
                alice.send(message("bob@localhost/phone", "four"));
                again.await("<body>four</body>");
                again.send("<presence/><r xmlns='urn:xmpp:sm:3'/>"); // one stanza from the client since the resume
                assertThat(again.await("<a xmlns=\"urn:xmpp:sm:3\"")).contains("<a xmlns=\"urn:xmpp:sm:3\" h=\"1\"/>");
                // an unknown or spent resumption id
                try (RawXmppClient stranger = RawXmppClient.authenticated(trust, port(), "bob", bobPassword)) {
                    stranger.send("<resume xmlns='urn:xmpp:sm:3' previd='not-a-session' h='0'/>");
                    assertThat(stranger.await("<failed")).contains("<item-not-found");
                }
                // the live session's resource with a forged token: refused by the session, which goes on
                String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                        "phone".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ".forged";
                try (RawXmppClient forger = RawXmppClient.authenticated(trust, port(), "bob", bobPassword)) {
                    forger.send("<resume xmlns='urn:xmpp:sm:3' previd='" + forged + "' h='0'/>");
                    assertThat(forger.await("<failed")).contains("<item-not-found");
                }
                alice.send(message("bob@localhost/phone", "five"));
                again.await("<body>five</body>");
            }
        }
    }

    @Test
    void whatIsNeverAcknowledgedIsKeptOfflineWhenTheWindowLapses() throws Exception {
        start("1s");
        try (RawXmppClient alice = RawXmppClient.signedIn(trust, port(), "alice", alicePassword, "laptop")) {
            try (RawXmppClient bob = RawXmppClient.signedIn(trust, port(), "bob", bobPassword, "phone")) {
                bob.send("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
                bob.await("<enabled");
                alice.send(message("bob@localhost/phone", "never acknowledged"));
                bob.await("<body>never acknowledged</body>");
            }
            Thread.sleep(2500); // past the window: the session ends, the message goes offline
            try (RawXmppClient bob = RawXmppClient.signedIn(trust, port(), "bob", bobPassword, "tablet")) {
                assertThat(bob.await("<body>never acknowledged</body>")).contains("from=\"alice@localhost/laptop\"")
                        .contains("<delay xmlns=\"urn:xmpp:delay\" from=\"localhost\" stamp=");
            }
        }
    }

    @Test
    void whatALapsedSessionKeepsGoesAtOnceToAnotherResourceAlreadyAvailable() throws Exception {
        start("1s");
        try (RawXmppClient alice = RawXmppClient.signedIn(trust, port(), "alice", alicePassword, "laptop");
                RawXmppClient desk = RawXmppClient.signedIn(trust, port(), "bob", bobPassword, "desk")) {
            try (RawXmppClient phone = RawXmppClient.signedIn(trust, port(), "bob", bobPassword, "phone")) {
                phone.send("<enable xmlns='urn:xmpp:sm:3' resume='true'/>");
                phone.await("<enabled");
                alice.send(message("bob@localhost/phone", "for the phone"));
                phone.await("<body>for the phone</body>");
            }
            // the desk was available before the message was kept: it gets it when kept, not at its next sign-in
            assertThat(desk.await("<body>for the phone</body>")).contains("from=\"alice@localhost/laptop\"");
        }
    }
}
