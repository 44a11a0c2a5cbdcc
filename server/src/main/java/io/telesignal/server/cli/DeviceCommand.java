package io.telesignal.server.cli;

import io.telesignal.core.device.DevicePassword;
import io.telesignal.core.device.DevicePasswords;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.User;
import io.telesignal.server.wiring.StoreServices;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code telesignal device create|list|revoke}: device passwords, one per SIP phone or XMPP client. They are what
 * SIP digest and XMPP SCRAM authenticate with; the account password never is.
 */
@Command(name = "device", mixinStandardHelpOptions = true,
        description = "Manage device passwords (one per SIP phone or XMPP client).",
        subcommands = {DeviceCommand.Create.class, DeviceCommand.ListDevices.class, DeviceCommand.Revoke.class})
final class DeviceCommand {
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a device password for a user; a generated one is printed once.")
    static final class Create implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;
        @Parameters(index = "0", paramLabel = "LOGIN") String login;
        @Option(names = "--label", required = true, description = "what the device is, e.g. \"Desk phone, room 4\"")
        String label;
        @Option(names = "--password-stdin", description = "read the password from standard input (a platform that"
                + " provisions phones); otherwise one is generated and printed once") boolean passwordStdin;

        Create(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Optional<char[]> given = passwordStdin ? Optional.of(PasswordInput.stdin(context)) : Optional.empty();
            try (StoreServices services = Offline.open(options.load(context), context)) {
                User user = services.accounts().require(new Login(login));
                DevicePasswords.Created created = services.devicePasswords().create(user, label, given, UserCommand.ACTOR);
                context.out().println("device password " + created.device().id() + " created for " + user.login()
                        + " (SIP username " + user.login() + ", realm " + services.devicePasswords().settings().sipRealm()
                        + ")");
                created.password().ifPresent(p -> context.out().println("password (shown once): " + p));
            }
            return Cli.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a user's device passwords (never the passwords).")
    static final class ListDevices implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;
        @Parameters(index = "0", paramLabel = "LOGIN") String login;

        ListDevices(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (StoreServices services = Offline.open(options.load(context), context)) {
                User user = services.accounts().require(new Login(login));
                context.out().println(String.format("%-14s %-22s %-22s %s", "ID", "CREATED", "LAST USED", "LABEL"));
                for (DevicePassword device : services.devicePasswords().list(user)) {
                    context.out().println(String.format("%-14s %-22s %-22s %s", device.id(),
                            device.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                            device.lastUsedAt().map(t -> t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                                    .orElse("never"), device.label()));
                }
            }
            return Cli.OK;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a device password at once.")
    static final class Revoke implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;
        @Parameters(index = "0", paramLabel = "LOGIN") String login;
        @Parameters(index = "1", paramLabel = "ID") String id;

        Revoke(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            try (StoreServices services = Offline.open(options.load(context), context)) {
                User user = services.accounts().require(new Login(login));
                if (!services.devicePasswords().revoke(user, id, UserCommand.ACTOR)) {
                    context.err().println("telesignal: " + login + " has no device password " + id + " [device_not_found]");
                    return Cli.FAILED;
                }
                context.out().println("revoked " + id);
            }
            return Cli.OK;
        }
    }
}
