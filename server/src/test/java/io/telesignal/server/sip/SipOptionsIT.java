package io.telesignal.server.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.server.testing.Ports;
import io.telesignal.server.testing.ServerProcess;
import io.telesignal.server.testing.Sipp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SIP door of the packaged server, from sipp over UDP and over TCP: OPTIONS answered 200, an unsupported Require
 * answered 420, every call of the scenario as it says.
 */
class SipOptionsIT {
    @TempDir
    Path dataDir;

    @Test
    void sippGetsItsOptionsAnsweredOverUdpAndTcp() throws Exception {
        Sipp.require("SipOptionsIT");
        int port = Ports.free();
        Map<String, String> env = Sipp.serverEnv(port, 0, "SHA-256,MD5");
        try (ServerProcess server = ServerProcess.start(env, "serve", "--data-dir", dataDir.toString())) {
            String started = server.awaitLine(line -> line.contains("event=server_started"), Duration.ofSeconds(60));
            assertThat(started).contains("sip=udp:" + port + ",tcp:" + port);
            Path scenario = Path.of("src/test/resources/sipp/options.xml").toAbsolutePath();
            for (String transport : new String[] {"u1", "t1"}) {
                Sipp.Result result = Sipp.run(scenario, transport, port, 20, dataDir.resolve("sipp-" + transport));
                assertThat(result.exit()).as(result.output()).isZero();
                assertThat(result.output()).containsPattern("Successful call\\s*\\|\\s*\\d+\\s*\\|\\s*20");
            }
            java.util.regex.Matcher management = java.util.regex.Pattern.compile("management=http://127\\.0\\.0\\.1:(\\d+)")
                    .matcher(started);
            assertThat(management.find()).isTrue();
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + management.group(1) + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("telesignal_sip_dropped_total", "telesignal_sip_refused_total",
                    "telesignal_sip_rate_limited_total", "telesignal_sip_transactions");
            server.terminate(Duration.ofSeconds(30));
        }
    }
}
