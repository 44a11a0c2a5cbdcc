package io.telesignal.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.auth.AccessToken;
import io.telesignal.core.auth.TokenService;
import io.telesignal.core.identity.Role;
import io.telesignal.server.config.ServerConfig;
import io.telesignal.server.wiring.StoreServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command, in-process, against an H2 store in a fresh data directory. */
class CliTest {
    @TempDir
    Path dataDir;
    private final CliRunner cli = new CliRunner();

    private CliRunner.Result run(String... args) {
        return cli.run(withDataDir(args));
    }

    private CliRunner.Result runWithInput(String stdin, String... args) {
        return cli.runWithInput(stdin, withDataDir(args));
    }

    private String[] withDataDir(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--data-dir";
        all[args.length + 1] = dataDir.toString();
        return all;
    }

    @BeforeEach
    void addAlice() {
        CliRunner.Result added = runWithInput("alice's long password\n", "user", "add", "alice", "--name", "Alice A",
                "--roles", "patient", "--password-stdin");
        assertThat(added.exit()).as(added.err()).isZero();
        assertThat(added.out()).matches("created user u[0-9a-f]{20} login=alice roles=patient\\R");
    }

    @Test
    void versionAndHelp() {
        CliRunner.Result version = cli.run("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("telesignal ");

        CliRunner.Result help = cli.run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("serve", "user", "token", "audit", "migrate");

        CliRunner.Result none = cli.run();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("a command is required");
    }

    @Test
    void userAddWithoutPasswordPrintsAGeneratedOneOnce() {
        CliRunner.Result added = run("user", "add", "bob", "--name", "Dr Bob", "--roles", "provider,staff");

        assertThat(added.exit()).isZero();
        assertThat(added.out()).contains("login=bob roles=provider,staff").containsPattern(
                "password \\(shown once\\): [A-Za-z0-9]{20}");
    }

    @Test
    void dataKeysAreRotatedAndRewrappedUnderANewKeyEncryptionKey() throws Exception {
        Path kekFile = dataDir.resolve("secrets/data-kek.key");
        assertThat(kekFile).as("generated on first use").exists();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(kekFile)))
                .isEqualTo("rw-------");
        assertThat(run("keys", "rotate").out()).contains("data key 2 made");
        assertThat(run("keys", "list").out()).containsPattern("(?m)^1 ").containsPattern("(?m)^2 ");

        Path newKek = Files.writeString(dataDir.resolve("new.key"), java.util.Base64.getEncoder().encodeToString(
                new byte[32]).replace('A', 'B') + "\n");
        CliRunner.Result rewrapped = run("keys", "rewrap", "--new-key-file", newKek.toString());
        assertThat(rewrapped.exit()).as(rewrapped.err()).isZero();
        assertThat(rewrapped.out()).contains("2 data key(s) now wrapped");
        // the old key opens nothing any more; the new one opens everything, alice's name included
        CliRunner.Result withOld = run("user", "list");
        assertThat(withOld.exit()).isEqualTo(1);
        assertThat(withOld.err()).contains("[store_keys]");
        Files.copy(newKek, kekFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(run("user", "list").out()).contains("alice");
        CliRunner.Result badKey = run("keys", "rewrap", "--new-key-file", dataDir.resolve("missing.key").toString());
        assertThat(badKey.exit()).isNotZero();
    }

    @Test
    void devicePasswordsAreCreatedListedAndRevoked() {
        CliRunner.Result generated = run("device", "create", "alice", "--label", "Desk phone");
        assertThat(generated.exit()).as(generated.err()).isZero();
        assertThat(generated.out()).contains("SIP username alice, realm telesignal")
                .containsPattern("password \\(shown once\\): [A-Za-z0-9]{20}");
        String id = generated.out().replaceAll("(?s)^device password ([a-z0-9]{12}) created.*", "$1");

        CliRunner.Result given = runWithInput("provisioned-secret-99\n", "device", "create", "alice", "--label",
                "Softphone", "--password-stdin");
        assertThat(given.exit()).as(given.err()).isZero();
        assertThat(given.out()).doesNotContain("provisioned-secret-99").doesNotContain("shown once");
        CliRunner.Result tooShort = runWithInput("short\n", "device", "create", "alice", "--label", "x", "--password-stdin");
        assertThat(tooShort.exit()).isEqualTo(1);
        assertThat(tooShort.err()).contains("[invalid_password]");

        CliRunner.Result list = run("device", "list", "alice");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains(id, "Desk phone", "Softphone", "never").doesNotContain("provisioned-secret-99");

        assertThat(run("device", "revoke", "alice", id).out()).contains("revoked " + id);
        CliRunner.Result again = run("device", "revoke", "alice", id);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("[device_not_found]");
        assertThat(run("device", "list", "alice").out()).doesNotContain("Desk phone");
        assertThat(run("device", "list", "ghost").err()).contains("[user_not_found]");
    }

