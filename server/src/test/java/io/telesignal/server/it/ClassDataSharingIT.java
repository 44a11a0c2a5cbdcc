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
 * the archive, not from the jar.
 */
class ClassDataSharingIT {
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
}
