package io.telesignal.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Loopback ports for the processes a test starts (Redis, haproxy, server nodes). */
public final class Ports {
    private Ports() {}

    /** A loopback port free right now. */
    public static int free() {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the process listens on the loopback port; fails with the process's log when it exits or does not
     * listen within ten seconds.
     */
    public static void awaitListening(Process process, int port, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError(process.info().command().orElse("process") + " did not listen on "
                            + port + ": " + (Files.exists(log) ? Files.readString(log) : "(no log)"));
                }
                Thread.sleep(50);
            }
        }
    }
}
