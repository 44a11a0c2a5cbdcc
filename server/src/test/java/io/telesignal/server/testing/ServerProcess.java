package io.telesignal.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** {@code java -jar telesignal.jar ...} as a child process, its standard output read line by line. */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final StringBuilder err = new StringBuilder();
    private final java.util.concurrent.CountDownLatch stdoutClosed = new java.util.concurrent.CountDownLatch(1);

    private ServerProcess(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)), true), "server-stdout");
        reader.setDaemon(true);
        reader.start();
        Thread errReader = new Thread(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8)), false), "server-stderr");
        errReader.setDaemon(true);
        errReader.start();
    }

    public static ServerProcess start(Map<String, String> env, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("telesignal.jar", "target/telesignal.jar"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("TELESIGNAL_"));
        // the management listener's default port (9090) is one per machine: tests take any free one
        builder.environment().put("TELESIGNAL_MANAGEMENT_PORT", "0");
        builder.environment().putAll(env);
        return new ServerProcess(builder.start());
    }

    private void pump(BufferedReader reader, boolean stdout) {
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                if (stdout) {
                    lines.add(line);
                } else {
                    synchronized (err) {
                        err.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        } finally {
            if (stdout) {
                stdoutClosed.countDown();
            }
        }
    }

    private boolean pumping() {
        return stdoutClosed.getCount() > 0;
    }

    /** Waits for a standard-output line matching, failing with everything seen so far. */
    public String awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                if (match.test(line)) {
                    return line;
                }
            } else if (!process.isAlive() && lines.isEmpty() && !pumping()) {
                break;
            }
        }
        throw new AssertionError("no matching line within " + timeout + "; stdout:\n" + String.join("\n", seen)
                + "\nstderr:\n" + stderr());
    }

    public List<String> drainedLines() {
        lines.drainTo(seen);
        return List.copyOf(seen);
    }

    public String stderr() {
        synchronized (err) {
            return err.toString();
        }
    }

    /** Sends SIGTERM and answers the exit code. */
    public int terminate(Duration timeout) throws InterruptedException {
        // ProcessHandle.destroy sends SIGTERM without closing our end of the pipes, as Process.destroy would
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("server did not exit within " + timeout);
        }
        stdoutClosed.await(5, TimeUnit.SECONDS);
        return process.exitValue();
    }

    public int waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("process did not exit within " + timeout);
        }
        stdoutClosed.await(5, TimeUnit.SECONDS);
        return process.exitValue();
    }

    /** Kills the process with SIGKILL, as a crash or the OOM killer would: nothing of it runs again. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError("process survived SIGKILL");
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