    @Test
    void userAddRefusesDuplicatesBadRolesAndShortPasswords() {
        CliRunner.Result duplicate = runWithInput("another long password\n", "user", "add", "ALICE", "--name", "x",
                "--roles", "patient", "--password-stdin");
        assertThat(duplicate.exit()).isEqualTo(1);
        assertThat(duplicate.err()).contains("[login_taken]");

        CliRunner.Result badRole = run("user", "add", "carol", "--name", "Carol", "--roles", "surgeon");
        assertThat(badRole.exit()).isEqualTo(2);
        assertThat(badRole.err()).contains("unknown role 'surgeon'");

        CliRunner.Result badLogin = run("user", "add", "carol smith", "--name", "Carol", "--roles", "patient");
        assertThat(badLogin.exit()).isEqualTo(2);
        assertThat(badLogin.err()).contains("login must be");

        CliRunner.Result shortPassword = runWithInput("short\n", "user", "add", "carol", "--name", "Carol", "--roles",
                "patient", "--password-stdin");
        assertThat(shortPassword.exit()).isEqualTo(1);
        assertThat(shortPassword.err()).contains("[invalid_password]");

        CliRunner.Result missingName = run("user", "add", "carol", "--roles", "patient");
        assertThat(missingName.exit()).isEqualTo(2);
        assertThat(missingName.err()).contains("--name");
    }

    @Test
    void userListShowsUsersInLoginOrder() {
        run("user", "add", "zed", "--name", "Zed", "--roles", "device");
        CliRunner.Result list = run("user", "list");

        assertThat(list.exit()).isZero();
        String[] lines = list.out().split("\\R");
        assertThat(lines[0]).startsWith("ID").contains("LOGIN", "ROLES", "ENABLED");
        assertThat(lines[1]).contains("alice").contains("patient").contains("yes");
        assertThat(lines[2]).contains("zed").contains("device");
    }

    @Test
    void passwdReplacesThePassword() throws Exception {
        CliRunner.Result passwd = runWithInput("a brand new password\n", "user", "passwd", "alice", "--password-stdin");
        assertThat(passwd.exit()).isZero();
        assertThat(passwd.out()).contains("password set for alice");

        try (StoreServices services = StoreServices.open(config(), Clock.systemUTC(), true)) {
            assertThat(services.accounts().authenticate(new io.telesignal.core.identity.Login("alice"),
                    "a brand new password".toCharArray(), "127.0.0.1")).isPresent();
            assertThat(services.accounts().authenticate(new io.telesignal.core.identity.Login("alice"),
                    "alice's long password".toCharArray(), "127.0.0.1")).isEmpty();
        }
        assertThat(run("user", "passwd", "nobody").exit()).isEqualTo(1);
    }

    @Test
    void disableAndEnable() {
        assertThat(run("user", "disable", "alice").out()).contains("disabled alice");
        assertThat(run("user", "list").out()).containsPattern("alice\\s+patient\\s+no");
        assertThat(run("token", "issue", "--user", "alice").exit()).isEqualTo(1);

        assertThat(run("user", "enable", "alice").out()).contains("enabled alice");
        assertThat(run("token", "issue", "--user", "alice").exit()).isZero();
        assertThat(run("user", "disable", "ghost").err()).contains("[user_not_found]");
    }

    @Test
    void rolesAreShownSetAddedAndRemoved() {
        assertThat(run("user", "roles", "alice").out().trim()).isEqualTo("alice roles=patient");
        assertThat(run("user", "roles", "alice", "--set", "provider,staff").out().trim())
                .isEqualTo("alice roles=provider,staff");
        assertThat(run("user", "roles", "alice", "--add", "admin", "--remove", "staff").out().trim())
                .isEqualTo("alice roles=admin,provider");
        assertThat(run("user", "roles", "alice", "--set", "patient", "--add", "admin").exit()).isEqualTo(2);
    }

