package io.telesignal.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Options that cannot make a run are refused before a server is started. */
class BenchOptionsTest {
    @Test
    void badOptionsAreRefusedUpFront() {
        assertThat(refusal("--sessions", "3")).contains("--sessions must be even and at least 2");
        assertThat(refusal("--ack-delay", "0ms")).contains("--ack-delay must be at least 1ms");
        assertThat(refusal("--server-cpus", "0;rm")).contains("--server-cpus is a CPU list");
        assertThat(refusal("--nodes", "0")).contains("--nodes must be 1 to 8");
        assertThat(refusal("--nodes", "2")).contains("--nodes above 1 needs --postgres-url");
        assertThat(refusal("--failover")).contains("--failover needs --nodes 2 or more");
    }

    private static String refusal(String... args) {
        CommandLine line = Bench.commandLine();
        StringWriter err = new StringWriter();
        line.setErr(new PrintWriter(err));
        assertThat(line.execute(args)).isEqualTo(2);
        return err.toString();
    }
}
