package io.telesignal.server.cli;

import io.telesignal.server.config.ServerConfig;
import io.telesignal.server.logging.LoggingSetup;
import io.telesignal.server.wiring.StoreServices;
import java.util.Set;

/** Opens the store services for a command that runs without the server's listeners. */
final class Offline {
    private Offline() {}

    static StoreServices open(ServerConfig config, CliContext context) {
        String level = Set.of("debug", "trace").contains(config.logging().level()) ? config.logging().level() : "warn";
        LoggingSetup.configure(config.logging().format(), level, LoggingSetup.Target.STDERR);
        return StoreServices.open(config, context.clock(), config.migrateOnStart());
    }
}
