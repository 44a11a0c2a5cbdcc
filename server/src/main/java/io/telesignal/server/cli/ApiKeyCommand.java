package io.telesignal.server.cli;

import io.telesignal.core.apikey.ApiKey;
import io.telesignal.core.apikey.ApiKeys;
import io.telesignal.server.wiring.StoreServices;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code telesignal apikey create|list|revoke}: keys for platform backends calling the REST API. */
@Command(name = "apikey", mixinStandardHelpOptions = true, description = "Manage API keys for the REST API.",
        subcommands = {ApiKeyCommand.Create.class, ApiKeyCommand.ListKeys.class, ApiKeyCommand.Revoke.class})
final class ApiKeyCommand {
    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key; it is printed once.")
    static final class Create implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;
        @Option(names = "--name", required = true, description = "a label, e.g. the platform's name") String name;

        Create(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (StoreServices services = Offline.open(options.load(context), context)) {
                ApiKeys.Created created = services.apiKeys().create(name, UserCommand.ACTOR);
                context.out().println(created.secret());
                context.err().println("api key " + created.key().id() + " created; store it now, it is not shown again");
            }
            return Cli.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
    static final class ListKeys implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;

        ListKeys(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (StoreServices services = Offline.open(options.load(context), context)) {
                context.out().println(String.format("%-14s %-10s %-28s %s", "ID", "STATE", "CREATED", "NAME"));
                for (ApiKey key : services.apiKeys().list()) {
                    context.out().println(String.format("%-14s %-10s %-28s %s", key.id(),
                            key.active() ? "active" : "revoked", key.createdAt(), key.name()));
                }
            }
            return Cli.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key at once.")
    static final class Revoke implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;
        @Parameters(index = "0", paramLabel = "ID") String id;

        Revoke(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (StoreServices services = Offline.open(options.load(context), context)) {
                if (!services.apiKeys().revoke(id, UserCommand.ACTOR)) {
                    context.err().println("telesignal: no api key " + id + " [apikey_not_found]");
                    return Cli.FAILED;
                }
                context.out().println("revoked " + id);
            }
            return Cli.OK;
        }
    }
}
