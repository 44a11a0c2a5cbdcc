package io.telesignal.server.xmpp;

import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.server.wiring.TelesignalServer;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** What the XMPP tests share: a provider with a device password, and waiting for a condition. */
final class XmppTests {
    private XmppTests() {}

    /** Adds {@code login} as a provider with one device password; answers the password. */
    static String device(TelesignalServer server, String login) {
        return device(server, login, Role.PROVIDER);
    }

    /** Adds {@code login} with {@code role} and one device password; answers the password. */
    static String device(TelesignalServer server, String login, Role role) {
        User user = server.services().accounts().addWithoutPassword(new Login(login), login, Set.of(role), "test");
        return server.services().devicePasswords().create(user, "xmpp", Optional.empty(), "test").password().orElseThrow();
    }

    /** Waits up to 15 s for {@code condition}. */
    static void await(Callable<Boolean> condition) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.call()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within 15 s");
            }
            Thread.sleep(50);
        }
    }

    /** A call a test expects to fail with a stanza error. */
    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    /** The condition of the stanza error {@code call} fails with; anything else fails the test. */
    static org.jivesoftware.smack.packet.StanzaError.Condition condition(ThrowingCall call) {
        try {
            call.run();
        } catch (org.jivesoftware.smack.XMPPException.XMPPErrorException e) {
            return e.getStanzaError().getCondition();
        } catch (Exception e) {
            throw new AssertionError("expected a stanza error, got " + e, e);
        }
        throw new AssertionError("expected a stanza error");
    }

    /**
     * A Smack 4.4 client signed in over STARTTLS with SCRAM-SHA-1, trusting the server's certificate, without stream
     * management, waiting up to 10 s for answers.
     */
    static org.jivesoftware.smack.tcp.XMPPTCPConnection smack(TelesignalServer server,
            javax.net.ssl.X509TrustManager trust, String login, String password, String resource) throws Exception {
        var connection = new org.jivesoftware.smack.tcp.XMPPTCPConnection(
                org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration.builder()
                        .setXmppDomain("localhost").setHost("127.0.0.1").setUsernameAndPassword(login, password)
                        .setResource(resource).addEnabledSaslMechanism("SCRAM-SHA-1").setCustomX509TrustManager(trust)
                        .setPort(server.xmpp().orElseThrow().tcpAddress().getPort())
                        .setSecurityMode(org.jivesoftware.smack.ConnectionConfiguration.SecurityMode.required).build());
        connection.setReplyTimeout(10_000);
        connection.setUseStreamManagement(false);
        connection.connect();
        connection.login();
        return connection;
    }

    /** A and B receive each other's presence, as the subscription handshake leaves them (written to the store). */
    static void mutual(TelesignalServer server, String a, String b) {
        var rosters = server.services().store().rosters();
        for (String[] pair : java.util.List.of(new String[] {a, b}, new String[] {b, a})) {
            var owner = server.services().accounts().find(new Login(pair[0])).orElseThrow().id();
            rosters.put(io.telesignal.core.roster.RosterItem.added(owner, pair[1] + "@localhost", "", java.util.List.of())
                    .with(io.telesignal.core.roster.RosterItem.Subscription.BOTH, false, false), 100);
        }
    }
}
