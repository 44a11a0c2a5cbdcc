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
 * Archiving preferences (XEP-0313 §8) on a raw stream: the default, a change kept in the store and applied to the
 * next messages (never by default, always for one contact), the other side's archive untouched, bad values refused.
 */
class XmppArchivePrefsTest {
    @TempDir
    Path dir;
    private TelesignalServer server;
    private SSLContext trust;

    @BeforeEach
    void start() throws Exception {
        server = LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0", "xmpp.directTlsPort", "0",
                "xmpp.host", "127.0.0.1");
        trust = TlsContexts.trustingOnly(dir.resolve("tls").resolve("selfsigned-cert.pem"));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private RawXmppClient signIn(String login) throws Exception {
        String password = XmppTests.device(server, login);
        return RawXmppClient.signedIn(trust, server.xmpp().orElseThrow().directTlsAddress().orElseThrow().getPort(), login,
                password, "desk");
    }

    /** What one archive query answered: its results (by their query id) up to its IQ result. */
    private static String archive(RawXmppClient client, String id) throws Exception {
        client.send("<iq type='set' id='" + id + "'><query xmlns='urn:xmpp:mam:2' queryid='" + id + "'/></iq>");
        String all = client.await("<iq type=\"result\" id=\"" + id + "\"");
        int first = all.indexOf("queryid=\"" + id + "\"");
        int end = all.indexOf("<iq type=\"result\" id=\"" + id + "\"");
        return first < 0 ? "" : all.substring(first, end);
    }

    /** The first message received whose text contains {@code text}, whole. */
    private static String message(String received, String text) {
        int at = received.indexOf(text);
        return received.substring(received.lastIndexOf("<message", at), received.indexOf("</message>", at) + 10);
    }

    @Test
    void preferencesDecideWhatIsArchivedFromNowOn() throws Exception {
        try (RawXmppClient alice = signIn("alice"); RawXmppClient bob = signIn("bob"); RawXmppClient carol = signIn("carol")) {
            alice.send("<iq type='get' id='p1'><prefs xmlns='urn:xmpp:mam:2'/></iq>");
            assertThat(alice.await("id=\"p1\"")).contains("<prefs xmlns=\"urn:xmpp:mam:2\" default=\"always\"><always/><never/></prefs>");

            alice.send("<iq type='set' id='p2'><prefs xmlns='urn:xmpp:mam:2' default='never'>"
                    + "<always><jid>bob@localhost/desk</jid></always><never/></prefs></iq>");
            assertThat(alice.await("id=\"p2\"")).contains("<prefs xmlns=\"urn:xmpp:mam:2\" default=\"never\"><always>"
                    + "<jid>bob@localhost</jid></always><never/></prefs>");

            carol.send("<message to='alice@localhost' type='chat' id='c1'><body>from carol</body></message>");
            bob.send("<message to='alice@localhost' type='chat' id='b1'><body>from bob</body></message>");
            alice.await("<body>from bob</body>");
            alice.await("<body>from carol</body>");
            XmppTests.await(() -> archive(alice, "q" + System.nanoTime()).contains("from bob"));
            String kept = archive(alice, "q-final");
            assertThat(kept).contains("<body>from bob</body>").doesNotContain("from carol");
            // a stanza id names an archived copy (XEP-0359): bob's message carries one, carol's, left out, does not
            assertThat(message(alice.received(), "from bob")).contains("<stanza-id xmlns=\"urn:xmpp:sid:0\" by=\"alice@localhost\"");
            assertThat(message(alice.received(), "from carol")).doesNotContain("urn:xmpp:sid:0");
            // carol's own archive follows her preferences (the default: everything)
            XmppTests.await(() -> archive(carol, "c" + System.nanoTime()).contains("from carol"));

            alice.send("<iq type='set' id='p3'><prefs xmlns='urn:xmpp:mam:2' default='sometimes'/></iq>");
            assertThat(alice.await("id=\"p3\"")).contains("<bad-request");
            alice.send("<iq type='set' id='p4'><prefs xmlns='urn:xmpp:mam:2' default='roster'><never><jid>@@</jid>"
                    + "</never></prefs></iq>");
            String refused = alice.await("id=\"p4\"");
            assertThat(refused.substring(refused.indexOf("id=\"p4\""))).contains("<bad-request");
            StringBuilder many = new StringBuilder();
            for (int i = 0; i <= io.telesignal.core.archive.ArchivePrefs.MAX_JIDS; i++) {
                many.append("<jid>user").append(i).append("@localhost</jid>");
            }
            alice.send("<iq type='set' id='p6'><prefs xmlns='urn:xmpp:mam:2' default='always'><always>" + many
                    + "</always></prefs></iq>");
            String tooMany = alice.await("id=\"p6\"");
            assertThat(tooMany.substring(tooMany.indexOf("id=\"p6\""))).contains("<bad-request");
        }
        // kept in the store: the same after a restart
        server.stop();
        server = LoopbackServer.start(dir, "xmpp.enabled", "true", "xmpp.port", "0", "xmpp.directTlsPort", "0",
                "xmpp.host", "127.0.0.1");
        try (RawXmppClient alice = RawXmppClient.signedIn(trust,
                server.xmpp().orElseThrow().directTlsAddress().orElseThrow().getPort(), "alice",
                server.services().devicePasswords().create(server.services().accounts().require(
                        new io.telesignal.core.identity.Login("alice")), "again", java.util.Optional.empty(), "test")
                        .password().orElseThrow(), "laptop")) {
            alice.send("<iq type='get' id='p5'><prefs xmlns='urn:xmpp:mam:2'/></iq>");
            assertThat(alice.await("id=\"p5\"")).contains("default=\"never\"><always><jid>bob@localhost</jid>");
        }
    }
}
