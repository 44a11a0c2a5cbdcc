package io.telesignal.server.cli;

import io.telesignal.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --config} and {@code --data-dir}, shared by every command. */
final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file (default: $TELESIGNAL_CONFIG)")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "data directory (overrides dataDir)")
    Path dataDir;

    ServerConfig load(CliContext context) {
        Map<String, String> overrides = new HashMap<>();
        if (dataDir != null) {
            overrides.put("dataDir", dataDir.toString());
        }
        return ServerConfig.load(Optional.ofNullable(config), context.env(), overrides);
    }
}
