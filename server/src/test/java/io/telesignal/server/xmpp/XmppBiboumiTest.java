package io.telesignal.server.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.net.tls.TlsContexts;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.testing.Sipp;
import io.telesignal.server.wiring.TelesignalServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A component written by others: Debian's biboumi, an XMPP-to-IRC gateway, connects to the components' listener
 * (XEP-0114), and a user's service discovery of its domain is answered by it, through telesignal, both ways.
 */
class XmppBiboumiTest {
    private static final Path BIBOUMI = Path.of("/usr/bin/biboumi");
    private static final String SECRET = "biboumi-secret-of-16-or-more";

    @TempDir
    Path dir;

    @Test
    void biboumiSignsInAsAComponentAndAnswersAUsersDiscovery() throws Exception {
        Sipp.requireTool(BIBOUMI, "XmppBiboumiTest", "biboumi");
        Path secrets = Files.writeString(dir.resolve("components"), "irc.localhost " + SECRET + "\n");
        TelesignalServer server = LoopbackServer.start(dir.resolve("server"), "xmpp.enabled", "true", "xmpp.port", "0",
                "xmpp.directTlsPort", "0", "xmpp.host", "127.0.0.1", "xmpp.components.enabled", "true",
                "xmpp.components.port", "0", "xmpp.components.secretsFile", secrets.toString());
        Process biboumi = null;
        try {
            String password = XmppTests.device(server, "alice");
            int componentPort = server.xmpp().orElseThrow().componentAddress().orElseThrow().getPort();
            Path config = Files.writeString(dir.resolve("biboumi.cfg"), String.join("\n",
                    "hostname=irc.localhost", "password=" + SECRET, "xmpp_server_ip=127.0.0.1",
                    "port=" + componentPort, "admin=alice@localhost", "identd_port=0",
                    "db_name=" + dir.resolve("biboumi.sqlite"), "log_level=0", "policy_directory=" + dir, ""));
            biboumi = new ProcessBuilder(BIBOUMI.toString(), config.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("biboumi.log").toFile()).start();
            Path log = dir.resolve("biboumi.log");
            XmppTests.await(() -> Files.readString(log).contains("Authenticated with the XMPP server"));

            var trust = TlsContexts.trustingOnly(dir.resolve("server").resolve("tls").resolve("selfsigned-cert.pem"));
            int port = server.xmpp().orElseThrow().directTlsAddress().orElseThrow().getPort();
            try (RawXmppClient alice = RawXmppClient.signedIn(trust, port, "alice", password, "laptop")) {
                alice.send("<iq type='get' to='irc.localhost' id='info'>"
                        + "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
                alice.await("id=\"info\"");
                Thread.sleep(300); // the whole answer
                String text = alice.received();
                String answer = text.substring(text.lastIndexOf("<iq", text.indexOf("id=\"info\"")));
                assertThat(answer).contains("type=\"result\"", "from=\"irc.localhost\"", "to=\"alice@localhost/laptop\"",
                        "category=\"conference\"", "type=\"irc\"");
            }
        } finally {
            if (biboumi != null) {
                biboumi.destroy();
                biboumi.waitFor(5, TimeUnit.SECONDS);
                biboumi.destroyForcibly();
            }
            server.stop();
        }
    }
}
