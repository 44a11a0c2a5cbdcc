package io.telesignal.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.InMemoryAuditLog;
import io.telesignal.core.directory.Accounts;
import io.telesignal.core.directory.Argon2idHasher;
import io.telesignal.core.directory.InMemoryDirectory;
import io.telesignal.core.directory.PasswordHashes;
import io.telesignal.core.directory.PasswordPolicy;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.location.Binding;
import io.telesignal.core.location.InMemoryLocationStore;
import io.telesignal.core.testkit.MutableClock;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.sip.SipFrontDoor;
import io.telesignal.sip.message.SipLimits;
import io.telesignal.sip.message.SipParser;
import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipResponse;
import io.telesignal.sip.transaction.TimerSettings;
import io.telesignal.sip.transport.Flow;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who a request is for (RFC 3261 §16.5): no such user, a user not registered, or the bindings best first. */
class LocatorTest {
    private final MutableClock clock = MutableClock.atEpochDay();
    private final AuditTrail audit = new AuditTrail(new InMemoryAuditLog(), clock, 100);
    private final Accounts accounts = new Accounts(new InMemoryDirectory(), new PasswordHashes(
            Argon2idHasher.owaspDefaults(new SecureRandom()), List.of()), PasswordPolicy.DEFAULT, audit, clock);
    private final InMemoryLocationStore locations = new InMemoryLocationStore();
    private final WorkerPool workers = new WorkerPool("test", 2, 100);
    private final Locator locator = new Locator(accounts, locations, workers, clock);
    private final SipParser parser = new SipParser(SipLimits.DEFAULTS);
    private final User alice = accounts.addWithoutPassword(new Login("alice"), "Alice", Set.of(Role.PROVIDER), "t");
    private int branch;

    @AfterEach
    void close() {
        workers.close();
        audit.close();
    }

    private SipRequest message(String user, int maxForwards) {
        String text = "MESSAGE sip:" + user + "@clinic.example SIP/2.0\r\nVia: SIP/2.0/TCP 192.0.2.3;branch=z9hG4bKm"
                + (++branch) + "\r\nMax-Forwards: " + maxForwards + "\r\nTo: <sip:" + user + "@clinic.example>\r\n"
                + "From: <sip:bob@clinic.example>;tag=2\r\nCall-ID: m" + branch + "\r\nCSeq: 1 MESSAGE\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi";
        return (SipRequest) parser.parseDatagram(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void noSuchUserIsUnknownAUserWithoutBindingsIsNotRegistered() {
        assertThat(locator.locate(message("nobody", 70)).toCompletableFuture().join()).isInstanceOf(Locator.Target.Unknown.class);
        assertThat(locator.locate(message("alice", 70)).toCompletableFuture().join())
                .isInstanceOf(Locator.Target.NotRegistered.class);
        accounts.setEnabled(new Login("alice"), false, "t");
        assertThat(locator.locate(message("alice", 70)).toCompletableFuture().join()).as("disabled")
                .isInstanceOf(Locator.Target.Unknown.class);
    }

    @Test
    void aRegisteredUsersBindingsComeBestFirst() {
        Binding low = new Binding(alice.id(), "a", "sip:alice@192.0.2.10", 0.2, clock.instant().plusSeconds(600), "c", 1,
                Optional.empty(), 0, List.of(), new EndpointId("sip-udp-a"), new NodeId("n1"));
        Binding high = new Binding(alice.id(), "b", "sip:alice@192.0.2.11", 0.9, clock.instant().plusSeconds(60), "c", 2,
                Optional.empty(), 0, List.of(), new EndpointId("sip-udp-b"), new NodeId("n1"));
        locations.put(low).toCompletableFuture().join();
        locations.put(high).toCompletableFuture().join();
        Locator.Target target = locator.locate(message("alice", 70)).toCompletableFuture().join();
        assertThat(target).isInstanceOfSatisfying(Locator.Target.Registered.class,
                r -> assertThat(r.bindings()).extracting(Binding::key).containsExactly("b", "a"));
    }
}
