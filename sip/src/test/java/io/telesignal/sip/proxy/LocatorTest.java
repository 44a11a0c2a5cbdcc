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

/** Who a request is for, and what the door answers until it forwards: 404, 480, 483. */
class LocatorTest {
    private final MutableClock clock = MutableClock.atEpochDay();
    private final AuditTrail audit = new AuditTrail(new InMemoryAuditLog(), clock, 100);
    private final Accounts accounts = new Accounts(new InMemoryDirectory(), new PasswordHashes(
            Argon2idHasher.owaspDefaults(new SecureRandom()), List.of()), PasswordPolicy.DEFAULT, audit, clock);
    private final InMemoryLocationStore locations = new InMemoryLocationStore();
    private final WorkerPool workers = new WorkerPool("test", 2, 100);
    private final Locator locator = new Locator(accounts, locations, workers, clock);
    private final SipFrontDoor door = new SipFrontDoor((delay, task) -> () -> { }, TimerSettings.DEFAULTS,
            Optional.empty(), Optional.of(locator), workers);
    private final SipParser parser = new SipParser(SipLimits.DEFAULTS);
    private final User alice = accounts.addWithoutPassword(new Login("alice"), "Alice", Set.of(Role.PROVIDER), "t");
    private final List<Integer> answers = new CopyOnWriteArrayList<>();
    private final Flow flow = new Flow() {
        @Override
        public String transport() {
            return "TCP";
        }

        @Override
        public InetSocketAddress remote() {
            return new InetSocketAddress("192.0.2.3", 5060);
        }

        @Override
        public boolean reliable() {
            return true;
        }

        @Override
        public void send(byte[] message) {
            answers.add(((SipResponse) parser.parseDatagram(message)).status());
        }
    };
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

    private int answerTo(SipRequest request) {
        int before = answers.size();
        door.request(request, flow);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> answers.size() > before);
        return answers.get(answers.size() - 1);
    }

    @Test
    void unknownIs404NotRegisteredIs480OutOfHopsIs483() {
        assertThat(answerTo(message("nobody", 70))).isEqualTo(404);
        assertThat(answerTo(message("alice", 70))).isEqualTo(480);
        assertThat(answerTo(message("alice", 0))).isEqualTo(483);
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
        assertThat(answerTo(message("alice", 70))).as("found: forwarding is not built yet").isEqualTo(501);
    }

    @Test
    void aLocationStoreThatFailsIs503WithRetryAfter() {
        io.telesignal.core.location.LocationStore down = new io.telesignal.core.location.LocationStore() {
            private <T> java.util.concurrent.CompletionStage<T> failed() {
                return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("Redis is away"));
            }

            @Override
            public java.util.concurrent.CompletionStage<Outcome> put(Binding binding) {
                return failed();
            }

            @Override
            public java.util.concurrent.CompletionStage<Outcome> remove(io.telesignal.core.identity.UserId user, String key,
                    String callId, long cseq) {
                return failed();
            }

            @Override
            public java.util.concurrent.CompletionStage<List<Binding>> removeAll(io.telesignal.core.identity.UserId user) {
                return failed();
            }

            @Override
            public java.util.concurrent.CompletionStage<List<Binding>> bindingsOf(io.telesignal.core.identity.UserId user,
                    java.time.Instant now) {
                return failed();
            }

            @Override
            public java.util.concurrent.CompletionStage<List<Binding>> onNode(NodeId node) {
                return failed();
            }
        };
        SipFrontDoor failing = new SipFrontDoor((delay, task) -> () -> { }, TimerSettings.DEFAULTS, Optional.empty(),
                Optional.of(new Locator(accounts, down, workers, clock)), workers);
        int before = answers.size();
        failing.request(message("alice", 70), flow);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> answers.size() > before);
        assertThat(answers.get(answers.size() - 1)).isEqualTo(503);
    }
}
