package io.telesignal.sip.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.InMemoryAuditLog;
import io.telesignal.core.auth.InMemoryFailureCounters;
import io.telesignal.core.auth.SignInThrottle;
import io.telesignal.core.device.DevicePasswords;
import io.telesignal.core.device.InMemoryDevicePasswordStore;
import io.telesignal.core.device.InMemoryNonceCounts;
import io.telesignal.core.directory.Accounts;
import io.telesignal.core.directory.Argon2idHasher;
import io.telesignal.core.directory.InMemoryDirectory;
import io.telesignal.core.directory.PasswordHashes;
import io.telesignal.core.directory.PasswordPolicy;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.testkit.MutableClock;
import io.telesignal.sip.message.SipLimits;
import io.telesignal.sip.message.SipParser;
import io.telesignal.sip.message.SipRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Digest against device passwords, as a phone would answer the challenge (RFC 7616 §3.4.1, RFC 8760). */
class DigestServerTest {
    private final MutableClock clock = MutableClock.atEpochDay();
    private final InMemoryAuditLog log = new InMemoryAuditLog();
    private final AuditTrail audit = new AuditTrail(log, clock, 100);
    private final InMemoryDirectory directory = new InMemoryDirectory();
    private final PasswordHashes hashes = new PasswordHashes(Argon2idHasher.owaspDefaults(new SecureRandom()), List.of());
    private final Accounts accounts = new Accounts(directory, hashes, PasswordPolicy.DEFAULT, audit, clock);
    private final DevicePasswords devices = new DevicePasswords(new InMemoryDevicePasswordStore(
            id -> directory.findById(id).isPresent()), new DevicePasswords.Settings("clinic.example", 4096, 5, 16),
            audit, clock, new SecureRandom());
    private final SignInThrottle throttle = new SignInThrottle(new InMemoryFailureCounters(1000),
            new SignInThrottle.Settings(3, 50, Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofHours(1)), clock);
    private final DigestServer digest = new DigestServer(new DigestServer.Settings("clinic.example",
            Duration.ofMinutes(5), new byte[32]), accounts, devices, new InMemoryNonceCounts(1000, System::nanoTime),
            throttle, audit, clock);
    private final SipParser parser = new SipParser(SipLimits.DEFAULTS);
    private final User alice = accounts.add(new Login("alice"), "Alice", Set.of(Role.PROVIDER),
            "alice's account password".toCharArray(), "test");
    private final String phone = devices.create(alice, "desk phone", Optional.empty(), "test").password().orElseThrow();

    @AfterEach
    void close() {
        audit.close();
    }

    private SipRequest register(String authorization) {
        String text = "REGISTER sip:clinic.example SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.5:5060;branch=z9hG4bKr1\r\n"
                + "Max-Forwards: 70\r\nTo: <sip:alice@clinic.example>\r\nFrom: <sip:alice@clinic.example>;tag=1\r\n"
                + "Call-ID: r1\r\nCSeq: 1 REGISTER\r\nContact: <sip:alice@192.0.2.5:5060>\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "Content-Length: 0\r\n\r\n";
        return (SipRequest) parser.parseDatagram(text.getBytes(StandardCharsets.UTF_8));
    }

    /** What a phone sends for {@code password} (RFC 7616 §3.4.1, qop=auth). */
    private static String answer(String algorithm, String user, String password, String nonce, String nc, String uri) {
        String hash = algorithm.startsWith("SHA-256") ? "SHA-256" : "MD5";
        String ha1 = DigestServer.hex(hash, user + ":clinic.example:" + password);
        if (algorithm.endsWith("-sess")) {
            ha1 = DigestServer.hex(hash, ha1 + ":" + nonce + ":c0ffee");
        }
        String response = DigestServer.hex(hash, ha1 + ":" + nonce + ":" + nc + ":c0ffee:auth:"
                + DigestServer.hex(hash, "REGISTER:" + uri));
        return "Digest username=\"" + user + "\", realm=\"clinic.example\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", response=\"" + response + "\", algorithm=" + algorithm + ", cnonce=\"c0ffee\", qop=auth, nc=" + nc;
    }

    private static String nonceOf(List<String> challenges) {
        String c = challenges.get(0);
        int at = c.indexOf("nonce=\"") + 7;
        return c.substring(at, c.indexOf('"', at));
    }

    @Test
    void aPhoneAnswersTheChallengeWithItsDevicePasswordInEitherAlgorithm() {
        assertThat(digest.check(register(null), "Authorization", "192.0.2.5")).isEqualTo(new DigestServer.Result.Challenge(false));
        List<String> challenges = digest.challenges(false);
        assertThat(challenges).hasSize(2);
        assertThat(challenges.get(0)).contains("algorithm=SHA-256", "qop=\"auth\"", "realm=\"clinic.example\"");
        assertThat(challenges.get(1)).contains("algorithm=MD5");
        String nonce = nonceOf(challenges);
        for (String algorithm : List.of("SHA-256", "MD5", "MD5-sess")) {
            String nc = switch (algorithm) {
                case "SHA-256" -> "00000001";
                case "MD5" -> "00000002";
                default -> "00000003";
            };
            DigestServer.Result result = digest.check(register(answer(algorithm, "alice", phone, nonce, nc,
                    "sip:clinic.example")), "Authorization", "192.0.2.5");
            assertThat(result).as(algorithm).isInstanceOfSatisfying(DigestServer.Result.Authenticated.class,
                    a -> assertThat(a.user().id()).isEqualTo(alice.id()));
        }
    }

