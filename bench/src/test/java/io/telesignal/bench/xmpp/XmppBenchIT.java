package io.telesignal.bench.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The XMPP bench's load client end to end at a small size against the packaged server (telesignal alone: Prosody is
 * the anchor of the documented run, bench/xmpp-vs-prosody.sh): it signs in over STARTTLS with SCRAM-SHA-1, relays
 * closed loop with nothing lost, repeated or reordered, signs clients in and out, and holds idle sessions. The figures
 * belong to docs/performance.md.
 */
class XmppBenchIT {
    @TempDir
    Path work;

    @Test
    void aSmallRunAgainstTelesignalRelaysEverything() {
        Path jar = Path.of(System.getProperty("telesignal.jar", "../server/target/telesignal.jar"));
        assertThat(jar).as("the server module packages telesignal.jar before this test runs").isRegularFile();

        int exit = XmppBench.commandLine().execute("--skip-prosody", "--server-jar", jar.toString(), "--heap", "256m",
                "--pairs", "4", "--window", "4", "--warmup", "1", "--seconds", "2", "--login-threads", "2",
                "--login-seconds", "2", "--idle-sessions", "20", "--work-dir", work.toString());

        assertThat(exit).as("exit 0: everything relayed once and in order, every sign-in done").isZero();
    }
}
