package io.telesignal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebSocket comparison end to end at a small size: the bare relay, the PeerJS server from npm and the packaged
 * telesignal, over ws and wss, then the storm. Every server must relay everything it was given, the figures must be
 * there for each; what they are belongs to docs/performance.md. Without Node.js, npm or the npm registry under CI
 * the test fails; elsewhere it is skipped with a loud message.
 */
class VsPeerJsIT {
    @TempDir
    Path work;

    @Test
    void smallRunRelaysEverythingOnEveryServerAndReportsIt() throws Exception {
        Path jar = Path.of(System.getProperty("telesignal.jar", "../server/target/telesignal.jar"));
        Path peerDir = Path.of("target/peerjs");
        if (!Files.isRegularFile(peerDir.resolve("node_modules/peer/package.json"))) {
            Files.createDirectories(peerDir);
            String failure;
            try {
                Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--prefix", ".", "peer@1.0.2")
                        .directory(peerDir.toFile()).redirectErrorStream(true)
                        .redirectOutput(work.resolve("npm.log").toFile()).start();
                failure = !npm.waitFor(5, TimeUnit.MINUTES) ? "npm install timed out"
                        : npm.exitValue() != 0 ? "npm install failed: " + Files.readString(work.resolve("npm.log")) : null;
            } catch (java.io.IOException e) {
                failure = "npm could not be run: " + e.getMessage();
            }
            if (failure != null) {
                if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                    throw new AssertionError("the PeerJS server could not be installed under CI: " + failure);
                }
                System.err.println("!!! PeerJS comparison test skipped: " + failure + " !!!");
                Assumptions.abort(failure);
            }
        }
        Path report = work.resolve("report.json");

        int exit = new picocli.CommandLine(new VsPeerJs()).registerConverter(java.time.Duration.class, Bench::duration)
                .execute("--pairs", "4", "--warmup", "1s", "--seconds", "2s", "--storm", "200", "--heap", "256m",
                        "--server-jar", jar.toString(), "--peerjs-dir", peerDir.toString(),
                        "--work-dir", work.resolve("servers").toString(), "--report", report.toString());

        JsonNode figures = new ObjectMapper().readTree(Files.readString(report));
        assertThat(exit).as(figures.toString()).isZero();
        for (String transport : new String[] {"ws", "wss"}) {
            for (String server : new String[] {"floor", "peerjs", "telesignal"}) {
                JsonNode relay = figures.path("relay").path(transport + " " + server).path(0);
                assertThat(relay.path("delivered").asLong()).as(transport + " " + server).isPositive();
                assertThat(relay.path("delivered").asLong()).isEqualTo(relay.path("sent").asLong());
                assertThat(relay.path("lost").asLong()).isZero();
                assertThat(relay.path("duplicated").asLong()).isZero();
                assertThat(relay.path("serverMicros").asDouble()).as("CPU read from /proc").isPositive();
                assertThat(relay.path("p99").asDouble()).isPositive();
            }
        }
        for (String server : new String[] {"floor", "peerjs", "telesignal"}) {
            JsonNode storm = figures.path("storm").path(server);
            assertThat(storm.path("connections").asInt()).isEqualTo(200);
            assertThat(storm.path("firstSeconds").asDouble()).isPositive();
            assertThat(storm.path("againSeconds").asDouble()).isPositive();
        }
        assertThat(figures.path("storm").path("telesignal").path("liveHeapBytesPerConnection").asDouble()).isPositive();
    }
}
