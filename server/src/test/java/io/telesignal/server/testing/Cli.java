package io.telesignal.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged server's CLI against a data directory, as an operator runs it: each command's output lines. */
public final class Cli {
    private Cli() {}

    /** Runs {@code telesignal <args> --data-dir <dataDir>}, which must succeed; answers what it printed. */
    public static List<String> run(Path dataDir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(args));
        command.add("--data-dir");
        command.add(dataDir.toString());
        try (ServerProcess cli = ServerProcess.start(Map.of(), command.toArray(String[]::new))) {
            assertThat(cli.waitForExit(Duration.ofSeconds(60))).as(cli.stderr()).isZero();
            return cli.drainedLines();
        }
    }

    /** Adds a provider. */
    public static void addUser(Path dataDir, String login) throws Exception {
        run(dataDir, "user", "add", login, "--name", login, "--roles", "provider");
    }

    /** Makes a device password for the user's phone and answers it (shown once). */
    public static String devicePassword(Path dataDir, String login) throws Exception {
        for (String line : run(dataDir, "device", "create", login, "--label", "sipp")) {
            if (line.startsWith("password (shown once): ")) {
                return line.substring("password (shown once): ".length()).strip();
            }
        }
        throw new AssertionError("device create printed no password");
    }
}
