package io.telesignal.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The class-data archive {@code package} makes beside the jar (README, docs/performance.md#start-up): a JVM told it
 * must map it ({@code -Xshare:on} refuses to start otherwise) runs the jar, and the server's own classes come from
 * the archive, not from the jar; and a server started with it and Java Flight Recorder (a class-file load hook, which
 * crashed OpenJDK 17 with an archive holding the jar's versioned classes) starts, serves and stops cleanly.
 */
class ClassDataSharingIT {
    @org.junit.jupiter.api.io.TempDir
    Path dataDir;

    @Test
    void theBuildsArchiveMapsForThePackagedJar() throws Exception {
        Path jar = Path.of(System.getProperty("telesignal.jar", "target/telesignal.jar"));
        Path archive = jar.resolveSibling("telesignal.jsa");
        assertThat(archive).as("made by package (not built with -DskipCds)").isRegularFile();

        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info", "-jar", jar.toString(),
                "--version").redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(java.exitValue()).as(output).isZero();
        assertThat(output).contains("telesignal ");
        List<String> main = output.lines().filter(line -> line.contains(" io.telesignal.server.Main ")).toList();
        assertThat(main).singleElement().asString().contains("source: shared objects file");
    }

    @Test
    void aServerWithTheArchiveAndFlightRecorderStartsAndStops() throws Exception {
        Path jar = Path.of(System.getProperty("telesignal.jar", "target/telesignal.jar"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:on", "-XX:SharedArchiveFile=" + jar.resolveSibling("telesignal.jsa"),
                "-XX:StartFlightRecording=filename=" + dataDir.resolve("start.jfr") + ",settings=profile",
                "-jar", jar.toString(), "serve", "--demo", "--data-dir", dataDir.resolve("data").toString(),
                "--exit-when-started").redirectErrorStream(true);
        java.util.Map<String, String> env = builder.environment();
        for (String port : List.of("HTTP_PORT", "MANAGEMENT_PORT", "SIP_UDP_PORT", "SIP_TCP_PORT", "SIP_TLS_PORT",
                "XMPP_PORT", "XMPP_DIRECT_TLS_PORT")) {
            env.put("TELESIGNAL_" + port, "0");
        }
        for (String host : List.of("HTTP_HOST", "MANAGEMENT_HOST", "SIP_HOST", "XMPP_HOST")) {
            env.put("TELESIGNAL_" + host, "127.0.0.1");
        }
        Process server = builder.start();
        String output = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(server.waitFor(90, TimeUnit.SECONDS)).isTrue();

        assertThat(server.exitValue()).as(output).isZero();
        assertThat(output).contains("event=server_started", "event=server_stopped clean=true").doesNotContain("SIGSEGV");
    }
}
