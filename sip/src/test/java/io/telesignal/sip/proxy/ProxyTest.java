package io.telesignal.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.device.DevicePasswords;
import io.telesignal.core.directory.Accounts;
import io.telesignal.core.directory.Argon2idHasher;
import io.telesignal.core.directory.InMemoryDirectory;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.location.Binding;
import io.telesignal.core.location.InMemoryLocationStore;
import io.telesignal.core.location.LocationStore;
import io.telesignal.core.testkit.MutableClock;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.sip.SipFrontDoor;
import io.telesignal.sip.auth.DigestServer;
import io.telesignal.sip.message.NameAddr;
import io.telesignal.sip.message.SipLimits;
import io.telesignal.sip.message.SipMessage;
import io.telesignal.sip.message.SipParser;
import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipResponse;
import io.telesignal.sip.message.SipUri;
import io.telesignal.sip.message.Via;
import io.telesignal.sip.transaction.TimerSettings;
import io.telesignal.sip.transaction.VirtualScheduler;
import io.telesignal.sip.transport.Connector;
import io.telesignal.sip.transport.Flow;
import io.telesignal.sip.transport.FlowFailedException;
import io.telesignal.sip.transport.FlowKey;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The proxy of RFC 3261 §16 between flows the test holds: a caller over UDP, alice's two phones (one over UDP, one over
 * TCP) registered through this node. Forking, the best response, CANCEL, Record-Route and the dialog's later requests,
 * the stateless ACK, Timer C, 407 for the server's own users, and each refusal.
 */
class ProxyTest {
    private static final SipParser PARSER = new SipParser(SipLimits.DEFAULTS);
    private final io.telesignal.sip.testing.SipUsers fixture = new io.telesignal.sip.testing.SipUsers("clinic.example");
    private final MutableClock clock = fixture.clock;
    private final AuditTrail audit = fixture.audit;
    private final InMemoryDirectory directory = fixture.directory;
    private final Accounts accounts = fixture.accounts;
    private final DevicePasswords devices = fixture.devices;
    private final DigestServer digest = fixture.digest(List.of("MD5"));
    private final InMemoryLocationStore locations = new InMemoryLocationStore();
    private final WorkerPool workers = new WorkerPool("test", 2, 100);
    private final VirtualScheduler scheduler = new VirtualScheduler();
    private final SipDomain domain = new SipDomain("192.0.2.1", Set.of("clinic.example")).listening("UDP", 5060)
            .listening("TCP", 5060);
    private final FlowTokens tokens = new FlowTokens("a secret every node shares".getBytes(StandardCharsets.UTF_8));
    private final Network network = new Network();
    private final SipFrontDoor door = new SipFrontDoor(scheduler, TimerSettings.DEFAULTS, Optional.empty(),
            Optional.of(layer -> new Proxy(domain, tokens, new Locator(accounts, locations, workers, clock), network,
                    layer, Optional.of(digest), workers, scheduler, TimerSettings.DEFAULTS,
                    new Proxy.Settings(Duration.ofSeconds(180)))), workers);
    private final User alice = accounts.addWithoutPassword(new Login("alice"), "Alice", Set.of(Role.PROVIDER), "t");
    private final User bob = accounts.addWithoutPassword(new Login("bob"), "Bob", Set.of(Role.PROVIDER), "t");
    private final String bobsPhone = devices.create(bob, "desk", Optional.empty(), "t").password().orElseThrow();
    private final TestFlow caller = network.open("UDP", "198.51.100.20", 5060);
    private final TestFlow deskPhone = network.open("UDP", "10.0.0.7", 5062);
    private final TestFlow softphone = network.open("TCP", "10.0.0.8", 40312);
    private int calls;

    @AfterEach
    void close() {
        workers.close();
        fixture.close();
    }

    /** Alice's phones registered through this node: each binding's Path leads to its flow. */
    private void registerAlicesPhones() {
        EdgePath edge = new EdgePath(domain, tokens);
        bind(alice, "desk", "sip:alice@10.0.0.7:5062", 1.0, edge.path(deskPhone));
        bind(alice, "soft", "sip:alice@10.0.0.8:5070;transport=tcp", 0.5, edge.path(softphone));
    }

