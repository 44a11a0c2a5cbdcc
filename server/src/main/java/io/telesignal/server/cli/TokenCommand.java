package io.telesignal.server.cli;

import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.auth.IssuedToken;
import io.telesignal.core.directory.UserNotFoundException;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.User;
import io.telesignal.server.wiring.StoreServices;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code telesignal token issue}: an access token for a user, printed alone on standard output. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Issue access tokens.",
        subcommands = TokenCommand.Issue.class)
final class TokenCommand {
    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = "Print a signed access token for an enabled user.")
    static final class Issue implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;
        @Option(names = "--user", required = true, paramLabel = "LOGIN") String login;
        @Option(names = "--ttl", paramLabel = "DURATION", description = "lifetime, e.g. 15m, 2h (default: tokens.ttl)")
        String ttl;

        Issue(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            Login parsedLogin = new Login(login);
            Optional<Duration> lifetime = Optional.ofNullable(ttl).map(Issue::parseTtl);
            try (StoreServices services = Offline.open(options.load(context), context)) {
                User user = services.accounts().find(parsedLogin)
                        .orElseThrow(() -> new UserNotFoundException(parsedLogin.value()));
                if (!user.enabled()) {
                    services.audit().recordNow(AuditEvent.of("token.issued", UserCommand.ACTOR, Outcome.DENIED)
                            .subject(user.id().value()).reason("account_disabled"));
                    context.err().println("telesignal: user " + parsedLogin + " is disabled [account_disabled]");
                    return Cli.FAILED;
                }
                IssuedToken token = services.tokens().issue(user.id(), user.roles(), lifetime);
                services.audit().recordNow(AuditEvent.of("token.issued", UserCommand.ACTOR, Outcome.OK)
                        .subject(user.id().value()));
                context.out().println(token.jwt());
                context.err().println("token for " + parsedLogin + " (" + user.id() + ") expires "
                        + token.claims().expiresAt());
            }
            return Cli.OK;
        }

        private static Duration parseTtl(String text) {
            return io.telesignal.core.Durations.parse(text).orElseThrow(() -> new IllegalArgumentException(
                    "--ttl: not a duration (use e.g. 90s, 15m, 2h, 1d): " + text));
        }
    }
}