    @Test
    void tokenIssuePrintsAVerifiableToken() throws Exception {
        CliRunner.Result issued = run("token", "issue", "--user", "alice", "--ttl", "2h");

        assertThat(issued.exit()).as(issued.err()).isZero();
        String jwt = issued.out().trim();
        assertThat(jwt.split("\\.")).hasSize(3);
        try (StoreServices services = StoreServices.open(config(), Clock.systemUTC(), true)) {
            TokenService tokens = services.tokens();
            AccessToken token = tokens.verify(jwt);
            assertThat(token.roles()).containsExactly(Role.PATIENT);
            assertThat(Duration.between(token.issuedAt(), token.expiresAt())).isEqualTo(Duration.ofHours(2));
            assertThat(services.accounts().find(new io.telesignal.core.identity.Login("alice")).orElseThrow().id().value())
                    .isEqualTo(token.subject());
        }
        assertThat(run("token", "issue", "--user", "alice", "--ttl", "30d").exit()).isEqualTo(2);
        assertThat(run("token", "issue", "--user", "alice", "--ttl", "soon").exit()).isEqualTo(2);
        assertThat(run("token", "issue", "--user", "nobody").exit()).isEqualTo(1);
    }

    @Test
    void apiKeysAreCreatedOnceListedAndRevoked() throws Exception {
        CliRunner.Result created = run("apikey", "create", "--name", "clinic platform");
        assertThat(created.exit()).as(created.err()).isZero();
        String secret = created.out().trim();
        assertThat(secret).matches("tsk_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}");
        String id = secret.substring(4, 16);

        CliRunner.Result listed = run("apikey", "list");
        assertThat(listed.out()).contains(id).contains("active").contains("clinic platform").doesNotContain(secret.substring(17));

        assertThat(run("apikey", "revoke", id).out().trim()).isEqualTo("revoked " + id);
        assertThat(run("apikey", "list").out()).containsPattern(id + "\\s+revoked");
        assertThat(run("apikey", "revoke", "nosuchkey123").exit()).isEqualTo(1);
        try (StoreServices services = StoreServices.open(config(), Clock.systemUTC(), true)) {
            assertThat(services.apiKeys().authenticate(secret, "127.0.0.1")).isEmpty();
        }
    }

    @Test
    void migrateReportsWhatItDid() throws Exception {
        Path fresh = Files.createDirectory(dataDir.resolve("fresh"));
        CliRunner.Result first = cli.run("migrate", "--data-dir", fresh.toString());
        assertThat(first.exit()).isZero();
        assertThat(first.out().trim()).isEqualTo("applied 20 migration(s)");
        assertThat(cli.run("migrate", "--data-dir", fresh.toString()).out().trim()).isEqualTo("database is up to date");
    }

    @Test
    void auditVerifyPassesThenCatchesAnEditedRow() throws Exception {
        run("user", "disable", "alice");
        CliRunner.Result intact = run("audit", "verify");
        assertThat(intact.exit()).isZero();
        assertThat(intact.out().trim()).matches("audit chain intact: 2 records, head [0-9a-f]{64}");
        try (io.telesignal.store.JdbcStore store = io.telesignal.store.JdbcStore.open(config().store())) {
            assertThat(intact.out().trim()).endsWith(" head " + store.auditLog().head().hash());
        }

        ServerConfig config = config();
        AuditTampering.editOutcome(config.store(), 2);

        CliRunner.Result broken = run("audit", "verify");
        assertThat(broken.exit()).isEqualTo(1);
        assertThat(broken.out()).startsWith("audit chain BROKEN at record 2: hash_mismatch");
    }

