package io.telesignal.server.cli;

import io.telesignal.core.audit.AuditVerifier;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code telesignal audit verify}: walks the hash chain; exit 0 when it holds (printing the count and the head hash, for
 * an operator to keep elsewhere), 1 at the first broken record.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Inspect the audit trail.",
        subcommands = AuditCommand.Verify.class)
final class AuditCommand {
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check that no audit record was edited, removed or re-ordered.")
    static final class Verify implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;

        Verify(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            io.telesignal.server.config.ServerConfig config = options.load(context);
            io.telesignal.server.logging.LoggingSetup.configure(config.logging().format(), "warn",
                    io.telesignal.server.logging.LoggingSetup.Target.STDERR);
            // read only: no migrations, no secrets generated; a store without the tables is an error
            try (io.telesignal.store.JdbcStore store = io.telesignal.store.JdbcStore.open(config.store())) {
                AuditVerifier.Verification result = new AuditVerifier().verify(store.auditLog());
                if (result.intact()) {
                    context.out().println("audit chain intact: " + result.recordsChecked() + " records, head "
                            + result.headHash());
                    return Cli.OK;
                }
                AuditVerifier.Break broken = result.firstBreak().orElseThrow();
                context.out().println("audit chain BROKEN at record " + broken.seq() + ": "
                        + broken.problem().name().toLowerCase(Locale.ROOT) + " (" + explain(broken.problem()) + "); "
                        + result.recordsChecked() + " records before it verified");
                return Cli.FAILED;
            }
        }

        private static String explain(AuditVerifier.Problem problem) {
            return switch (problem) {
                case HASH_MISMATCH -> "its contents were changed after it was written";
                case BROKEN_LINK -> "it does not follow the record before it: records were replaced or re-ordered";
                case GAP -> "it is missing: records were deleted";
                case TRUNCATED -> "the newest records were deleted";
                case HEAD_MISMATCH -> "the chain head does not match the last record";
            };
        }
    }
}
