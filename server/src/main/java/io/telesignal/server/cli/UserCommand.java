package io.telesignal.server.cli;

import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.server.wiring.StoreServices;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code telesignal user add|list|passwd|disable|enable|roles}. Changes are audited with actor {@code cli}. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage users.",
        subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Passwd.class,
                UserCommand.Disable.class, UserCommand.Enable.class, UserCommand.Roles.class})
final class UserCommand {
    static final String ACTOR = "cli";

    static String roles(Set<Role> roles) {
        return roles.isEmpty() ? "-" : roles.stream().map(Role::wireName).sorted().collect(Collectors.joining(","));
    }

    static Set<Role> parseRoles(List<String> names) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : names) {
            roles.add(Role.fromWireName(name.trim()));
        }
        return roles;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Create a user.")
    static final class Add implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;
        @Parameters(index = "0", paramLabel = "LOGIN") String login;
        @Option(names = "--name", required = true, description = "display name") String name;
        @Option(names = "--roles", split = ",", required = true, paramLabel = "ROLE",
                description = "patient, provider, staff, interpreter, guest, device, admin") List<String> roles;
        @Option(names = "--password-stdin", description = "read the password from standard input;"
                + " otherwise one is generated and printed once") boolean passwordStdin;

        Add(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Login parsedLogin = new Login(login);
            Set<Role> parsedRoles = parseRoles(roles);
            char[] password = PasswordInput.read(context, passwordStdin);
            try (StoreServices services = Offline.open(options.load(context), context)) {
                User user = services.accounts().add(parsedLogin, name, parsedRoles, password, ACTOR);
                context.out().println("created user " + user.id() + " login=" + user.login() + " roles="
                        + roles(user.roles()));
                if (!passwordStdin) {
                    context.out().println("password (shown once): " + new String(password));
                }
            }
            return Cli.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users, ordered by login.")
    static final class ListUsers implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;
        @Option(names = "--offset", defaultValue = "0") int offset;
        @Option(names = "--limit", defaultValue = "100") int limit;

        ListUsers(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            if (offset < 0 || limit < 1 || limit > 10_000) {
                throw new IllegalArgumentException("--offset must be >= 0 and --limit 1-10000");
            }
            try (StoreServices services = Offline.open(options.load(context), context)) {
                context.out().println(String.format("%-24s %-20s %-28s %-8s %s", "ID", "LOGIN", "ROLES", "ENABLED",
                        "NAME"));
                for (User user : services.accounts().list(offset, limit)) {
                    context.out().println(String.format("%-24s %-20s %-28s %-8s %s", user.id(), user.login(),
                            roles(user.roles()), user.enabled() ? "yes" : "no", user.displayName()));
                }
            }
            return Cli.OK;
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = "Set a user's account password (web sign-in; SIP and XMPP use device passwords).")
    static final class Passwd implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;
        @Parameters(index = "0", paramLabel = "LOGIN") String login;
        @Option(names = "--password-stdin", description = "read the password from standard input;"
                + " otherwise one is generated and printed once") boolean passwordStdin;

        Passwd(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Login parsedLogin = new Login(login);
            char[] password = PasswordInput.read(context, passwordStdin);
            try (StoreServices services = Offline.open(options.load(context), context)) {
                services.accounts().setPassword(parsedLogin, password, ACTOR);
                context.out().println("password set for " + parsedLogin);
                if (!passwordStdin) {
                    context.out().println("password (shown once): " + new String(password));
                }
            }
            return Cli.OK;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable a user: no sign-in, no tokens. A running server's open sessions end only when disabled over its REST API.")
    static final class Disable implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;
        @Parameters(index = "0", paramLabel = "LOGIN") String login;

        Disable(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            return setEnabled(context, options, login, false);
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a disabled user.")
    static final class Enable implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;
        @Parameters(index = "0", paramLabel = "LOGIN") String login;

        Enable(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            return setEnabled(context, options, login, true);
        }
    }

    static int setEnabled(CliContext context, ConfigOptions options, String login, boolean enabled) {
        Login parsedLogin = new Login(login);
        try (StoreServices services = Offline.open(options.load(context), context)) {
            services.accounts().setEnabled(parsedLogin, enabled, ACTOR);
            context.out().println((enabled ? "enabled " : "disabled ") + parsedLogin);
        }
        return Cli.OK;
    }

    @Command(name = "roles", mixinStandardHelpOptions = true,
            description = "Show a user's roles, or change them with --set, --add or --remove.")
    static final class Roles implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;
        @Parameters(index = "0", paramLabel = "LOGIN") String login;
        @Option(names = "--set", split = ",", paramLabel = "ROLE") List<String> set;
        @Option(names = "--add", split = ",", paramLabel = "ROLE") List<String> add;
        @Option(names = "--remove", split = ",", paramLabel = "ROLE") List<String> remove;

        Roles(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Login parsedLogin = new Login(login);
            if (set != null && (add != null || remove != null)) {
                throw new IllegalArgumentException("--set cannot be combined with --add or --remove");
            }
            try (StoreServices services = Offline.open(options.load(context), context)) {
                User user = services.accounts().require(parsedLogin);
                Set<Role> roles = EnumSet.noneOf(Role.class);
                roles.addAll(user.roles());
                if (set != null) {
                    roles = parseRoles(set);
                }
                if (add != null) {
                    roles.addAll(parseRoles(add));
                }
                if (remove != null) {
                    roles.removeAll(parseRoles(remove));
                }
                if (set != null || add != null || remove != null) {
                    user = services.accounts().setRoles(parsedLogin, roles, ACTOR);
                }
                context.out().println(user.login() + " roles=" + roles(user.roles()));
            }
            return Cli.OK;
        }
    }
}