    @Test
    void withCachedCredentialsARevokedDeviceAndADisabledUserAreRefusedAtOnce() {
        DevicePasswords cachedDevices = new DevicePasswords(new InMemoryDevicePasswordStore(
                id -> directory.findById(id).isPresent()), new DevicePasswords.Settings("clinic.example", 4096, 5, 16),
                audit, clock, new SecureRandom(), Duration.ofMinutes(1));
        DigestServer cached = new DigestServer(new DigestServer.Settings("clinic.example", Duration.ofMinutes(5),
                new byte[32], List.of("SHA-256", "MD5"), Duration.ofMinutes(1)), accounts, cachedDevices,
                new InMemoryNonceCounts(1000, System::nanoTime), throttle, audit, clock);
        DevicePasswords.Created desk = cachedDevices.create(alice, "desk", Optional.empty(), "test");
        String nonce = nonceOf(cached.challenges(false));
        assertThat(cached.check(register(answer("MD5", "alice", desk.password().orElseThrow(), nonce, "00000001",
                "sip:clinic.example")), "Authorization", "192.0.2.5")).isInstanceOf(DigestServer.Result.Authenticated.class);
        // revoked through this node: the cached list is dropped, the next REGISTER is refused
        cachedDevices.revoke(alice, desk.device().id(), "admin");
        assertThat(cached.check(register(answer("MD5", "alice", desk.password().orElseThrow(), nonce, "00000002",
                "sip:clinic.example")), "Authorization", "192.0.2.5")).isEqualTo(new DigestServer.Result.Challenge(false));
        // a new one works at once, and a user disabled through this node is refused at once
        String mobile = cachedDevices.create(alice, "mobile", Optional.empty(), "test").password().orElseThrow();
        assertThat(cached.check(register(answer("MD5", "alice", mobile, nonce, "00000003", "sip:clinic.example")),
                "Authorization", "192.0.2.5")).isInstanceOf(DigestServer.Result.Authenticated.class);
        accounts.setEnabled(new Login("alice"), false, "admin");
        assertThat(cached.check(register(answer("MD5", "alice", mobile, nonce, "00000004", "sip:clinic.example")),
                "Authorization", "192.0.2.5")).isInstanceOf(DigestServer.Result.Refused.class);
    }

    @Test
    void aReplayedCountAStaleNonceAndAForgedOneAreChallengedAgain() {
        String nonce = nonceOf(digest.challenges(false));
        String credentials = answer("SHA-256", "alice", phone, nonce, "00000001", "sip:clinic.example");
        assertThat(digest.check(register(credentials), "Authorization", "192.0.2.5"))
                .isInstanceOf(DigestServer.Result.Authenticated.class);
        assertThat(digest.check(register(credentials), "Authorization", "192.0.2.5")).as("replayed")
                .isEqualTo(new DigestServer.Result.Challenge(true));
        clock.advance(Duration.ofMinutes(6));
        assertThat(digest.check(register(answer("SHA-256", "alice", phone, nonce, "00000002", "sip:clinic.example")),
                "Authorization", "192.0.2.5")).as("stale").isEqualTo(new DigestServer.Result.Challenge(true));
        String forged = nonce.substring(0, nonce.length() - 2) + (nonce.endsWith("AA") ? "BB" : "AA");
        assertThat(digest.check(register(answer("SHA-256", "alice", phone, forged, "00000001", "sip:clinic.example")),
                "Authorization", "192.0.2.5")).as("forged").isEqualTo(new DigestServer.Result.Challenge(false));
    }

    @Test
    void theAccountPasswordIsNoDevicePasswordAndGuessingIsThrottled() {
        String nonce = nonceOf(digest.challenges(false));
        for (int i = 1; i <= 3; i++) {
            assertThat(digest.check(register(answer("SHA-256", "alice", "alice's account password", nonce,
                    "0000000" + i, "sip:clinic.example")), "Authorization", "192.0.2.5"))
                    .isEqualTo(new DigestServer.Result.Challenge(false));
        }
        assertThat(digest.check(register(answer("SHA-256", "alice", "guess", nonce, "00000004", "sip:clinic.example")),
                "Authorization", "192.0.2.5")).isEqualTo(new DigestServer.Result.Challenge(false));
        assertThat(digest.check(register(answer("SHA-256", "alice", phone, nonce, "00000005", "sip:clinic.example")),
                "Authorization", "192.0.2.5")).as("locked, even with the right password")
                .isInstanceOf(DigestServer.Result.Throttled.class);
        assertThat(log.read(0, 100)).extracting(r -> r.event().type()).contains("auth.device", "auth.throttled");
    }

    @Test
    void credentialsThatDoNotFitAreRefusedWithAReason() {
        String nonce = nonceOf(digest.challenges(false));
        assertThat(digest.check(register(answer("SHA-256", "alice", phone, nonce, "00000001", "sip:elsewhere.example")),
                "Authorization", "192.0.2.5")).isEqualTo(new DigestServer.Result.Refused(400, "Digest uri is not the Request-URI"));
        assertThat(digest.check(register("Digest username=\"alice\", realm=\"clinic.example\""), "Authorization",
                "192.0.2.5")).isInstanceOf(DigestServer.Result.Refused.class);
        assertThat(digest.check(register("Digest realm=\"other.example\", username=\"alice\""), "Authorization",
                "192.0.2.5")).as("another realm's credentials are not ours").isEqualTo(new DigestServer.Result.Challenge(false));
        assertThat(digest.check(register(answer("SHA-256", "nobody", phone, nonce, "00000001", "sip:clinic.example")),
                "Authorization", "192.0.2.5")).isEqualTo(new DigestServer.Result.Challenge(false));
    }
}
