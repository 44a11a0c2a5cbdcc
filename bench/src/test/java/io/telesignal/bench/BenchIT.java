package io.telesignal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench end to end at a small size against the packaged server jar: it must provision, connect, relay in
 * every phase, and find nothing lost. The figures themselves belong to docs/performance.md, not to this test.
 */
class BenchIT {
    @TempDir
    Path work;

    @Test
    void smallRunRelaysEverythingAndReportsIt() throws Exception {
        Path jar = Path.of(System.getProperty("telesignal.jar", "../server/target/telesignal.jar"));
        assertThat(jar).as("the server module packages telesignal.jar before this test runs").isRegularFile();
        Path report = work.resolve("report.json");

        int exit = Bench.commandLine().execute("--sessions", "40", "--server-jar", jar.toString(), "--heap", "256m",
                "--warmup", "1s", "--rate", "400", "--duration", "3s", "--throughput-duration", "3s",
                "--work-dir", work.resolve("server").toString(), "--report", report.toString());

        assertThat(exit).isZero();
        JsonNode figures = new ObjectMapper().readTree(Files.readString(report));
        assertThat(figures.path("clean").asBoolean()).isTrue();
        assertThat(figures.path("sessions").asInt()).isEqualTo(40);
        assertThat(figures.path("liveHeapMiBWithSessions").asLong()).isPositive();
        JsonNode phases = figures.path("phases");
        assertThat(phases).hasSize(3);
        for (JsonNode phase : phases) {
            assertThat(phase.path("delivered").asLong()).as(phase.path("name").asText()).isPositive();
            assertThat(phase.path("delivered").asLong()).isEqualTo(phase.path("sent").asLong());
            assertThat(phase.path("lost").asLong()).isZero();
            assertThat(phase.path("results").asLong()).isEqualTo(phase.path("sent").asLong());
        }
        assertThat(phases.get(1).path("latencyMsP99").asDouble()).isPositive();
    }

    /** Two nodes on the machine's PostgreSQL and Redis (as CI has them); the first killed under load. */
    @Test
    void failoverRunResumesEverySessionOfTheKilledNodeAndLosesNothing() throws Exception {
        Path jar = Path.of(System.getProperty("telesignal.jar", "../server/target/telesignal.jar"));
        Path report = work.resolve("failover.json");

        int exit = Bench.commandLine().execute("--nodes", "2", "--postgres-url",
                "jdbc:postgresql://127.0.0.1:5432/test", "--sessions", "40", "--server-jar", jar.toString(),
                "--heap", "256m", "--warmup", "1s", "--rate", "300", "--duration", "6s", "--failover",
                "--work-dir", work.resolve("servers").toString(), "--report", report.toString());

        JsonNode figures = new ObjectMapper().readTree(Files.readString(report));
        assertThat(exit).as(figures.toString()).isZero();
        JsonNode failover = figures.path("failover");
        assertThat(failover.path("sessionsOnKilledNode").asInt()).isEqualTo(20);
        assertThat(failover.path("resumed").asInt()).isEqualTo(20);
        assertThat(failover.path("allResumedSeconds").asDouble()).isPositive();
        JsonNode load = failover.path("load");
        assertThat(load.path("sent").asLong()).isPositive();
        assertThat(load.path("delivered").asLong()).isEqualTo(load.path("sent").asLong());
        assertThat(load.path("lost").asLong()).isZero();
        assertThat(load.path("duplicated").asLong()).isZero();
    }
}
