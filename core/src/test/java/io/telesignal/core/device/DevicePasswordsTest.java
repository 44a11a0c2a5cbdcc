package io.telesignal.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.Refusal;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.InMemoryAuditLog;
import io.telesignal.core.directory.InvalidPasswordException;
import io.telesignal.core.directory.Pbkdf2Hasher;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DevicePasswordsTest {
    private final MutableClock clock = MutableClock.atEpochDay();
    private final InMemoryAuditLog log = new InMemoryAuditLog();
    private final AuditTrail audit = new AuditTrail(log, clock, 100);
    private final Set<UserId> users = new HashSet<>();
    private final InMemoryDevicePasswordStore store = new InMemoryDevicePasswordStore(users::contains);
    private final DevicePasswords devices = new DevicePasswords(store,
            new DevicePasswords.Settings("clinic.example", 4096, 3, 16), audit, clock, new SecureRandom());
    private final User alice = user("alice", Role.PROVIDER);

    @AfterEach
    void tearDown() {
        audit.close();
    }

    @Test
    void aGeneratedPasswordIsShownOnceAndNeverStored() {
        DevicePasswords.Created created = devices.create(alice, " Desk phone ", Optional.empty(), "cli");

        String password = created.password().orElseThrow();
        assertThat(password).hasSize(20);
        assertThat(created.device().label()).isEqualTo("Desk phone");
        assertThat(created.device().sipDigest().ha1Md5())
                .isEqualTo(DeviceKeys.ha1("MD5", "alice", "clinic.example", password));
        assertThat(created.device().toString()).doesNotContain(password).doesNotContain(created.device().sipDigest().ha1Md5());
        assertThat(devices.list(alice)).containsExactly(created.device());
        assertThat(events()).contains("device.created:OK:null");
    }

    @Test
    void aGivenPasswordMustBeLongEnoughAndIsNotEchoed() {
        assertThatThrownBy(() -> devices.create(alice, "softphone", Optional.of("short".toCharArray()), "cli"))
                .isInstanceOf(InvalidPasswordException.class).hasMessageContaining("16-128");
        assertThatThrownBy(() -> devices.create(alice, "softphone", Optional.of("\u05D0 mixed direction text".toCharArray()), "cli"))
                .isInstanceOf(InvalidPasswordException.class);
        DevicePasswords.Created created = devices.create(alice, "softphone",
                Optional.of("provisioned-secret-42".toCharArray()), "cli");

        assertThat(created.password()).isEmpty();
        assertThat(events()).containsExactly("device.created:FAILED:invalid_password",
                "device.created:FAILED:invalid_password", "device.created:OK:null");
    }

    @Test
    void labelsAreCheckedAndTheLimitHolds() {
        assertThatThrownBy(() -> devices.create(alice, " ", Optional.empty(), "cli")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> devices.create(alice, "a\nb", Optional.empty(), "cli")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> devices.create(alice, "x".repeat(65), Optional.empty(), "cli"))
                .isInstanceOf(IllegalArgumentException.class);
        for (int i = 0; i < 3; i++) {
            devices.create(alice, "phone " + i, Optional.empty(), "cli");
        }
        assertThatThrownBy(() -> devices.create(alice, "one too many", Optional.empty(), "cli"))
                .isInstanceOf(Refusal.class).extracting(e -> ((Refusal) e).code()).isEqualTo("device_limit_reached");
        assertThat(events()).endsWith("device.created:OK:null", "device.created:FAILED:device_limit_reached");
    }

    @Test
    void guestsAndUnknownUsersGetNone() {
        User guest = user("guest-abc", Role.GUEST);
        assertThatThrownBy(() -> devices.create(guest, "phone", Optional.empty(), "cli"))
                .isInstanceOf(Refusal.class).extracting(e -> ((Refusal) e).code()).isEqualTo("not_authorized");
        User ghost = new User(UserId.random(), new Login("ghost"), "Ghost", Set.of(Role.STAFF), true, clock.instant());
        assertThatThrownBy(() -> devices.create(ghost, "phone", Optional.empty(), "cli"))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void scramProofOfAnyOfTheUsersDevicesIsAccepted() {
        String desk = devices.create(alice, "desk", Optional.empty(), "cli").password().orElseThrow();
        DevicePasswords.Created mobile = devices.create(alice, "mobile", Optional.empty(), "cli");
        ScramParameters parameters = devices.scramParameters(alice).orElseThrow();
        byte[] authMessage = "n=alice,r=abc,r=abcdef,s=c2FsdA==,i=4096,c=biws,r=abcdef".getBytes(StandardCharsets.US_ASCII);

        Optional<DevicePassword> byMobile = devices.verifyScram(alice, ScramAlgorithm.SHA_256, authMessage,
                clientProof(mobile.password().orElseThrow(), parameters, authMessage), "192.0.2.1");
        assertThat(byMobile).map(DevicePassword::id).contains(mobile.device().id());
        // the server's signature comes from the matched device's ServerKey (RFC 5802 §3)
        assertThat(ScramAlgorithm.SHA_256.hmac(byMobile.get().scram().serverKey(), authMessage))
                .isEqualTo(ScramAlgorithm.SHA_256.hmac(serverKey(mobile.password().get(), parameters), authMessage));
        assertThat(devices.verifyScram(alice, ScramAlgorithm.SHA_256, authMessage, clientProof(desk, parameters), "192.0.2.1"))
                .as("the proof is bound to the auth message").isEmpty();
        assertThat(devices.verifyScram(alice, ScramAlgorithm.SHA_256, authMessage, clientProof("not the password!!", parameters, authMessage),
                "192.0.2.1")).isEmpty();
        assertThat(events()).endsWith("auth.device:OK:null", "auth.device:FAILED:bad_credentials",
                "auth.device:FAILED:bad_credentials");
        assertThat(devices.list(alice)).filteredOn(d -> d.id().equals(mobile.device().id()))
                .extracting(DevicePassword::lastUsedAt).containsExactly(Optional.of(clock.instant()));
        // used again within the minute: accepted, its last use and the audit trail left as they are
        int before = events().size();
        assertThat(devices.verifyScram(alice, ScramAlgorithm.SHA_256, authMessage, clientProof(mobile.password().orElseThrow(), parameters,
                authMessage), "192.0.2.1")).isPresent();
        assertThat(events()).hasSize(before);
        clock.advance(java.time.Duration.ofMinutes(2));
        assertThat(devices.verifyScram(alice, ScramAlgorithm.SHA_256, authMessage, clientProof(mobile.password().orElseThrow(), parameters,
                authMessage), "192.0.2.1")).isPresent();
        assertThat(events()).hasSize(before + 1).endsWith("auth.device:OK:null");
    }

    @Test
    void scramSha1AndPlainCheckTheSameDevicePasswords() throws Exception {
        DevicePasswords.Created client = devices.create(alice, "xmpp client", Optional.empty(), "cli");
        String password = client.password().orElseThrow();
        ScramParameters parameters = devices.scramParameters(alice).orElseThrow();
        byte[] authMessage = "n=alice,r=x,r=xy,s=c2FsdA==,i=4096,c=biws,r=xy".getBytes(StandardCharsets.US_ASCII);

        assertThat(devices.verifyScram(alice, ScramAlgorithm.SHA_1, authMessage,
                sha1ClientProof(password, parameters, authMessage), "192.0.2.1")).map(DevicePassword::id)
                .contains(client.device().id());
        assertThat(devices.verifyScram(alice, ScramAlgorithm.SHA_1, authMessage,
                sha1ClientProof("not the password!!", parameters, authMessage), "192.0.2.1")).isEmpty();
        assertThat(devices.verifyScram(alice, ScramAlgorithm.SHA_256, authMessage,
                sha1ClientProof(password, parameters, authMessage), "192.0.2.1")).as("a SHA-1 proof for SHA-256").isEmpty();
        assertThat(devices.verifyPlain(alice, password.toCharArray(), "192.0.2.1")).map(DevicePassword::id)
                .contains(client.device().id());
        assertThat(devices.verifyPlain(alice, "not the password!!".toCharArray(), "192.0.2.1")).isEmpty();
        assertThat(devices.verifyPlain(alice.withEnabled(false), password.toCharArray(), "192.0.2.1")).isEmpty();
        assertThat(events()).endsWith("auth.device:FAILED:bad_credentials", "auth.device:FAILED:bad_credentials",
                "auth.device:FAILED:bad_credentials", "auth.device:FAILED:account_disabled");

        // a device password stored before SCRAM-SHA-1 material was kept: SHA-256 and PLAIN only
        DevicePassword old = client.device();
        DevicePassword withoutSha1 = new DevicePassword(old.id(), old.user(), old.label(), old.sipDigest(), old.scram(),
                Optional.empty(), old.createdAt(), old.lastUsedAt());
        assertThat(withoutSha1.scram(ScramAlgorithm.SHA_1)).isEmpty();
        assertThat(withoutSha1.scram(ScramAlgorithm.SHA_256)).contains(old.scram());
    }

    @Test
    void sipDigestOfARevokedDeviceOrADisabledUserFails() {
        DevicePasswords.Created phone = devices.create(alice, "phone", Optional.empty(), "cli");
        String password = phone.password().orElseThrow();
        // RFC 7616 §3.4.1, qop=auth: response = H(HA1:nonce:nc:cnonce:qop:H(method:uri))
        String nonce = "n0nce";
        String tail = ":" + nonce + ":00000001:c:auth:" + hex("SHA-256", "REGISTER:sip:clinic.example");
        String response = hex("SHA-256", hex("SHA-256", "alice:clinic.example:" + password) + tail);

        assertThat(devices.verifySipDigest(alice, "SHA-256", ha1 -> hex("SHA-256", ha1 + tail), response.toUpperCase(),
                "192.0.2.7")).map(DevicePassword::id).contains(phone.device().id());
        assertThat(devices.verifySipDigest(alice.withEnabled(false), "SHA-256", ha1 -> hex("SHA-256", ha1 + tail),
                response, "192.0.2.7")).isEmpty();
        assertThat(devices.revoke(alice, phone.device().id(), "admin-1")).isTrue();
        assertThat(devices.revoke(alice, phone.device().id(), "admin-1")).isFalse();
        assertThat(devices.verifySipDigest(alice, "SHA-256", ha1 -> hex("SHA-256", ha1 + tail), response, "192.0.2.7"))
                .isEmpty();
        assertThat(devices.scramParameters(alice)).as("the last device took the user's parameters along").isEmpty();
        assertThat(events()).endsWith("auth.device:OK:null", "auth.device:FAILED:account_disabled", "device.revoked:OK:null",
                "auth.device:FAILED:bad_credentials");
        assertThatThrownBy(() -> devices.verifySipDigest(alice, "SHA-512-256", h -> h, response, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lastUsedIsWrittenAtMostOnceAMinute() {
        DevicePasswords.Created phone = devices.create(alice, "phone", Optional.empty(), "cli");
        String ha1 = phone.device().sipDigest().ha1Md5();
        devices.verifySipDigest(alice, "MD5", h -> h, ha1, null);
        var first = devices.list(alice).get(0).lastUsedAt();
        clock.advance(Duration.ofSeconds(30));
        devices.verifySipDigest(alice, "MD5", h -> h, ha1, null);
        assertThat(devices.list(alice).get(0).lastUsedAt()).isEqualTo(first);
        clock.advance(Duration.ofSeconds(31));
        devices.verifySipDigest(alice, "MD5-sess", h -> h, ha1, null);
        assertThat(devices.list(alice).get(0).lastUsedAt()).contains(clock.instant());
    }

    private java.util.List<String> events() {
        return log.read(0, 100).stream()
                .map(r -> r.event().type() + ":" + r.event().outcome() + ":" + r.event().reason()).toList();
    }

    private User user(String login, Role role) {
        User user = new User(UserId.random(), new Login(login), login, Set.of(role), true, clock.instant());
        users.add(user.id());
        return user;
    }

    /** A SCRAM-SHA-256 client's proof (RFC 5802 §3), computed from the password as a client does. */
    private static byte[] clientProof(String password, ScramParameters p, byte[] authMessage) {
        byte[] salted = Pbkdf2Hasher.derive(password.toCharArray(), p.salt(), p.iterations(), 32);
        byte[] clientKey = hmac("HmacSHA256", salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] signature = hmac("HmacSHA256", DeviceKeys.digest("SHA-256", clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        return proof;
    }

    private static byte[] clientProof(String password, ScramParameters p) {
        return clientProof(password, p, "another auth message".getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] serverKey(String password, ScramParameters p) {
        byte[] salted = Pbkdf2Hasher.derive(password.toCharArray(), p.salt(), p.iterations(), 32);
        return hmac("HmacSHA256", salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
    }

    /** A SCRAM-SHA-1 client's proof, computed with the JDK's PBKDF2WithHmacSHA1 as a client does. */
    private static byte[] sha1ClientProof(String password, ScramParameters p, byte[] authMessage) throws Exception {
        byte[] salted = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1").generateSecret(
                new javax.crypto.spec.PBEKeySpec(password.toCharArray(), p.salt(), p.iterations(), 160)).getEncoded();
        byte[] clientKey = hmac("HmacSHA1", salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] signature = hmac("HmacSHA1", MessageDigest.getInstance("SHA-1").digest(clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        return proof;
    }

    private static byte[] hmac(String algorithm, byte[] key, byte[] data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance(algorithm);
            mac.init(new javax.crypto.spec.SecretKeySpec(key, algorithm));
            return mac.doFinal(data);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static String hex(String algorithm, String input) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(input.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
