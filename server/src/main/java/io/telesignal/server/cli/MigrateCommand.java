package io.telesignal.server.cli;

import io.telesignal.server.config.ServerConfig;
import io.telesignal.server.logging.LoggingSetup;
import io.telesignal.store.JdbcStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code telesignal migrate}: applies pending database migrations and says how many ran. */
@Command(name = "migrate", mixinStandardHelpOptions = true, description = "Apply pending database migrations.")
final class MigrateCommand implements Callable<Integer> {
    private final CliContext context;
    @Mixin ConfigOptions options;

    MigrateCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        ServerConfig config = options.load(context);
        LoggingSetup.configure(config.logging().format(), "warn", LoggingSetup.Target.STDERR);
        try (JdbcStore store = JdbcStore.open(io.telesignal.server.wiring.StoreServices.jdbc(config))) {
            int applied = store.migrate();
            context.out().println(applied == 0 ? "database is up to date" : "applied " + applied + " migration(s)");
        }
        return Cli.OK;
    }
}
