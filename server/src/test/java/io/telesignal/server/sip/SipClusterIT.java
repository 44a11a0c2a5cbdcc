package io.telesignal.server.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.server.testing.ClusterProcesses;
import io.telesignal.server.testing.Ports;
import io.telesignal.server.testing.Sipp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A phone registered through one node is called through another (cluster mode: Redis and PostgreSQL for real, two
 * node processes). The phone is behind NAT (its Contact is a private address), so only the node holding its flow can
 * reach it: the binding's Path leads the calling node there over TCP, and the call (407 for the caller, INVITE, 180,
 * 200, ACK and BYE along a route set through both nodes) completes.
 */
class SipClusterIT {
    private static final Path SCENARIOS = Path.of("src/test/resources/sipp").toAbsolutePath();
    private static final String ALICE = "alice's phone password 1";
    private static final String BOB = "bob's phone password 22";

    @TempDir
    Path dir;

    @Test
    void aPhoneRegisteredThroughOneNodeIsCalledThroughTheOther() throws Exception {
        Sipp.require("SipClusterIT");
        ClusterProcesses.requireHaproxy("SipClusterIT");
        int[] sip = {Ports.free(), Ports.free()};
        try (ClusterProcesses cluster = ClusterProcesses.start(dir, List.of("n1", "n2"), "first",
                Map.of("TELESIGNAL_SIP_ENABLED", "true", "TELESIGNAL_SIP_HOST", "127.0.0.1",
                        "TELESIGNAL_SIP_ADVERTISED_HOST", "127.0.0.1", "TELESIGNAL_SIP_TLS_PORT", "0",
                        "TELESIGNAL_SIP_DIGEST_ALGORITHMS", "MD5,SHA-256"),
                name -> {
                    String port = String.valueOf(sip[name.equals("n1") ? 0 : 1]);
                    return Map.of("TELESIGNAL_SIP_UDP_PORT", port, "TELESIGNAL_SIP_TCP_PORT", port);
                })) {
            cluster.seedDeviceUsers(dir.resolve("seed"), Map.of("alice", ALICE, "bob", BOB));
            // alice's phone registers through n1 and waits there for calls
            Sipp.Running phone = Sipp.start(SCENARIOS.resolve("register-and-answer.xml"), "u1", sip[0], Ports.free(), 1,
                    dir.resolve("sipp-phone"), List.of("-s", "alice", "-au", "alice", "-ap", ALICE, "-oocsf",
                            SCENARIOS.resolve("uas-call.xml").toString()));
            Thread.sleep(2000);
            // bob calls her through n2
            Sipp.Result call = Sipp.run(SCENARIOS.resolve("uac-call.xml"), "u1", sip[1], 2, dir.resolve("sipp-call"),
                    List.of("-s", "alice", "-au", "bob", "-ap", BOB, "-auth_uri", "alice@127.0.0.1:" + sip[1], "-key",
                            "caller", "bob"));
            assertThat(call.exit()).as(call.output()).isZero();
            assertThat(call.successful()).isEqualTo(2);
            Sipp.Result registered = phone.await();
            assertThat(registered.exit()).as(registered.output()).isZero();
            // the INVITE reached the phone from n1, which had it from n2 over TCP
            String traced;
            try (var files = java.nio.file.Files.list(dir.resolve("sipp-phone"))) {
                Path messages = files.filter(f -> f.getFileName().toString().endsWith("_messages.log")).findFirst()
                        .orElseThrow();
                traced = java.nio.file.Files.readString(messages);
            }
            assertThat(traced).contains("Via: SIP/2.0/UDP 127.0.0.1:" + sip[0] + ";")
                    .contains("Via: SIP/2.0/TCP 127.0.0.1:" + sip[1] + ";");
        }
    }
}
