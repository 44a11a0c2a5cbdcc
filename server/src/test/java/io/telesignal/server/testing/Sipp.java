package io.telesignal.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * sipp (Debian's sip-tester), the real SIP peer of the tests: runs a scenario against the server and answers its exit
 * code (0: every call as the scenario says). Missing sipp fails under CI and skips loudly elsewhere.
 */
public final class Sipp {
    private static final Path SIPP = Path.of("/usr/bin/sipp");

    private Sipp() {}

    public static void require(String test) {
        if (Files.isExecutable(SIPP)) {
            return;
        }
        String message = test + " needs sipp (apt-get install sip-tester)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message);
        }
        System.err.println("!!!!!!!! SKIPPING " + message);
        Assumptions.abort(message);
    }

    /** Runs {@code scenario} {@code calls} times over {@code transport} ({@code u1} UDP, {@code t1} TCP). */
    public static Result run(Path scenario, String transport, int port, int calls, Path workDir)
            throws IOException, InterruptedException {
        return run(scenario, transport, port, calls, workDir, List.of());
    }

    /** The same with more of sipp's options ({@code -s alice -au alice -ap <password>}). */
    public static Result run(Path scenario, String transport, int port, int calls, Path workDir, List<String> options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(SIPP.toString(), "127.0.0.1:" + port, "-sf", scenario.toString(),
                "-t", transport, "-i", "127.0.0.1", "-p", String.valueOf(Ports.free()), "-m", String.valueOf(calls),
                "-r", "50", "-nostdin", "-timeout", "30s", "-timeout_error", "-trace_err"));
        command.addAll(options);
        Files.createDirectories(workDir);
        Process sipp = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("sipp.out").toFile()).start();
        if (!sipp.waitFor(60, TimeUnit.SECONDS)) {
            sipp.destroyForcibly();
            throw new AssertionError("sipp did not finish within 60 s");
        }
        return new Result(sipp.exitValue(), Files.readString(workDir.resolve("sipp.out")));
    }

    /** sipp's exit code and what it printed. */
    public record Result(int exit, String output) {}
}