    private void bind(User user, String key, String contact, double q, String path) {
        locations.put(new Binding(user.id(), key, contact, q, clock.instant().plusSeconds(600), "reg-" + key, 1,
                Optional.empty(), 0, path == null ? List.of() : List.of(path), new EndpointId("sip-" + key), new NodeId("n1"))).toCompletableFuture()
                .join();
    }

    private SipRequest invite(String to, String from, String extra) {
        calls++;
        return request("INVITE sip:" + to + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bKcaller" + calls + "\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:" + to + ">\r\nFrom: <sip:" + from + ">;tag=caller" + calls + "\r\n"
                + "Call-ID: call-" + calls + "\r\nCSeq: 1 INVITE\r\nContact: <sip:carol@198.51.100.20:5060>\r\n" + extra
                + "Content-Type: application/sdp\r\nContent-Length: 4\r\n\r\nv=0\n");
    }

    private static SipRequest request(String text) {
        return (SipRequest) PARSER.parseDatagram(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A UAS's response: Via, From, To (with its tag), Call-ID and CSeq copied, then {@code extra} headers. */
    private static SipResponse answer(SipRequest request, int status, String reason, String toTag, String extra) {
        StringBuilder text = new StringBuilder("SIP/2.0 " + status + " " + reason + "\r\n");
        for (String via : request.values("Via")) {
            text.append("Via: ").append(via).append("\r\n");
        }
        String to = request.first("To").orElseThrow();
        text.append("To: ").append(to).append(toTag == null || to.contains("tag=") ? "" : ";tag=" + toTag).append("\r\n")
                .append("From: ").append(request.first("From").orElseThrow()).append("\r\n")
                .append("Call-ID: ").append(request.callId()).append("\r\n")
                .append("CSeq: ").append(request.first("CSeq").orElseThrow()).append("\r\n");
        for (String rr : request.values("Record-Route")) {
            text.append("Record-Route: ").append(rr).append("\r\n");
        }
        text.append(extra).append("Content-Length: 0\r\n\r\n");
        return (SipResponse) PARSER.parseDatagram(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anInviteForksToEveryPhoneTheAnswerGoesUpAndTheOtherPhoneIsCancelled() {
        registerAlicesPhones();
        door.request(invite("alice@clinic.example", "carol@elsewhere.example", ""), caller);
        assertThat(caller.nextResponse(100).status()).isEqualTo(100);
        SipRequest atDesk = deskPhone.nextRequest("INVITE");
        SipRequest atSoft = softphone.nextRequest("INVITE");
        // §16.6: the binding's contact, one hop fewer, this node's Via on top (UDP or TCP as the flow), a Record-Route
        assertThat(atDesk.uri()).isEqualTo("sip:alice@10.0.0.7:5062");
        assertThat(atSoft.uri()).isEqualTo("sip:alice@10.0.0.8:5070;transport=tcp");
        assertThat(atDesk.maxForwards()).hasValue(69);
        assertThat(atDesk.values("Route")).isEmpty();
        Via ours = atDesk.vias().get(0);
        assertThat(ours.host()).isEqualTo("192.0.2.1");
        assertThat(ours.transport()).isEqualTo("UDP");
        assertThat(ours.branch().orElseThrow()).startsWith("z9hG4bK");
        assertThat(atSoft.vias().get(0).transport()).isEqualTo("TCP");
        assertThat(atDesk.vias()).hasSize(2);
        assertThat(new String(atDesk.body(), StandardCharsets.UTF_8)).isEqualTo("v=0\n");
        // UDP in, TCP out: two Record-Routes (RFC 5658), one per transport, with the same token
        assertThat(atDesk.values("Record-Route")).hasSize(1);
        assertThat(atSoft.values("Record-Route")).hasSize(2);
        SipUri recordRoute = NameAddr.parse(atDesk.values("Record-Route").get(0)).sipUri().orElseThrow();
        assertThat(domain.isUs(recordRoute)).isTrue();
        assertThat(recordRoute.params()).containsKey("lr").containsEntry("ftag", "caller1");
        assertThat(tokens.open(recordRoute.user().orElseThrow())).hasValue(List.of(caller.key(), deskPhone.key()));

        door.response(answer(atSoft, 180, "Ringing", "soft", ""), softphone);
        door.response(answer(atDesk, 180, "Ringing", "desk", ""), deskPhone);
        SipResponse ringing = caller.nextResponse(180);
        assertThat(ringing.vias()).as("this node's Via is off").hasSize(1);
        assertThat(ringing.vias().get(0).branch()).hasValue("z9hG4bKcaller1");
        caller.nextResponse(180);
        SipResponse ok = answer(atDesk, 200, "OK", "desk", "Contact: <sip:alice@10.0.0.7:5062>\r\n");
        door.response(ok, deskPhone);
        SipResponse upstream = caller.nextResponse(200);
        assertThat(upstream.values("Record-Route")).isEqualTo(atDesk.values("Record-Route"));
        // §16.7 step 10: the other phone is cancelled, with its INVITE's branch
        SipRequest cancel = softphone.nextRequest("CANCEL");
        assertThat(cancel.vias()).hasSize(1);
        assertThat(cancel.vias().get(0).branch()).isEqualTo(atSoft.vias().get(0).branch());
        assertThat(cancel.uri()).isEqualTo(atSoft.uri());
        door.response(answer(cancel, 200, "OK", "soft", ""), softphone);
        door.response(answer(atSoft, 487, "Request Terminated", "soft", ""), softphone);
        assertThat(softphone.nextRequest("ACK").cseq().method()).isEqualTo("ACK");
        assertThat(caller.received(response(487))).as("after a 2xx no other final goes up").isEmpty();

        // the caller's ACK, end to end, by the route set the 200 gave it
        String route = upstream.values("Record-Route").get(0);
        door.request(request("ACK sip:alice@10.0.0.7:5062 SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bKack1\r\n"
                + "Route: " + route + "\r\nMax-Forwards: 70\r\nTo: <sip:alice@clinic.example>;tag=desk\r\n"
                + "From: <sip:carol@elsewhere.example>;tag=caller1\r\nCall-ID: call-1\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n"),
                caller);
        SipRequest ack = deskPhone.nextRequest("ACK");
        assertThat(ack.values("Route")).isEmpty();
        assertThat(ack.vias()).hasSize(2);
        // alice hangs up: her BYE goes the other way, to the caller's flow, found by the From tag
        door.request(request("BYE sip:carol@198.51.100.20:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.7:5062;branch=z9hG4bKbye1\r\n"
                + "Route: " + route + "\r\nMax-Forwards: 70\r\nFrom: <sip:alice@clinic.example>;tag=desk\r\n"
                + "To: <sip:carol@elsewhere.example>;tag=caller1\r\nCall-ID: call-1\r\nCSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n"),
                deskPhone);
        SipRequest bye = caller.nextRequest("BYE");
        assertThat(bye.uri()).isEqualTo("sip:carol@198.51.100.20:5060");
        door.response(answer(bye, 200, "OK", null, ""), caller);
        SipResponse byeOk = deskPhone.nextResponse(200);
        assertThat(byeOk.cseq().method()).isEqualTo("BYE");
        assertThat(byeOk.vias()).hasSize(1);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> door.proxy().orElseThrow().pendingContexts() == 0);
    }

    @Test
    void whenEveryPhoneFailsTheBestFailureGoesUpAndA503GoesAs500() {
        registerAlicesPhones();
        door.request(invite("alice@clinic.example", "carol@elsewhere.example", ""), caller);
        SipRequest atDesk = deskPhone.nextRequest("INVITE");
        SipRequest atSoft = softphone.nextRequest("INVITE");
        door.response(answer(atDesk, 503, "Service Unavailable", "desk", ""), deskPhone);
        assertThat(caller.received(response(503))).as("held until every branch has answered").isEmpty();
        door.response(answer(atSoft, 486, "Busy Here", "soft", ""), softphone);
        assertThat(caller.nextResponse(486).reason()).isEqualTo("Busy Here");
        // only one phone, and it is out of service: 503 goes up as 500 (§16.7 step 6)
        locations.removeAll(alice.id()).toCompletableFuture().join();
        bind(alice, "desk", "sip:alice@10.0.0.7:5062", 1.0, new EdgePath(domain, tokens).path(deskPhone));
        door.request(invite("alice@clinic.example", "carol@elsewhere.example", ""), caller);
        SipRequest again = deskPhone.nextRequest("INVITE");
        door.response(answer(again, 503, "Service Unavailable", "desk", ""), deskPhone);
        assertThat(caller.nextResponse(500).status()).isEqualTo(500);
    }

    @Test
    void aCancelReachesEachPhoneOnceItHasRungAndTheCallerGets487() {
        registerAlicesPhones();
        SipRequest invite = invite("alice@clinic.example", "carol@elsewhere.example", "");
        door.request(invite, caller);
        SipRequest atDesk = deskPhone.nextRequest("INVITE");
        SipRequest atSoft = softphone.nextRequest("INVITE");
        door.response(answer(atDesk, 180, "Ringing", "desk", ""), deskPhone);
        caller.nextResponse(180);
        door.request(request("CANCEL sip:alice@clinic.example SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bKcaller1\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:alice@clinic.example>\r\nFrom: <sip:carol@elsewhere.example>;tag=caller1\r\n"
                + "Call-ID: call-1\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n"), caller);
        assertThat(caller.next(r -> r instanceof SipResponse s && s.cseq().method().equals("CANCEL")))
                .satisfies(r -> assertThat(((SipResponse) r).status()).isEqualTo(200));
        // the desk phone rang: cancelled at once; the softphone had not answered at all: only once it does (§16.10)
        SipRequest deskCancel = deskPhone.nextRequest("CANCEL");
        assertThat(softphone.received(method("CANCEL"))).isEmpty();
        door.response(answer(atSoft, 180, "Ringing", "soft", ""), softphone);
        SipRequest softCancel = softphone.nextRequest("CANCEL");
        door.response(answer(deskCancel, 200, "OK", "desk", ""), deskPhone);
        door.response(answer(softCancel, 200, "OK", "soft", ""), softphone);
        door.response(answer(atDesk, 487, "Request Terminated", "desk", ""), deskPhone);
        door.response(answer(atSoft, 487, "Request Terminated", "soft", ""), softphone);
        assertThat(caller.nextResponse(487).cseq().method()).isEqualTo("INVITE");
    }

    @Test
    void timerCCancelsABranchThatRingsTooLong() {
        registerAlicesPhones();
        locations.removeAll(alice.id()).toCompletableFuture().join();
        bind(alice, "desk", "sip:alice@10.0.0.7:5062", 1.0, new EdgePath(domain, tokens).path(deskPhone));
        door.request(invite("alice@clinic.example", "carol@elsewhere.example", ""), caller);
        SipRequest atDesk = deskPhone.nextRequest("INVITE");
        door.response(answer(atDesk, 180, "Ringing", "desk", ""), deskPhone);
        caller.nextResponse(180);
        scheduler.advance(Duration.ofSeconds(179));
        assertThat(deskPhone.received(method("CANCEL"))).isEmpty();
        scheduler.advance(Duration.ofSeconds(2));
        SipRequest cancel = deskPhone.nextRequest("CANCEL");
        door.response(answer(cancel, 200, "OK", "desk", ""), deskPhone);
        door.response(answer(atDesk, 487, "Request Terminated", "desk", ""), deskPhone);
        assertThat(caller.nextResponse(487).status()).isEqualTo(487);
    }

    @Test
    void aMessageGoesToEveryPhoneAndTheFirst2xxAnswersIt() {
        registerAlicesPhones();
        door.request(request("MESSAGE sip:alice@clinic.example SIP/2.0\r\nVia: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bKmsg\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:alice@clinic.example>\r\nFrom: <sip:carol@elsewhere.example>;tag=m1\r\n"
                + "Call-ID: msg-1\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"), caller);
        SipRequest atDesk = deskPhone.nextRequest("MESSAGE");
        SipRequest atSoft = softphone.nextRequest("MESSAGE");
        assertThat(atDesk.values("Record-Route")).as("a MESSAGE creates no dialog").isEmpty();
        assertThat(new String(atSoft.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
        door.response(answer(atSoft, 200, "OK", "soft", ""), softphone);
        assertThat(caller.nextResponse(200).cseq().method()).isEqualTo("MESSAGE");
        door.response(answer(atDesk, 200, "OK", "desk", ""), deskPhone);
        assertThat(softphone.received(method("CANCEL"))).isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> door.proxy().orElseThrow().pendingContexts() == 0);
    }

    @Test
    void theServersOwnUsersAreChallengedAndMayOnlyCallAsThemselves() throws Exception {
        registerAlicesPhones();
        door.request(invite("alice@clinic.example", "bob@clinic.example", ""), caller);
        SipResponse challenge = caller.nextResponse(407);
        String offered = challenge.values("Proxy-Authenticate").get(0);
        int at = offered.indexOf("nonce=\"") + 7;
        String nonce = offered.substring(at, offered.indexOf('"', at));
        String ha1 = md5("bob:clinic.example:" + bobsPhone);
        String answer = md5(ha1 + ":" + nonce + ":00000001:cn:auth:" + md5("INVITE:sip:alice@clinic.example"));
        String credentials = "Proxy-Authorization: Digest username=\"bob\", realm=\"clinic.example\", nonce=\"" + nonce
                + "\", uri=\"sip:alice@clinic.example\", response=\"" + answer
                + "\", algorithm=MD5, cnonce=\"cn\", qop=auth, nc=00000001\r\n";
        door.request(invite("alice@clinic.example", "bob@clinic.example", credentials), caller);
        SipRequest atDesk = deskPhone.nextRequest("INVITE");
        assertThat(atDesk.values("Proxy-Authorization")).as("consumed by the proxy").isEmpty();
        // bob's credentials with alice's name in the From: refused
        String forged = credentials.replace("00000001", "00000002").replace(answer, md5(ha1 + ":" + nonce
                + ":00000002:cn:auth:" + md5("INVITE:sip:alice@clinic.example")));
        door.request(invite("alice@clinic.example", "alice@clinic.example", forged), caller);
        assertThat(caller.nextResponse(403).reason()).contains("From");
    }

    @Test
    void refusals() {
        registerAlicesPhones();
        assertThat(statusFor(invite("nobody@clinic.example", "carol@elsewhere.example", ""))).isEqualTo(404);
        assertThat(statusFor(invite("bob@clinic.example", "carol@elsewhere.example", ""))).isEqualTo(480);
        assertThat(statusFor(invite("someone@elsewhere.example", "carol@elsewhere.example", "")))
                .as("not an open relay").isEqualTo(403);
        assertThat(statusFor(request(text(invite("alice@clinic.example", "carol@elsewhere.example", ""))
                .replace("Max-Forwards: 70", "Max-Forwards: 0")))).isEqualTo(483);
        assertThat(statusFor(request(text(invite("alice@clinic.example", "carol@elsewhere.example",
                "Proxy-Require: foo\r\n"))))).isEqualTo(420);
        assertThat(statusFor(request(text(invite("alice@clinic.example", "carol@elsewhere.example",
                "Route: <sip:forged.token@192.0.2.1;lr>\r\n"))))).isEqualTo(403);
        assertThat(statusFor(request(text(invite("alice@clinic.example", "carol@elsewhere.example",
                "Route: <sip:next.example;lr\r\n"))))).as("a Route that does not parse").isEqualTo(400);
        // an OPTIONS ping with such a Route is not taken for one to this server, and is refused as well
        assertThat(statusFor(request(text(invite("alice@clinic.example", "carol@elsewhere.example",
                "Route: <sip:next.example;lr\r\n")).replace("INVITE sip:alice@clinic.example", "OPTIONS sip:clinic.example")
                .replace("CSeq: 1 INVITE", "CSeq: 1 OPTIONS")))).isEqualTo(400);
        // the same request back through this proxy: its Via carries the request's hash (§16.3 step 4)
        SipRequest first = invite("alice@clinic.example", "carol@elsewhere.example", "");
        String looped = text(first).replace("Via: SIP/2.0/UDP 198.51.100.20", "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-ts"
                + Proxy.loopHash(first) + ".1\r\nVia: SIP/2.0/UDP 198.51.100.20");
        assertThat(statusFor(request(looped))).isEqualTo(482);
        // a spiral (another Request-URI, so another hash) is no loop
        String spiral = text(first).replace("Via: SIP/2.0/UDP 198.51.100.20", "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-ts"
                + "0000000000.1\r\nVia: SIP/2.0/UDP 198.51.100.20");
        door.request(request(spiral), caller);
        deskPhone.nextRequest("INVITE");
    }

    @Test
    void aPhoneRegisteredFromItsContactsAddressIsReachedThereAndOneBehindNatThroughItsFlow() {
        EdgePath edge = new EdgePath(domain, tokens);
        TestFlow registeredFrom = network.open("UDP", "10.0.0.11", 5060);
        NameAddr asWritten = NameAddr.parse("<sip:alice@10.0.0.11:5060>");
        assertThat(edge.pathFor(registeredFrom, asWritten)).as("reachable as written: no Path").isEmpty();
        assertThat(edge.pathFor(registeredFrom, NameAddr.parse("<sip:alice@192.168.1.5:5060>")))
                .as("a private address behind NAT: its flow").hasValue(edge.path(registeredFrom));
        assertThat(edge.pathFor(registeredFrom, NameAddr.parse("<sip:alice@10.0.0.11:5060>;reg-id=1;+sip.instance=\"<urn:uuid:1>\"")))
                .as("outbound").isPresent();
        assertThat(edge.pathFor(softphone, NameAddr.parse("<sip:alice@10.0.0.8:40312;transport=tcp>"))).as("a stream")
                .isPresent();
        bind(alice, "plain", "sip:alice@10.0.0.11:5060", 1.0, null);
        door.request(invite("alice@clinic.example", "carol@elsewhere.example", ""), caller);
        assertThat(registeredFrom.nextRequest("INVITE").uri()).isEqualTo("sip:alice@10.0.0.11:5060");
    }

    @Test
    void aStreamPhoneWhoseConnectionClosedIsReachedAtItsContactIfItListens() {
        TestFlow closed = network.open("TCP", "10.0.0.12", 40000);
        network.close(closed);
        TestFlow listening = network.open("TCP", "10.0.0.12", 5070);
        bind(alice, "tcp", "sip:alice@10.0.0.12:5070;transport=tcp", 1.0, new EdgePath(domain, tokens).path(closed));
        door.request(invite("alice@clinic.example", "carol@elsewhere.example", ""), caller);
        assertThat(listening.nextRequest("INVITE").vias().get(0).transport()).isEqualTo("TCP");
    }

    @Test
    void aPhoneWhoseConnectionClosedIs430FlowFailed() {
        TestFlow gone = network.open("TCP", "10.0.0.9", 40999);
        network.close(gone);
        bind(alice, "gone", "sip:alice@10.0.0.9:5070;transport=tcp", 1.0, new EdgePath(domain, tokens).path(gone));
        assertThat(statusFor(invite("alice@clinic.example", "carol@elsewhere.example", ""))).isEqualTo(430);
    }

    @Test
    void aRetransmitted2xxAfterItsTransactionEndedIsForwardedStatelessly() {
        registerAlicesPhones();
        SipResponse late = (SipResponse) PARSER.parseDatagram(("SIP/2.0 200 OK\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-ts0123456789.x\r\n"
                + "Via: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bKold;received=198.51.100.20;rport=5060\r\n"
                + "To: <sip:alice@clinic.example>;tag=desk\r\nFrom: <sip:carol@elsewhere.example>;tag=c\r\n"
                + "Call-ID: old\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        door.response(late, deskPhone);
        SipResponse forwarded = caller.nextResponse(200);
        assertThat(forwarded.vias()).hasSize(1);
        assertThat(door.proxy().orElseThrow().statelessForwarded()).isEqualTo(1);
    }

    @Test
    void aLocationServiceThatFailsIs503() {
        LocationStore down = new LocationStore() {
            private <T> CompletionStage<T> failed() {
                return CompletableFuture.failedFuture(new IllegalStateException("Redis is away"));
            }

            @Override
            public CompletionStage<Outcome> put(Binding binding) {
                return failed();
            }

            @Override
            public CompletionStage<Outcome> remove(io.telesignal.core.identity.UserId user, String key, String callId,
                    long cseq) {
                return failed();
            }

            @Override
            public CompletionStage<List<Binding>> removeAll(io.telesignal.core.identity.UserId user) {
                return failed();
            }

            @Override
            public CompletionStage<List<Binding>> bindingsOf(io.telesignal.core.identity.UserId user,
                    java.time.Instant now) {
                return failed();
            }

            @Override
            public CompletionStage<List<Binding>> onNode(NodeId node) {
                return failed();
            }
        };
        SipFrontDoor failing = new SipFrontDoor(scheduler, TimerSettings.DEFAULTS, Optional.empty(),
                Optional.of(layer -> new Proxy(domain, tokens, new Locator(accounts, down, workers, clock), network,
                        layer, Optional.empty(), workers, scheduler, TimerSettings.DEFAULTS, Proxy.Settings.DEFAULTS)),
                workers);
        failing.request(invite("alice@clinic.example", "carol@elsewhere.example", ""), caller);
        assertThat(caller.nextResponse(503).status()).isEqualTo(503);
        assertThat(failing.proxy().orElseThrow().pendingContexts()).isZero();
    }

    private int statusFor(SipRequest request) {
        int before = caller.messages.size();
        door.request(request, caller);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> caller.messages.stream().skip(before)
                .anyMatch(m -> m instanceof SipResponse r && r.status() >= 200));
        return caller.messages.stream().skip(before).filter(m -> m instanceof SipResponse r && r.status() >= 200)
                .map(m -> ((SipResponse) m).status()).findFirst().orElseThrow();
    }

    private static String text(SipRequest request) {
        return new String(request.encode(), StandardCharsets.UTF_8);
    }

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Predicate<SipMessage> method(String method) {
        return m -> m instanceof SipRequest r && r.method().equals(method);
    }

    private static Predicate<SipMessage> response(int status) {
        return m -> m instanceof SipResponse r && r.status() == status;
    }

    /** The flows of the test: each keeps what it was sent, parsed. */
    private final class Network implements Connector {
        private final Map<FlowKey, TestFlow> open = new ConcurrentHashMap<>();

        TestFlow open(String transport, String host, int port) {
            TestFlow flow = new TestFlow(transport, new InetSocketAddress(host, port));
            open.put(flow.key(), flow);
            return flow;
        }

        void close(TestFlow flow) {
            open.remove(flow.key());
        }

        @Override
        public CompletionStage<Flow> flow(String transport, InetSocketAddress address) {
            TestFlow flow = open.get(new FlowKey(transport, address));
            return flow != null ? CompletableFuture.completedFuture(flow)
                    : CompletableFuture.failedFuture(new FlowFailedException("unreachable", false));
        }

        @Override
        public CompletionStage<Flow> existing(FlowKey key) {
            TestFlow flow = open.get(key);
            return flow != null ? CompletableFuture.completedFuture(flow)
                    : CompletableFuture.failedFuture(new FlowFailedException("closed", true));
        }
    }

    private static final class TestFlow implements Flow {
        private final String transport;
        private final InetSocketAddress remote;
        final List<SipMessage> messages = new CopyOnWriteArrayList<>();
        private int read;

        TestFlow(String transport, InetSocketAddress remote) {
            this.transport = transport;
            this.remote = remote;
        }

        @Override
        public String transport() {
            return transport;
        }

        @Override
        public InetSocketAddress remote() {
            return remote;
        }

        @Override
        public boolean reliable() {
            return !transport.equals("UDP");
        }

        @Override
        public void send(byte[] message) {
            messages.add(PARSER.parseDatagram(message));
        }

        SipResponse nextResponse(int status) {
            return (SipResponse) next(response(status));
        }

        SipRequest nextRequest(String method) {
            return (SipRequest) next(method(method));
        }

        /** The next message (after those taken before) that matches, waiting for it. */
        SipMessage next(Predicate<SipMessage> matching) {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> messages.stream().skip(read).anyMatch(matching));
            for (int i = read; i < messages.size(); i++) {
                if (matching.test(messages.get(i))) {
                    read = i + 1;
                    return messages.get(i);
                }
            }
            throw new AssertionError("gone");
        }

        List<SipMessage> received(Predicate<SipMessage> matching) {
            return messages.stream().filter(matching).toList();
        }
    }
}
