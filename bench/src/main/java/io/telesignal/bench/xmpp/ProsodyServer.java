package io.telesignal.bench.xmpp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prosody, configured as the anchor of the XMPP benchmark: one virtual host on loopback, STARTTLS required,
 * accounts in its {@code internal_hashed} store (SCRAM-SHA-1), the modules a chat deployment runs (roster, SASL, TLS,
 * disco, carbons, ping), and with {@code archive} its message archive (mod_mam, every message, its default storage).
 * No s2s, no HTTP, no rate limits (mod_limits is not loaded), as telesignal's flood limits are raised for the bench.
 */
final class ProsodyServer implements AutoCloseable {
    private final Path dir;
    private final Process process;
    private final int port;

    private ProsodyServer(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    static ProsodyServer start(Path dir, int port, boolean archive, List<String> users, String password)
            throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("data"));
        Path certs = Files.createDirectories(dir.resolve("certs"));
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                certs.resolve("localhost.key").toString(), "-out", certs.resolve("localhost.crt").toString(), "-days", "30",
                "-subj", "/CN=localhost");
        Path config = dir.resolve("prosody.cfg.lua");
        Files.writeString(config, String.join("\n",
                "pidfile = \"" + dir.resolve("prosody.pid") + "\"",
                "data_path = \"" + dir.resolve("data") + "\"",
                "run_as_root = true",
                "log = { warn = \"" + dir.resolve("prosody.log") + "\" }",
                "c2s_ports = { " + port + " }",
                "c2s_interfaces = { \"127.0.0.1\" }",
                "c2s_direct_tls_ports = { }",
                "s2s_ports = { }",
                "http_ports = { }",
                "https_ports = { }",
                "c2s_require_encryption = true",
                "authentication = \"internal_hashed\"",
                "certificates = \"" + certs + "\"",
                "modules_enabled = { \"roster\"; \"saslauth\"; \"tls\"; \"disco\"; \"carbons\"; \"ping\"; \"posix\""
                        + (archive ? "; \"mam\"" : "") + " }",
                "modules_disabled = { \"s2s\" }",
                archive ? "default_archive_policy = true\narchive_expires_after = \"1w\"" : "",
                "VirtualHost \"localhost\"",
                "  ssl = { key = \"" + certs.resolve("localhost.key") + "\"; certificate = \""
                        + certs.resolve("localhost.crt") + "\" }",
                ""));
        for (String user : users) {
            run(dir, "prosodyctl", "--config", config.toString(), "register", user, "localhost", password);
        }
        Process process = new ProcessBuilder("prosody", "--config", config.toString(), "-F").redirectErrorStream(true)
                .redirectOutput(dir.resolve("prosody.out").toFile()).start();
        ProsodyServer server = new ProsodyServer(dir, process, port);
        server.awaitListening();
        return server;
    }

    private void awaitListening() throws InterruptedException, IOException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prosody exited: " + Files.readString(dir.resolve("prosody.out")));
            }
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("prosody did not listen on " + port + " within 30 s");
    }

    static String version() {
        try {
            Process about = new ProcessBuilder("prosodyctl", "about").redirectErrorStream(true).start();
            String text = new String(about.getInputStream().readAllBytes());
            about.waitFor(10, TimeUnit.SECONDS);
            for (String line : text.split("\n")) {
                if (line.startsWith("Prosody ")) {
                    return line.strip();
                }
            }
            return "Prosody (version unknown)";
        } catch (IOException e) {
            return "Prosody (prosodyctl missing)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Prosody";
        }
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("setup.log").toFile())).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed; see " + dir.resolve("setup.log"));
        }
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