    @Test
    void anAnchorCatchesAChainRewrittenFromTheStartWhichVerifyAloneCannot() throws Exception {
        run("user", "disable", "alice");
        Path anchor = dataDir.resolve("anchor.json");
        CliRunner.Result anchored = run("audit", "anchor", "--out", anchor.toString());
        assertThat(anchored.exit()).as(anchored.err()).isZero();
        assertThat(anchored.out()).containsPattern("anchor written to .*: 2 records, head [0-9a-f]{64}");
        assertThat(Files.readString(anchor)).contains("\"records\" : 2", "\"signed\"");
        assertThat(run("audit", "verify", "--anchor", anchor.toString()).out()).contains("matches");
        run("user", "enable", "alice"); // records after the anchor change nothing it covers
        assertThat(run("audit", "verify", "--anchor", anchor.toString()).exit()).isZero();

        ServerConfig config = config();
        AuditTampering.editOutcome(config.store(), 2);
        AuditTampering.rechain(config.store());
        assertThat(run("audit", "verify").exit()).as("the chain alone cannot tell").isZero();
        CliRunner.Result caught = run("audit", "verify", "--anchor", anchor.toString());
        assertThat(caught.exit()).isEqualTo(1);
        assertThat(caught.out()).contains("does NOT MATCH the anchor", "record 2");

        // an anchor whose signed part was edited is no anchor
        String text = Files.readString(anchor);
        String signed = text.replaceAll("(?s).*\"signed\" : \"([^\"]+)\".*", "$1");
        String[] parts = signed.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"records\":2", "\"records\":3");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
        Files.writeString(anchor, text.replace(signed, forged));
        CliRunner.Result forgedResult = run("audit", "verify", "--anchor", anchor.toString());
        assertThat(forgedResult.exit()).isEqualTo(1);
        assertThat(forgedResult.out()).contains("anchor NOT VALID");
    }

    @Test
    void badConfigurationExitsWithCode2AndOneLine() throws Exception {
        Path file = Files.writeString(dataDir.resolve("bad.yaml"), "http:\n  port: 99999\n");
        CliRunner.Result bad = cli.run("serve", "--config", file.toString(), "--data-dir", dataDir.toString());

        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().trim()).isEqualTo(
                "telesignal: configuration error: http.port: must be between 0 and 65535 (got 99999)");
        assertThat(bad.err().lines()).hasSize(1);

        CliRunner.Result badEnv = new CliRunner().env("TELESIGNAL_LOGGING_LEVEL", "loud")
                .run("user", "list", "--data-dir", dataDir.toString());
        assertThat(badEnv.exit()).isEqualTo(2);
        assertThat(badEnv.err()).contains("logging.level: must be one of");
    }

    @Test
    void unusableCertificateOrKeysAreConfigurationErrors() throws Exception {
        CliRunner.Result badCertificate = new CliRunner()
                .env("TELESIGNAL_TLS_CERTIFICATE", dataDir.resolve("missing-cert.pem").toString())
                .env("TELESIGNAL_TLS_PRIVATE_KEY", dataDir.resolve("missing-key.pem").toString())
                .env("TELESIGNAL_HTTP_PORT", "0")
                .run("serve", "--data-dir", dataDir.toString());
        assertThat(badCertificate.exit()).isEqualTo(2);
        assertThat(badCertificate.err().trim()).startsWith("telesignal: configuration error: tls.privateKey: cannot read");
        assertThat(badCertificate.err().lines()).hasSize(1);

        java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        Path privateKey = Files.writeString(dataDir.resolve("private.pem"), "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(rsa.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Path publicKey = Files.writeString(dataDir.resolve("public.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(rsa.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        CliRunner.Result mismatched = new CliRunner().env("TELESIGNAL_TOKENS_ALGORITHM", "RS256")
                .env("TELESIGNAL_TOKENS_PRIVATE_KEY", privateKey.toString())
                .env("TELESIGNAL_TOKENS_PUBLIC_KEY", publicKey.toString())
                .run("token", "issue", "--user", "alice", "--data-dir", dataDir.toString());
        assertThat(mismatched.exit()).isEqualTo(2);
        assertThat(mismatched.err()).contains("tokens.privateKey: the RS256 private and public keys do not match");
    }

    @Test
    void aDataDirectoryThatIsAFileIsAClearFailure() throws Exception {
        Path file = Files.writeString(dataDir.resolve("not-a-dir"), "x");
        CliRunner.Result result = cli.run("user", "list", "--data-dir", file.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err().trim()).startsWith("telesignal: cannot create data directory").endsWith(
                "(FileAlreadyExistsException)");
    }

    @Test
    void auditVerifyDoesNotChangeTheStore() throws Exception {
        Path empty = Files.createDirectory(dataDir.resolve("empty"));
        CliRunner.Result result = cli.run("audit", "verify", "--data-dir", empty.toString());
        assertThat(result.exit()).isEqualTo(1);
        assertThat(empty.resolve("secrets")).doesNotExist();
    }

    private ServerConfig config() {
        return ServerConfig.load(Optional.empty(), Map.of(), Map.of("dataDir", dataDir.toString()));
    }
}
