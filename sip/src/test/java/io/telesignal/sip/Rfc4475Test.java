package io.telesignal.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.device.DevicePasswords;
import io.telesignal.core.directory.Accounts;
import io.telesignal.core.directory.Argon2idHasher;
import io.telesignal.core.directory.InMemoryDirectory;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.location.Binding;
import io.telesignal.core.location.InMemoryLocationStore;
import io.telesignal.core.testkit.MutableClock;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.sip.auth.DigestServer;
import io.telesignal.sip.message.NameAddr;
import io.telesignal.sip.message.SipLimits;
import io.telesignal.sip.message.SipMessage;
import io.telesignal.sip.message.SipParseException;
import io.telesignal.sip.message.SipParser;
import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipResponse;
import io.telesignal.sip.message.SipUri;
import io.telesignal.sip.proxy.EdgePath;
import io.telesignal.sip.proxy.FlowTokens;
import io.telesignal.sip.proxy.Locator;
import io.telesignal.sip.proxy.Proxy;
import io.telesignal.sip.proxy.SipDomain;
import io.telesignal.sip.registrar.Registrar;
import io.telesignal.sip.transaction.TimerSettings;
import io.telesignal.sip.transport.Connector;
import io.telesignal.sip.transport.Flow;
import io.telesignal.sip.transport.FlowFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The RFC 4475 torture messages (section 3), byte for byte as the RFC has them ({@code rfc4475/*.dat}, listed with the
 * RFC's verdict in {@code MANIFEST.tsv}): each valid one parses to the right values, each invalid one is refused with
 * the response the RFC names, and the application-layer ones get, through the door with its registrar and proxy, the
 * answer the RFC expects of a registrar and proxy.
 */
class Rfc4475Test {
    private static final SipParser PARSER = new SipParser(SipLimits.DEFAULTS);

    record Entry(String file, String section, String title, boolean valid, String response) {
        @Override
        public String toString() {
            return section + " " + file;
        }
    }

    static List<Entry> manifest() throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (InputStream in = Rfc4475Test.class.getResourceAsStream("/rfc4475/MANIFEST.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split("\t");
                entries.add(new Entry(f[0], f[1], f[2], f[3].equals("valid"), f[4]));
            }
        }
        return entries;
    }

    static byte[] bytes(String file) throws IOException {
        try (InputStream in = Rfc4475Test.class.getResourceAsStream("/rfc4475/" + file)) {
            return in.readAllBytes();
        }
    }

    static Stream<Entry> wellFormed() throws IOException {
        // everything the RFC calls valid, but for the three application-layer messages that are refused as
        // malformed (§3.3.1 missing headers, §3.3.8 multiple values where one is allowed, §3.3.9 two Content-Lengths)
        return manifest().stream().filter(e -> e.valid() && !Set.of("insuf.dat", "multi01.dat", "mcl01.dat")
                .contains(e.file()));
    }

    static Stream<Entry> malformed() throws IOException {
        // every invalid message is refused; §3.1.2.12 (a non-GMT Date) may be accepted, and is: the Date is not read
        return Stream.concat(manifest().stream().filter(e -> !e.valid() && !e.file().equals("baddate.dat")),
                manifest().stream().filter(e -> Set.of("insuf.dat", "multi01.dat", "mcl01.dat").contains(e.file())));
    }

    @Test
    void theManifestHoldsEverySection3Message() throws IOException {
        assertThat(manifest()).hasSize(49);
        assertThat(manifest()).filteredOn(e -> e.section().startsWith("3.1.1")).hasSize(13);
        assertThat(manifest()).filteredOn(e -> e.section().startsWith("3.1.2")).hasSize(19);
    }

    @ParameterizedTest
    @MethodSource("wellFormed")
    void wellFormedMessagesParse(Entry entry) throws IOException {
        SipMessage message = PARSER.parseDatagram(bytes(entry.file()));
        // what the transaction layer and the door read of every message
        assertThat(message.vias()).isNotEmpty();
        assertThat(message.callId()).isNotEmpty();
        message.from();
        message.to();
        message.cseq();
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedMessagesAreRefusedWithTheRfcsStatus(Entry entry) {
        assertThatThrownBy(() -> PARSER.parseDatagram(bytes(entry.file())))
                .isInstanceOfSatisfying(SipParseException.class, e -> assertThat(e.status())
                        .isEqualTo(entry.file().equals("badvers.dat") ? 505 : 400));
    }

    @Test
    void theValidMessagesParseToTheValuesTheRfcSays() throws IOException {
        SipRequest wsinv = (SipRequest) PARSER.parseDatagram(bytes("wsinv.dat"));
        assertThat(wsinv.to().tag()).hasValue("1918181833n");
        assertThat(wsinv.from().displayName()).hasValue("J Rosenberg \\\"");
        assertThat(wsinv.from().tag()).hasValue("98asjd8");
        assertThat(wsinv.maxForwards()).hasValue(68);
        assertThat(wsinv.cseq().number()).isEqualTo(9);
        assertThat(wsinv.cseq().method()).isEqualTo("INVITE");
        assertThat(wsinv.vias()).hasSize(3);
        assertThat(wsinv.vias().get(0).branch()).hasValue("390skdjuw");
        assertThat(wsinv.bodyLength()).isEqualTo(150);
        assertThat(wsinv.first("NewFangledHeader")).hasValueSatisfying(v -> assertThat(v).contains("newfangled value"));

        assertThat(((SipRequest) PARSER.parseDatagram(bytes("intmeth.dat"))).method())
                .isEqualTo("!interesting-Method0123456789_*+`.%indeed'~");
        SipRequest esc01 = (SipRequest) PARSER.parseDatagram(bytes("esc01.dat"));
        assertThat(esc01.sipUri().flatMap(SipUri::user)).hasValue("sips:user@example.com");
        SipRequest escnull = (SipRequest) PARSER.parseDatagram(bytes("escnull.dat"));
        assertThat(escnull.to().sipUri().flatMap(SipUri::user)).hasValue("null-\0-null");
        assertThat(((SipRequest) PARSER.parseDatagram(bytes("esc02.dat"))).method()).isEqualTo("RE%47IST%45R");
        SipRequest longreq = (SipRequest) PARSER.parseDatagram(bytes("longreq.dat"));
        assertThat(longreq.vias()).hasSize(34);
        assertThat(longreq.values("Contact")).hasSize(1);
        // two requests in one datagram: the first, its bytes past the Content-Length dropped (RFC 3261 §18.3)
        SipRequest dblreq = (SipRequest) PARSER.parseDatagram(bytes("dblreq.dat"));
        assertThat(dblreq.method()).isEqualTo("REGISTER");
        assertThat(dblreq.bodyLength()).isZero();
        SipRequest semiuri = (SipRequest) PARSER.parseDatagram(bytes("semiuri.dat"));
        assertThat(semiuri.sipUri().flatMap(SipUri::user)).hasValue("user;par=u@example.net");
        SipRequest transports = (SipRequest) PARSER.parseDatagram(bytes("transports.dat"));
        assertThat(transports.vias()).extracting(v -> v.transport()).contains("UDP", "SCTP", "TLS", "UNKNOWN", "TCP");
        SipRequest mpart01 = (SipRequest) PARSER.parseDatagram(bytes("mpart01.dat"));
        assertThat(mpart01.bodyLength()).isEqualTo(553);
        SipResponse unreason = (SipResponse) PARSER.parseDatagram(bytes("unreason.dat"));
        assertThat(unreason.status()).isEqualTo(200);
        assertThat(unreason.reason()).startsWith("= 2**3 * 5**2");
        SipResponse noreason = (SipResponse) PARSER.parseDatagram(bytes("noreason.dat"));
        assertThat(noreason.status()).isEqualTo(100);
        assertThat(noreason.reason()).isEmpty();
        // §3.3.12-14: where a Contact's parameter belongs, and escaped headers in a Contact URI
        assertThat(PARSER.parseDatagram(bytes("cparam01.dat")).contacts().get(0))
                .satisfies(c -> assertThat(c.uri()).isEqualTo("sip:+19725552222@gw1.example.net"))
                .satisfies(c -> assertThat(c.params()).containsKey("unknownparam"));
        assertThat(PARSER.parseDatagram(bytes("cparam02.dat")).contacts().get(0).uri())
                .isEqualTo("sip:+19725552222@gw1.example.net;unknownparam");
        assertThat(PARSER.parseDatagram(bytes("regescrt.dat")).contacts().get(0).sipUri().flatMap(SipUri::headers))
                .hasValue("Route=%3Csip:sip.example.com%3E");
    }

    // --- the application layer (§3.2, §3.3, §3.4) through the door, its registrar and proxy ---------------------

    private final io.telesignal.sip.testing.SipUsers fixture = new io.telesignal.sip.testing.SipUsers("example.com");
    private final MutableClock clock = fixture.clock;
    private final AuditTrail audit = fixture.audit;
    private final InMemoryDirectory directory = fixture.directory;
    private final Accounts accounts = fixture.accounts;
    private final DevicePasswords devices = fixture.devices;
    private final DigestServer digest = fixture.digest(List.of("MD5"));
    private final InMemoryLocationStore locations = new InMemoryLocationStore();
    private final WorkerPool workers = new WorkerPool("test", 2, 100);
    private final SipDomain domain = new SipDomain("192.0.2.1", Set.of("example.com")).listening("UDP", 5060);
    private final FlowTokens tokens = new FlowTokens(new byte[32]);
    private final Registrar registrar = new Registrar(new Registrar.Settings(60, 3600, 7200), digest, locations,
            new NodeId("n1"), clock, new io.telesignal.core.presence.PresenceService(
                    new io.telesignal.core.presence.InMemoryPresenceStore(), clock), (delay, task) -> () -> { },
            new EdgePath(domain, tokens));
    /** Nothing is reachable: what matters here is what the door answers itself. */
    private final Connector nowhere = new Connector() {
        @Override
        public java.util.concurrent.CompletionStage<Flow> flow(String transport, InetSocketAddress address) {
            return CompletableFuture.failedFuture(new FlowFailedException("test", false));
        }
    };
    private final SipFrontDoor door = new SipFrontDoor((delay, task) -> () -> { }, TimerSettings.DEFAULTS,
            Optional.of(registrar), Optional.of(layer -> new Proxy(domain, tokens, new Locator(accounts, locations,
                    workers, clock), nowhere, layer, Optional.of(digest), workers, (delay, task) -> () -> { },
                    TimerSettings.DEFAULTS, Proxy.Settings.DEFAULTS)), workers);
    private final List<byte[]> sent = new CopyOnWriteArrayList<>();
    private final Flow client = new Flow() {
        @Override
        public String transport() {
            return "UDP";
        }

        @Override
        public InetSocketAddress remote() {
            return new InetSocketAddress("192.0.2.21", 5060);
        }

        @Override
        public boolean reliable() {
            return false;
        }

        @Override
        public void send(byte[] message) {
            sent.add(message);
        }
    };

    @AfterEach
    void close() {
        workers.close();
        fixture.close();
    }

    /** The door's final answer to a message, as a transport hands it over; 0 when it sends none. */
    private int answer(byte[] raw) {
        int before = sent.size();
        SipMessage message;
        try {
            message = PARSER.parseDatagram(raw);
        } catch (SipParseException e) {
            door.refused(e, raw, client);
            return sent.size() > before ? status(sent.get(sent.size() - 1)) : 0;
        }
        if (message instanceof SipResponse response) {
            door.response(response, client);
            return 0;
        }
        door.request((SipRequest) message, client);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sent.stream().skip(before)
                    .anyMatch(m -> status(m) >= 200));
        } catch (org.awaitility.core.ConditionTimeoutException none) {
            return 0;
        }
        return sent.stream().skip(before).mapToInt(Rfc4475Test::status).filter(s -> s >= 200).findFirst().orElse(0);
    }

    /** The status of a response the door sent (read off its status line: a 400 to a request without From has none). */
    private static int status(byte[] message) {
        return Integer.parseInt(new String(message, 8, 3, StandardCharsets.US_ASCII));
    }

    @Test
    void theApplicationLayerMessagesGetTheAnswersTheRfcExpects() throws IOException {
        assertThat(answer(bytes("unkscm.dat"))).as("§3.3.2").isEqualTo(416);
        assertThat(answer(bytes("novelsc.dat"))).as("§3.3.3").isEqualTo(416);
        assertThat(answer(bytes("unksm2.dat"))).as("§3.3.4: an AOR is a SIP URI").isEqualTo(400);
        assertThat(answer(bytes("bext01.dat"))).as("§3.3.5").isEqualTo(420);
        assertThat(answer(bytes("regaut01.dat"))).as("§3.3.7: an unknown scheme is no credential").isEqualTo(401);
        assertThat(answer(bytes("zeromf.dat"))).as("§3.3.11").isEqualTo(483);
        assertThat(answer(bytes("insuf.dat"))).as("§3.3.1").isEqualTo(400);
        assertThat(answer(bytes("multi01.dat"))).as("§3.3.8").isEqualTo(400);
        assertThat(answer(bytes("mcl01.dat"))).as("§3.3.9").isEqualTo(400);
        assertThat(answer(bytes("bcast.dat"))).as("§3.3.10: a response to nobody is dropped").isZero();
        assertThat(answer(bytes("bigcode.dat"))).as("§3.1.2.19: a response is never answered").isZero();
        assertThat(answer(bytes("escruri.dat"))).as("§3.1.2.11").isEqualTo(400);
        // a proxy processes these as any other request: here, for users it does not know
        assertThat(answer(bytes("invut.dat"))).as("§3.3.6").isEqualTo(404);
        assertThat(answer(bytes("sdp01.dat"))).as("§3.3.15").isEqualTo(404);
        assertThat(answer(bytes("inv2543.dat"))).as("§3.4.1: an RFC 2543 request").isEqualTo(404);
        assertThat(answer(bytes("badbranch.dat"))).as("§3.2.1: handled, the parser does not break").isPositive();
        assertThat(answer(bytes("intmeth.dat"))).as("§3.1.1.2: forwarded like any request; its From is in this server's"
                + " domain, so challenged first").isEqualTo(407);
    }

    @Test
    void theRegistrarAcceptsTheContactsOfSection3312To3314AsTheRfcReadsThem() throws Exception {
        User watson = accounts.addWithoutPassword(new Login("watson"), "Watson", Set.of(Role.PROVIDER), "t");
        User user = accounts.addWithoutPassword(new Login("user"), "User", Set.of(Role.PROVIDER), "t");
        String watsons = devices.create(watson, "gw", Optional.empty(), "t").password().orElseThrow();
        String users = devices.create(user, "phone", Optional.empty(), "t").password().orElseThrow();
        assertThat(register("cparam01.dat", "watson", watsons, 1)).isEqualTo(200);
        assertThat(register("cparam02.dat", "watson", watsons, 2)).isEqualTo(200);
        assertThat(register("regescrt.dat", "user", users, 3)).isEqualTo(200);
        assertThat(locations.bindingsOf(watson.id(), clock.instant()).toCompletableFuture().join())
                .extracting(Binding::contact).containsExactlyInAnyOrder("sip:+19725552222@gw1.example.net",
                        "sip:+19725552222@gw1.example.net;unknownparam");
        assertThat(locations.bindingsOf(user.id(), clock.instant()).toCompletableFuture().join())
                .extracting(Binding::contact).containsExactly("sip:user@example.com?Route=%3Csip:sip.example.com%3E");
    }

    /** The RFC's REGISTER, answered with a device password's credentials added as its last header (MD5, qop=auth). */
    private int register(String file, String login, String password, int nc) throws Exception {
        String text = new String(bytes(file), StandardCharsets.ISO_8859_1);
        SipResponse challenge = registrar.register((SipRequest) PARSER.parseDatagram(bytes(file)), client)
                .toCompletableFuture().join();
        assertThat(challenge.status()).isEqualTo(401);
        String offered = challenge.values("WWW-Authenticate").get(0);
        int at = offered.indexOf("nonce=\"") + 7;
        String nonce = offered.substring(at, offered.indexOf('"', at));
        String count = String.format("%08x", nc);
        String ha1 = md5(login + ":example.com:" + password);
        String response = md5(ha1 + ":" + nonce + ":" + count + ":c:auth:" + md5("REGISTER:sip:example.com"));
        String credentials = "Authorization: Digest username=\"" + login + "\", realm=\"example.com\", nonce=\"" + nonce
                + "\", uri=\"sip:example.com\", response=\"" + response + "\", algorithm=MD5, cnonce=\"c\", qop=auth, nc="
                + count + "\r\n";
        int end = text.indexOf("\r\n\r\n");
        String authorized = text.substring(0, end + 2) + credentials + text.substring(end + 2);
        return registrar.register((SipRequest) PARSER.parseDatagram(authorized.getBytes(StandardCharsets.ISO_8859_1)),
                client).toCompletableFuture().join().status();
    }

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRegisterFromTheRfcIsNeverTakenForAnotherUsersAddress() throws IOException {
        // the To of §3.3.12 is watson's: nobody else's credentials register it
        User other = accounts.addWithoutPassword(new Login("holmes"), "Holmes", Set.of(Role.PROVIDER), "t");
        accounts.addWithoutPassword(new Login("watson"), "Watson", Set.of(Role.PROVIDER), "t");
        String holmes = devices.create(other, "gw", Optional.empty(), "t").password().orElseThrow();
        try {
            assertThat(register("cparam01.dat", "holmes", holmes, 1)).isEqualTo(403);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(NameAddr.parse("sip:watson@example.com").sipUri()).isPresent();
    }
}
