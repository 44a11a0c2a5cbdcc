package io.telesignal.server;

import io.telesignal.server.cli.Cli;
import io.telesignal.server.cli.CliContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** Entry point of {@code telesignal.jar}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        CliContext context = new CliContext(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
                System.out, System.err, System.getenv(), Clock.systemUTC());
        System.exit(Cli.run(context, args));
    }
}
