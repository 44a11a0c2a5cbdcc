package io.telesignal.sip.registrar;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.device.DevicePasswords;
import io.telesignal.core.directory.Accounts;
import io.telesignal.core.directory.Argon2idHasher;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.location.InMemoryLocationStore;
import io.telesignal.core.testkit.MutableClock;
import io.telesignal.sip.message.SipLimits;
import io.telesignal.sip.message.SipParser;
import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipResponse;
import io.telesignal.sip.transport.Flow;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import io.telesignal.core.location.Binding;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 3261 §10.3 step by step, with digest against a device password and the in-memory location store. */
class RegistrarTest {
    private static final io.telesignal.sip.proxy.SipDomain EDGE = new io.telesignal.sip.proxy.SipDomain("192.0.2.1",
            Set.of("clinic.example")).listening("UDP", 5060).listening("TCP", 5060);
    private static final io.telesignal.sip.proxy.FlowTokens TOKENS = new io.telesignal.sip.proxy.FlowTokens(new byte[32]);
    private final io.telesignal.sip.testing.SipUsers fixture = new io.telesignal.sip.testing.SipUsers("clinic.example");
    private final MutableClock clock = fixture.clock;
    private final Accounts accounts = fixture.accounts;
    private final DevicePasswords devices = fixture.devices;
    private final InMemoryLocationStore locations = new InMemoryLocationStore();
    private final io.telesignal.core.presence.PresenceService presence = new io.telesignal.core.presence.PresenceService(
            new io.telesignal.core.presence.InMemoryPresenceStore(), clock);
    /** Timers the test runs when it says: the binding-expiry checks. */
    private final java.util.List<Runnable> timers = new java.util.ArrayList<>();
    private final Registrar registrar = new Registrar(new Registrar.Settings(60, 3600, 7200), fixture.digest(
            List.of("SHA-256", "MD5")), locations, new NodeId("n1"), clock,
            presence, (delay, task) -> {
                timers.add(task);
                return () -> timers.remove(task);
            }, new io.telesignal.sip.proxy.EdgePath(EDGE, TOKENS));
    private final SipParser parser = new SipParser(SipLimits.DEFAULTS);
    private final User alice = accounts.add(new Login("alice"), "Alice", Set.of(Role.PROVIDER), "an account password".toCharArray(), "t");
    private final User bob = accounts.add(new Login("bob"), "Bob", Set.of(Role.PROVIDER), "an account password".toCharArray(), "t");
    private final String phone = devices.create(alice, "desk", Optional.empty(), "t").password().orElseThrow();
    private final Flow flow = new Flow() {
        @Override
        public String transport() {
            return "UDP";
        }

        @Override
        public InetSocketAddress remote() {
            return new InetSocketAddress("192.0.2.9", 5062);
        }

        @Override
        public boolean reliable() {
            return false;
        }

        @Override
        public void send(byte[] message) {
        }
    };
    private int cseq;
    private int nc;

    @AfterEach
    void close() {
        fixture.close();
    }

    private SipRequest register(String aor, String contacts, String authorization) {
        String text = "REGISTER sip:clinic.example SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.9:5062;branch=z9hG4bK" + (++cseq)
                + "\r\nMax-Forwards: 70\r\nTo: <sip:" + aor + "@clinic.example>\r\nFrom: <sip:" + aor
                + "@clinic.example>;tag=7\r\nCall-ID: reg-call\r\nCSeq: " + cseq + " REGISTER\r\n" + contacts
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "Content-Length: 0\r\n\r\n";
        return (SipRequest) parser.parseDatagram(text.getBytes(StandardCharsets.UTF_8));
    }

    private SipResponse send(SipRequest request) {
        return registrar.register(request, flow).toCompletableFuture().join();
    }

