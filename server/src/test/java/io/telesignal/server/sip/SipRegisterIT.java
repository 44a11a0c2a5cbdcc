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
 * with the CLI (digest, RFC 7616), then unregisters; the account password does not register.
 */
class SipRegisterIT {
    @TempDir
    Path dataDir;

    @Test
    void aPhoneRegistersWithItsDevicePasswordAndNotWithTheAccountPassword() throws Exception {
        Sipp.require("SipRegisterIT");
        try (ServerProcess add = ServerProcess.start(Map.of(), "user", "add", "alice", "--name", "Alice", "--roles",
                "provider", "--data-dir", dataDir.toString())) {
            assertThat(add.waitForExit(Duration.ofSeconds(60))).as(add.stderr()).isZero();
        }
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
        Map<String, String> env = Map.of("TELESIGNAL_HTTP_PORT", "0", "TELESIGNAL_HTTP_HOST", "127.0.0.1",
                "TELESIGNAL_SIP_ENABLED", "true", "TELESIGNAL_SIP_HOST", "127.0.0.1",
                "TELESIGNAL_SIP_UDP_PORT", String.valueOf(port), "TELESIGNAL_SIP_TCP_PORT", String.valueOf(port),
                // sipp reads the first challenge only, and knows MD5 only
                "TELESIGNAL_SIP_DIGEST_ALGORITHMS", "MD5,SHA-256");
        try (ServerProcess server = ServerProcess.start(env, "serve", "--data-dir", dataDir.toString())) {
            server.awaitLine(line -> line.contains("event=server_started"), Duration.ofSeconds(60));
            Path scenario = Path.of("src/test/resources/sipp/register.xml").toAbsolutePath();
            for (String transport : new String[] {"u1", "t1"}) {
                Sipp.Result result = Sipp.run(scenario, transport, port, 5, dataDir.resolve("sipp-" + transport),
                        List.of("-s", "alice", "-au", "alice", "-ap", devicePassword));
                assertThat(result.exit()).as(result.output()).isZero();
                assertThat(result.output()).containsPattern("Successful call\\s*\\|\\s*\\d+\\s*\\|\\s*5");
            }
            Sipp.Result wrong = Sipp.run(scenario, "u1", port, 1, dataDir.resolve("sipp-wrong"),
                    List.of("-s", "alice", "-au", "alice", "-ap", "not the device password"));
            assertThat(wrong.exit()).as("a wrong password is challenged again, not registered").isNotZero();
            server.terminate(Duration.ofSeconds(30));
        }
    }
}
