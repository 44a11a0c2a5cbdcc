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
        requireTool(SIPP, test, "sip-tester");
    }

    /** A tool from a Debian package a test needs: missing, it fails under CI and skips loudly elsewhere. */
    public static void requireTool(Path tool, String test, String debianPackage) {
        if (Files.isExecutable(tool)) {
            return;
        }
        String message = test + " needs " + tool.getFileName() + " (apt-get install " + debianPackage + ")";
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
        return start(scenario, transport, port, Ports.free(), calls, workDir, options).await();
    }

    /**
     * Starts sipp on {@code localPort} without waiting: a UAS that answers the calls another sipp makes. Its messages
     * are traced to its work directory.
     */
    public static Running start(Path scenario, String transport, int port, int localPort, int calls, Path workDir,
            List<String> options) throws IOException {
        List<String> command = new ArrayList<>(List.of(SIPP.toString(), "127.0.0.1:" + port, "-sf", scenario.toString(),
                "-t", transport, "-i", "127.0.0.1", "-p", String.valueOf(localPort), "-m", String.valueOf(calls),
                "-r", "50", "-nostdin", "-timeout", "30s", "-timeout_error", "-trace_err", "-trace_msg"));
        command.addAll(options);
        Files.createDirectories(workDir);
        Process sipp = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("sipp.out").toFile()).start();
        return new Running(sipp, workDir);
    }

    /** A sipp still running. */
    public record Running(Process process, Path workDir) {
        public Result await() throws IOException, InterruptedException {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("sipp did not finish within 60 s");
            }
            StringBuilder output = new StringBuilder(Files.readString(workDir.resolve("sipp.out")));
            try (var files = Files.list(workDir)) {
                for (Path errors : files.filter(f -> f.getFileName().toString().endsWith("_errors.log")).toList()) {
                    output.append("\n").append(Files.readString(errors));
                }
            }
            return new Result(process.exitValue(), output.toString());
        }
    }

    /** sipp's exit code and what it printed (with its error log, when it wrote one). */
    public record Result(int exit, String output) {
        /** How many calls sipp counted as successful. */
        public int successful() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Successful call\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)")
                    .matcher(output);
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        }
    }

    /**
     * The environment of a packaged server with its SIP door on loopback: UDP and TCP on {@code sipPort}, TLS on any
     * free port, plain HTTP on {@code httpPort}, challenges offering {@code digestAlgorithms} in that order (sipp
     * reads the first only and knows MD5 only: {@code MD5,SHA-256}; baresip 1.0 needs {@code MD5} alone).
     */
    public static java.util.Map<String, String> serverEnv(int sipPort, int httpPort, String digestAlgorithms) {
        return java.util.Map.of("TELESIGNAL_HTTP_PORT", String.valueOf(httpPort), "TELESIGNAL_HTTP_HOST", "127.0.0.1",
                "TELESIGNAL_HTTP_TLS", "false", "TELESIGNAL_SIP_ENABLED", "true", "TELESIGNAL_SIP_HOST", "127.0.0.1",
                "TELESIGNAL_SIP_UDP_PORT", String.valueOf(sipPort), "TELESIGNAL_SIP_TCP_PORT", String.valueOf(sipPort),
                "TELESIGNAL_SIP_TLS_PORT", "0", "TELESIGNAL_SIP_DIGEST_ALGORITHMS", digestAlgorithms);
    }
}
