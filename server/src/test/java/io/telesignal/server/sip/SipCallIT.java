package io.telesignal.server.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.server.testing.Cli;
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
 * Calls through the packaged server's proxy between two sipp processes, over UDP and over TCP: a phone registers its
 * Contact (digest with its device password), a sipp answers there, another sipp calls. A call by a local user is
 * challenged (407) and goes through with the caller's own device password: INVITE, 180, 200 with the Record-Route, the
 * end-to-end ACK and the BYE along the route set. A call cancelled while it rings ends 487 on both sides; a busy phone's
 * 486 reaches the caller, each failure ACKed hop by hop.
 */
class SipCallIT {
    private static final Path SCENARIOS = Path.of("src/test/resources/sipp").toAbsolutePath();

    @TempDir
    Path dataDir;

    @Test
    void callsGoThroughTheProxyOverUdpAndTcp() throws Exception {
        Sipp.require("SipCallIT");
        Map<String, String> callees = Map.of("u1", "alice", "t1", "amy");
        String[] passwords = new String[3];
        Cli.addUser(dataDir, "alice");
        Cli.addUser(dataDir, "amy");
        Cli.addUser(dataDir, "bob");
        passwords[0] = Cli.devicePassword(dataDir, "alice");
        passwords[1] = Cli.devicePassword(dataDir, "amy");
        passwords[2] = Cli.devicePassword(dataDir, "bob");
        int port = Ports.free();
        Map<String, String> env = Sipp.serverEnv(port, Ports.free(), "MD5,SHA-256");
        try (ServerProcess server = ServerProcess.start(env, "serve", "--data-dir", dataDir.toString())) {
            server.awaitLine(line -> line.contains("event=server_started"), Duration.ofSeconds(60));
            for (String transport : new String[] {"u1", "t1"}) {
                String callee = callees.get(transport);
                int uasPort = Ports.free();
                Path work = dataDir.resolve("sipp-" + transport);
                Sipp.Result registered = Sipp.run(SCENARIOS.resolve("register-contact.xml"), transport, port, 1,
                        work.resolve("register"), List.of("-s", callee, "-au", callee, "-ap",
                                passwords[callee.equals("alice") ? 0 : 1], "-key", "uas_port", String.valueOf(uasPort)));
                assertThat(registered.exit()).as(registered.output()).isZero();
                for (String scenario : new String[] {"call", "cancel", "busy"}) {
                    Sipp.Running uas = Sipp.start(SCENARIOS.resolve("uas-" + scenario + ".xml"), transport, port, uasPort,
                            3, work.resolve("uas-" + scenario), List.of());
                    Thread.sleep(500); // the answering sipp listens
                    // bob is this server's user: his calls are challenged and he answers with his device password
                    Sipp.Result caller = Sipp.start(SCENARIOS.resolve("uac-" + scenario + ".xml"), transport, port,
                            Ports.free(), 3, work.resolve("uac-" + scenario), List.of("-s", callee, "-au", "bob", "-ap",
                                    passwords[2], "-auth_uri", callee + "@127.0.0.1:" + port, "-key", "caller", "bob"))
                            .await();
                    Sipp.Result answered = uas.await();
                    assertThat(caller.exit()).as(transport + " " + scenario + " caller:\n" + caller.output()).isZero();
                    assertThat(caller.successful()).as(transport + " " + scenario).isEqualTo(3);
                    assertThat(answered.exit()).as(transport + " " + scenario + " callee:\n" + answered.output()).isZero();
                    assertThat(answered.successful()).as(transport + " " + scenario).isEqualTo(3);
                }
            }
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
        }
    }
}
