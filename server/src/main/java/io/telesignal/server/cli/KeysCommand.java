package io.telesignal.server.cli;

import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.Outcome;
import io.telesignal.server.config.ServerConfig;
import io.telesignal.server.wiring.DataKek;
import io.telesignal.server.wiring.StoreServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code telesignal keys list|rotate|rewrap}: the data keys that seal chat text and display names, and the
 * key-encryption key (KEK) that wraps them. Audited with actor {@code cli}.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Manage the data encryption keys (chat text and display names at rest).",
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.Rotate.class, KeysCommand.Rewrap.class})
final class KeysCommand {
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the data keys (never the keys).")
    static final class ListKeys implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;

        ListKeys(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (StoreServices services = Offline.open(options.load(context), context)) {
                context.out().println(String.format("%-6s %s", "ID", "CREATED"));
                for (Map.Entry<Integer, java.time.Instant> key : services.store().dataKeys().list()) {
                    context.out().println(String.format("%-6d %s", key.getKey(), key.getValue()));
                }
            }
            return Cli.OK;
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true, description = "Make a new data key for new values;"
            + " the old ones keep opening what they sealed. Running servers take it up when they restart.")
    static final class Rotate implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;

        Rotate(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            ServerConfig config = options.load(context);
            try (StoreServices services = Offline.open(config, context)) {
                byte[] kek = DataKek.load(config.dataEncryption(), new java.security.SecureRandom(),
                        config.cluster().enabled());
                services.audit().recordNow(AuditEvent.of("keys.rotated", UserCommand.ACTOR, Outcome.OK));
                int id = services.store().dataKeys().rotate(kek);
                context.out().println("data key " + id + " made; new values are sealed with it");
            }
            return Cli.OK;
        }
    }

    @Command(name = "rewrap", mixinStandardHelpOptions = true, description = "Wrap every data key under a new"
            + " key-encryption key (no data is rewritten); then point dataEncryption at the new key on every node.")
    static final class Rewrap implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;
        @Option(names = "--new-key-file", required = true, description = "a file holding the new key (base64 of 32"
                + " random bytes: head -c 32 /dev/urandom | base64)") Path newKeyFile;

        Rewrap(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws IOException {
            ServerConfig config = options.load(context);
            byte[] newKek = DataKek.decode(Files.readString(newKeyFile, StandardCharsets.US_ASCII), "--new-key-file",
                    newKeyFile.toString());
            try (StoreServices services = Offline.open(config, context)) {
                byte[] kek = DataKek.load(config.dataEncryption(), new java.security.SecureRandom(),
                        config.cluster().enabled());
                services.audit().recordNow(AuditEvent.of("keys.rewrapped", UserCommand.ACTOR, Outcome.OK));
                int count = services.store().dataKeys().rewrap(kek, newKek);
                context.out().println(count + " data key(s) now wrapped by the key in " + newKeyFile
                        + "; set dataEncryption.keyFile (or TELESIGNAL_DATA_ENCRYPTION_KEY) to it on every node,"
                        + " then destroy the old key");
            }
            return Cli.OK;
        }
    }
}
