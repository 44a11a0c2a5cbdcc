package io.telesignal.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A relay the WebSocket comparison runs beside telesignal (issue 19), in a process of its own so that its CPU and
 * memory can be read from /proc: the PeerJS server (npm {@code peer}, run with Node as its {@code peerjs} command
 * runs it) or the bare Netty relay ({@link FloorRelay}). Both speak PeerJS's frames, which {@link PeerJsPeer}
 * drives.
 */
final class RelayProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final boolean tls;
    private final boolean floor;

    private RelayProcess(Process process, int port, boolean tls, boolean floor) {
        this.process = process;
        this.port = port;
        this.tls = tls;
        this.floor = floor;
    }

    /** The PeerJS server from {@code peerDir/node_modules/peer}, on a free loopback port; no limit on clients. */
    static RelayProcess peerJs(Path peerDir, Path log, Path certificate, Path key) throws IOException, InterruptedException {
        Path bin = peerDir.resolve("node_modules/peer/dist/bin/peerjs.js");
        if (!Files.isRegularFile(bin)) {
            throw new IllegalArgumentException("no PeerJS server at " + bin + " (npm install peer@1.0.2 there)");
        }
        int port = ServerProcess.freePort();
        List<String> command = new ArrayList<>(List.of("node", bin.toString(), "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--concurrent_limit", "1000000"));
        if (certificate != null) {
            command.addAll(List.of("--sslcert", certificate.toString(), "--sslkey", key.toString()));
        }
        return start(command, log, port, certificate != null, false);
    }

    /** The floor: {@link FloorRelay} in a JVM like the server's (same heap, same collector). */
    static RelayProcess floor(String heap, Path log, Path certificate, Path key) throws IOException, InterruptedException {
        int port = ServerProcess.freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms" + heap, "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), FloorRelay.class.getName(),
                Integer.toString(port)));
        if (certificate != null) {
            command.addAll(List.of(certificate.toString(), key.toString()));
        }
        return start(command, log, port, certificate != null, true);
    }

    private static RelayProcess start(List<String> command, Path log, int port, boolean tls, boolean floor)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(command.get(0) + " exited with " + process.exitValue() + "; see " + log);
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return new RelayProcess(process, port, tls, floor);
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("the relay did not listen within 30 s; see " + log);
    }

    /** Where peer {@code id}, talking to {@code peer}, connects. */
    URI uri(String id, String peer) {
        return URI.create((tls ? "wss" : "ws") + "://127.0.0.1:" + port + "/peerjs?key=peerjs&id=" + id + "&token=t" + id
                + (floor ? "&peer=" + peer : ""));
    }

    ProcessStats.Cpu cpu() {
        return ProcessStats.cpu(process.pid());
    }

    long rssBytes() {
        return ProcessStats.rss(process.pid());
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
