package io.telesignal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store over TLS with {@code sslmode=verify-full}, as docs/security.md tells operators to connect: a PostgreSQL of
 * its own (initdb in a temporary folder, the machine's PostgreSQL binaries) that takes TLS connections only
 * ({@code hostssl} in pg_hba.conf), with a certificate for 127.0.0.1 made by openssl. The store migrates and works
 * through it; a server whose certificate is not the one trusted is refused, and so is a connection without TLS.
 */
class PostgresTlsTest {
    @TempDir
    Path dir;
    private Process postgres;
    private int port;
    private Path certificate;

    @BeforeEach
    void startPostgresWithTlsOnly() throws Exception {
        Path bin = postgresBinaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path data = dir.resolve("data");
        if (root) {
            run(List.of("chown", "postgres", dir.toString()));
        }
        run(as(root, bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres"));
        certificate = data.resolve("server.crt");
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", data.resolve("server.key").toString(), "-out", certificate.toString(), "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"));
        Files.writeString(data.resolve("pg_hba.conf"), "hostssl all all 127.0.0.1/32 trust\n");
        if (root) {
            run(List.of("chown", "-R", "postgres", data.toString()));
        }
        run(List.of("chmod", "600", data.resolve("server.key").toString()));
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        postgres = new ProcessBuilder(as(root, bin.resolve("postgres").toString(), "-D", data.toString(), "-p",
                String.valueOf(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + data,
                "-c", "ssl=on", "-c", "ssl_cert_file=server.crt", "-c", "ssl_key_file=server.key"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("postgres.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.readString(dir.resolve("postgres.log")).contains("ready to accept connections")) {
            if (!postgres.isAlive() || System.nanoTime() > deadline) {
                Assertions.fail("the TLS PostgreSQL did not start: " + Files.readString(dir.resolve("postgres.log")));
            }
            Thread.sleep(50);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (postgres != null) {
            postgres.destroy(); // SIGTERM: a smart shutdown
            if (!postgres.waitFor(10, TimeUnit.SECONDS)) {
                postgres.destroyForcibly();
            }
        }
    }

    @Test
    void theStoreWorksOverVerifiedTlsAndRefusesAnyOtherServer() throws Exception {
        try (JdbcStore store = JdbcStore.open(settings("?sslmode=verify-full&sslrootcert=" + certificate))) {
            store.migrate();
            store.dataKeys().unlock(TestDatabases.KEK);
            User user = new User(UserId.random(), new Login("tls-user"), "Over TLS", Set.of(Role.STAFF), true,
                    Instant.parse("2026-12-05T00:00:00Z"));
            store.directory().create(user, Optional.empty());
            assertThat(store.directory().findByLogin(new Login("tls-user"))).contains(user);
            try (var c = store.dataSource().getConnection(); var s = c.createStatement();
                    var rs = s.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).as("this connection is TLS").isTrue();
            }
        }

        // another certificate than the server's: verify-full refuses the server
        Path other = dir.resolve("other.crt");
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve("other.key").toString(), "-out", other.toString(), "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"));
        assertThatThrownBy(() -> JdbcStore.open(settings("?sslmode=verify-full&sslrootcert=" + other)).close())
                .isInstanceOf(StoreException.class);
        // without TLS: pg_hba.conf takes hostssl only
        assertThatThrownBy(() -> JdbcStore.open(settings("?sslmode=disable")).close())
                .isInstanceOf(StoreException.class);
    }

    private JdbcSettings settings(String query) {
        return new JdbcSettings("jdbc:postgresql://127.0.0.1:" + port + "/postgres" + query, "postgres", "",
                Optional.empty(), 2, Duration.ofSeconds(5));
    }

    /** The machine's PostgreSQL binaries (Debian: /usr/lib/postgresql/<version>/bin); required under CI. */
    private static Path postgresBinaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (var versions = Files.list(root)) {
                versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb"))).forEach(found::add);
            }
        }
        if (found.isEmpty()) {
            String message = "no PostgreSQL binaries under /usr/lib/postgresql (apt-get install postgresql)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            System.err.println("!!!!!!!! SKIPPING POSTGRESQL TLS TEST: " + message);
            Assumptions.abort(message);
        }
        return found.get(found.size() - 1);
    }

    /** PostgreSQL refuses to run as root: as the postgres user then. */
    private static List<String> as(boolean root, String... command) {
        List<String> full = new ArrayList<>();
        if (root) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        return full;
    }

    private void run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("setup.log").toFile())).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            Assertions.fail(String.join(" ", command) + " failed: " + Files.readString(dir.resolve("setup.log")));
        }
    }
}