    /** Challenged first, then answered with the device password, as a phone does. */
    private SipResponse authorized(String aor, String contacts) {
        SipResponse challenge = send(register(aor, contacts, null));
        assertThat(challenge.status()).isEqualTo(401);
        String md5 = challenge.values("WWW-Authenticate").stream().filter(c -> c.contains("MD5")).findFirst().orElseThrow();
        int at = md5.indexOf("nonce=\"") + 7;
        String nonce = md5.substring(at, md5.indexOf('"', at));
        String count = String.format("%08x", ++nc);
        String ha1 = hex("alice:clinic.example:" + phone);
        String response = hex(ha1 + ":" + nonce + ":" + count + ":cn:auth:" + hex("REGISTER:sip:clinic.example"));
        return send(register(aor, contacts, "Digest username=\"alice\", realm=\"clinic.example\", nonce=\"" + nonce
                + "\", uri=\"sip:clinic.example\", response=\"" + response + "\", algorithm=MD5, cnonce=\"cn\", qop=auth, nc="
                + count));
    }

    private static String hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void bindingsAreAddedWithTheirLifetimesListedAndRemoved() {
        SipResponse ok = authorized("alice", "Contact: <sip:alice@192.0.2.9:5062>;expires=600, <sip:alice@198.51.100.1>;q=0.5\r\n"
                + "Expires: 1200\r\n");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.contacts()).extracting(c -> c.uri() + ";" + c.params().get("expires"))
                .containsExactlyInAnyOrder("sip:alice@192.0.2.9:5062;600", "sip:alice@198.51.100.1;1200");
        assertThat(ok.first("Date")).isPresent();
        assertThat(locations.bindingsOf(alice.id(), clock.instant()).toCompletableFuture().join()).hasSize(2)
                .allSatisfy(b -> assertThat(b.flow().value()).isEqualTo("sip-udp-192.0.2.9-5062"));

