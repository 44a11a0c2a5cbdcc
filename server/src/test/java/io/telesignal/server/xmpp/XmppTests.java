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
}
