package io.telesignal.server.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.server.testing.Ports;
import io.telesignal.server.testing.ServerProcess;
import io.telesignal.server.testing.Sipp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sipp as a phone registers with the packaged server over UDP and TCP, authenticating with a device password made
 * with the CLI (digest, RFC 7616), then unregisters; a staff member watching on the web door sees the phone's user come
 * online and go; a wrong password does not register.
 */
class SipRegisterIT {
    @TempDir
    Path dataDir;

    @Test
    void aPhoneRegistersWithItsDevicePasswordAndNotWithTheAccountPassword() throws Exception {
        Sipp.require("SipRegisterIT");
        String aliceId = null;
        try (ServerProcess add = ServerProcess.start(Map.of(), "user", "add", "alice", "--name", "Alice", "--roles",
                "provider", "--data-dir", dataDir.toString())) {
            assertThat(add.waitForExit(Duration.ofSeconds(60))).as(add.stderr()).isZero();
            for (String line : add.drainedLines()) {
                java.util.regex.Matcher id = java.util.regex.Pattern.compile("created user (u[0-9a-f]+) ").matcher(line);
                if (id.find()) {
                    aliceId = id.group(1);
                }
            }
        }
        assertThat(aliceId).isNotNull();
        // a staff member watches the providers' presence on the web door
        try (ServerProcess add = ServerProcess.start(Map.of(), "user", "add", "carol", "--name", "Carol", "--roles",
                "staff", "--data-dir", dataDir.toString())) {
            assertThat(add.waitForExit(Duration.ofSeconds(60))).as(add.stderr()).isZero();
        }
        String carolToken = null;
        try (ServerProcess issued = ServerProcess.start(Map.of(), "token", "issue", "--user", "carol", "--ttl", "1h",
                "--data-dir", dataDir.toString())) {
            assertThat(issued.waitForExit(Duration.ofSeconds(60))).as(issued.stderr()).isZero();
            for (String line : issued.drainedLines()) {
                if (line.startsWith("eyJ")) {
                    carolToken = line.strip();
                }
            }
        }
        assertThat(carolToken).isNotNull();
        String accountPassword = null;
        String devicePassword = null;
        try (ServerProcess created = ServerProcess.start(Map.of(), "device", "create", "alice", "--label", "sipp",
                "--data-dir", dataDir.toString())) {
            assertThat(created.waitForExit(Duration.ofSeconds(60))).as(created.stderr()).isZero();
            for (String line : created.drainedLines()) {
                if (line.startsWith("password (shown once): ")) {
                    devicePassword = line.substring("password (shown once): ".length()).strip();
                }
            }
        }
        assertThat(devicePassword).isNotNull();
        int port = Ports.free();
        int httpPort = Ports.free();
        Map<String, String> env = Sipp.serverEnv(port, httpPort, "MD5,SHA-256");
        try (ServerProcess server = ServerProcess.start(env, "serve", "--data-dir", dataDir.toString())) {
            server.awaitLine(line -> line.contains("event=server_started"), Duration.ofSeconds(60));
            io.telesignal.server.signaling.WsClient carol = io.telesignal.server.signaling.WsClient.welcomed(httpPort,
                    carolToken);
            String aliceUser = aliceId;
            carol.request(io.telesignal.server.signaling.WsClient.message("watch").set("users",
                    io.telesignal.server.signaling.WsClient.JSON.createArrayNode().add(aliceUser)));
            Path scenario = Path.of("src/test/resources/sipp/register.xml").toAbsolutePath();
            for (String transport : new String[] {"u1", "t1"}) {
                Sipp.Result result = Sipp.run(scenario, transport, port, 5, dataDir.resolve("sipp-" + transport),
                        List.of("-s", "alice", "-au", "alice", "-ap", devicePassword));
                assertThat(result.exit()).as(result.output()).isZero();
                assertThat(result.output()).containsPattern("Successful call\\s*\\|\\s*\\d+\\s*\\|\\s*5");
            }
            // the desk phone came online and went again: the web watcher saw both
            assertThat(carol.next(m -> m.path("type").asText().equals("presence")
                    && m.path("user").asText().equals(aliceUser) && m.path("status").asText().equals("available")))
                    .isNotNull();
            assertThat(carol.next(m -> m.path("type").asText().equals("presence")
                    && m.path("user").asText().equals(aliceUser) && m.path("status").asText().equals("offline")))
                    .isNotNull();
            carol.close();
            // alice is not registered now: a call to her is 480 (ACKed in its transaction, which then stops sending
            // the 480 again); a call to someone who does not exist is 404
            Path unavailable = Path.of("src/test/resources/sipp/unavailable.xml").toAbsolutePath();
            Sipp.Result notThere = Sipp.run(unavailable, "u1", port, 3, dataDir.resolve("sipp-480"), List.of("-s", "alice"));
            assertThat(notThere.exit()).as(notThere.output()).isZero();
            Path notFound = dataDir.resolve("notfound.xml");
            java.nio.file.Files.writeString(notFound, java.nio.file.Files.readString(unavailable)
                    .replace("response=\"480\"", "response=\"404\""));
            Sipp.Result nobody = Sipp.run(notFound, "t1", port, 3, dataDir.resolve("sipp-404"), List.of("-s", "nobody"));
            assertThat(nobody.exit()).as(nobody.output()).isZero();
            Sipp.Result wrong = Sipp.run(scenario, "u1", port, 1, dataDir.resolve("sipp-wrong"),
                    List.of("-s", "alice", "-au", "alice", "-ap", "not the device password"));
            assertThat(wrong.exit()).as("a wrong password is challenged again, not registered").isNotZero();
            server.terminate(Duration.ofSeconds(30));
        }
    }
}