        SipResponse one = authorized("alice", "Contact: <sip:alice@198.51.100.1>;expires=0\r\n");
        assertThat(one.contacts()).extracting(c -> c.uri()).containsExactly("sip:alice@192.0.2.9:5062");
        SipResponse none = authorized("alice", "Contact: *\r\nExpires: 0\r\n");
        assertThat(none.status()).isEqualTo(200);
        assertThat(none.contacts()).isEmpty();
    }

    @Test
    void aBindingKeepsTheFlowItCameOnFirstInItsPathAndThePhonesPathAfter() {
        SipResponse ok = authorized("alice", "Contact: <sip:alice@10.0.0.7:5062>\r\nSupported: path\r\n"
                + "Path: <sip:edge.clinic.example;lr>\r\n");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.values("Path")).as("RFC 3327 §5.3: the REGISTER's Path, echoed").containsExactly(
                "<sip:edge.clinic.example;lr>");
        Binding stored = locations.bindingsOf(alice.id(), clock.instant()).toCompletableFuture().join().get(0);
        assertThat(stored.path()).hasSize(2);
        assertThat(stored.path().get(1)).isEqualTo("<sip:edge.clinic.example;lr>");
        // the first leads to this node over TCP, with the flow the REGISTER came on sealed in it
        io.telesignal.sip.message.SipUri edge = io.telesignal.sip.message.NameAddr.parse(stored.path().get(0)).sipUri()
                .orElseThrow();
        assertThat(edge.host()).isEqualTo("192.0.2.1");
        assertThat(edge.port()).hasValue(5060);
        assertThat(edge.params()).containsEntry("transport", "tcp").containsKey("lr").containsKey("ob");
        assertThat(TOKENS.open(edge.user().orElseThrow())).hasValue(List.of(flow.key()));
    }

    @Test
    void lifetimesAreBoundedAndStarNeedsExpiresZero() {
        SipResponse brief = authorized("alice", "Contact: <sip:alice@192.0.2.9>;expires=30\r\n");
        assertThat(brief.status()).isEqualTo(423);
        assertThat(brief.first("Min-Expires")).contains("60");
        SipResponse capped = authorized("alice", "Contact: <sip:alice@192.0.2.9>;expires=99999\r\n");
        assertThat(capped.contacts().get(0).params()).containsEntry("expires", "7200");
        assertThat(authorized("alice", "Contact: *\r\n").status()).isEqualTo(400);
        SipResponse byDefault = authorized("alice", "Contact: <sip:alice@192.0.2.10>\r\n");
        assertThat(byDefault.contacts()).filteredOn(c -> c.uri().endsWith("192.0.2.10"))
                .extracting(c -> c.params().get("expires")).containsExactly("3600");
    }

    @Test
    void valuesThatAreNotNumbersAre400() {
        assertThat(authorized("alice", "Contact: <sip:alice@192.0.2.9>\r\nExpires: soon\r\n").status()).isEqualTo(400);
        assertThat(authorized("alice", "Contact: <sip:alice@192.0.2.9>;expires=-1\r\n").status()).isEqualTo(400);
        assertThat(authorized("alice", "Contact: <sip:alice@192.0.2.9>;q=high\r\n").status()).isEqualTo(400);
        assertThat(authorized("alice", "Contact: <sip:alice@192.0.2.9>;q=1.5\r\n").status()).isEqualTo(400);
        assertThat(locations.bindingsOf(alice.id(), clock.instant()).toCompletableFuture().join()).isEmpty();
    }

    @Test
    void onlyTheUsersOwnAddressAndOnlyInOrder() {
        assertThat(authorized("bob", "Contact: <sip:bob@192.0.2.9>\r\n").status()).as("alice registering bob").isEqualTo(403);
        assertThat(authorized("alice", "Contact: <sip:alice@192.0.2.9>\r\n").status()).isEqualTo(200);
        cseq = 0; // the same Call-ID with a lower CSeq: an old REGISTER arriving late
        assertThat(authorized("alice", "Contact: <sip:alice@192.0.2.9>;expires=0\r\n").status()).isEqualTo(500);
        assertThat(locations.bindingsOf(alice.id(), clock.instant()).toCompletableFuture().join()).hasSize(1);
        assertThat(locations.bindingsOf(bob.id(), clock.instant()).toCompletableFuture().join()).isEmpty();
    }

    @Test
    void anInstanceKeysItsBindingAcrossContactAddresses() {
        String instance = "+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\";reg-id=1";
        authorized("alice", "Contact: <sip:alice@192.0.2.9:5062>;" + instance + "\r\n");
        SipResponse moved = authorized("alice", "Contact: <sip:alice@203.0.113.4:6000>;" + instance + "\r\n");
        assertThat(moved.contacts()).extracting(c -> c.uri()).containsExactly("sip:alice@203.0.113.4:6000");
    }

    private io.telesignal.core.presence.PresenceStatus aliceIs() {
        return presence.get(alice.id()).toCompletableFuture().join().presence().status();
    }

    @Test
    void aRegisteredPhoneShowsItsUserAvailableUntilItUnregistersOrLapses() {
        assertThat(aliceIs()).isEqualTo(io.telesignal.core.presence.PresenceStatus.OFFLINE);
        authorized("alice", "Contact: <sip:alice@192.0.2.9>;expires=600\r\n");
        assertThat(aliceIs()).isEqualTo(io.telesignal.core.presence.PresenceStatus.AVAILABLE);
        authorized("alice", "Contact: <sip:alice@192.0.2.9>;expires=0\r\n");
        assertThat(aliceIs()).isEqualTo(io.telesignal.core.presence.PresenceStatus.OFFLINE);

        // registered, refreshed before it lapses: still available when the first lifetime ends
        authorized("alice", "Contact: <sip:alice@192.0.2.9>;expires=600\r\n");
        clock.advance(Duration.ofSeconds(500));
        authorized("alice", "Contact: <sip:alice@192.0.2.9>;expires=600\r\n");
        clock.advance(Duration.ofSeconds(101));
        new java.util.ArrayList<>(timers.subList(0, 1)).forEach(Runnable::run);
        assertThat(aliceIs()).isEqualTo(io.telesignal.core.presence.PresenceStatus.AVAILABLE);
        // not refreshed again: when its lifetime ends, the phone's presence goes
        clock.advance(Duration.ofSeconds(600));
        new java.util.ArrayList<>(timers).forEach(Runnable::run);
        assertThat(aliceIs()).isEqualTo(io.telesignal.core.presence.PresenceStatus.OFFLINE);
    }
}
