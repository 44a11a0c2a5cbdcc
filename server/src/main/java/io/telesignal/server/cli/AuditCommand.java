package io.telesignal.server.cli;

import io.telesignal.core.audit.AuditVerifier;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code telesignal audit verify [--anchor FILE]}: walks the hash chain; exit 0 when it holds (printing the count and
 * the head hash), 1 at the first broken record, or when the chain no longer matches an anchor. {@code telesignal audit
 * anchor --out FILE}: writes the verified head, signed with the server's token key, for an operator to ship elsewhere.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Inspect the audit trail.",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Anchor.class})
final class AuditCommand {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    @Command(name = "anchor", mixinStandardHelpOptions = true, description = "Write the verified chain head, signed with"
            + " the server's key, to a file to keep elsewhere (a later verify --anchor proves nothing before it changed).")
    static final class Anchor implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;
        @picocli.CommandLine.Option(names = "--out", required = true, description = "the anchor file to write")
        java.nio.file.Path out;

        Anchor(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() throws java.io.IOException {
            io.telesignal.server.config.ServerConfig config = options.load(context);
            try (io.telesignal.server.wiring.StoreServices services = Offline.open(config, context)) {
                AuditVerifier.Verification result = new AuditVerifier().verify(services.store().auditLog());
                if (!result.intact()) {
                    context.err().println("telesignal: the audit chain is broken; run audit verify [audit_broken]");
                    return Cli.FAILED;
                }
                String jws = services.tokens().signAnchor(result.recordsChecked(), result.headHash(), config.nodeId());
                var anchor = JSON.createObjectNode().put("records", result.recordsChecked())
                        .put("head", result.headHash()).put("node", config.nodeId())
                        .put("at", context.clock().instant().toString()).put("signed", jws);
                java.nio.file.Files.writeString(out, anchor.toPrettyString() + "\n");
                context.out().println("anchor written to " + out + ": " + result.recordsChecked() + " records, head "
                        + result.headHash());
            }
            return Cli.OK;
        }
    }
    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check that no audit record was edited, removed or re-ordered.")
    static final class Verify implements Callable<Integer> {
        private final CliContext context;
        @Mixin ConfigOptions options;
        @picocli.CommandLine.Option(names = "--anchor", description = "also check the chain against an anchor file"
                + " (audit anchor): the records it covers must be the ones it signed") java.nio.file.Path anchor;

        Verify(CliContext context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            io.telesignal.server.config.ServerConfig config = options.load(context);
            io.telesignal.server.logging.LoggingSetup.configure(config.logging().format(), "warn",
                    io.telesignal.server.logging.LoggingSetup.Target.STDERR);
            // read only: no migrations, no secrets generated; a store without the tables is an error
            try (io.telesignal.store.JdbcStore store = io.telesignal.store.JdbcStore.open(io.telesignal.server.wiring.StoreServices.jdbc(config))) {
                AuditVerifier.Verification result = new AuditVerifier().verify(store.auditLog());
                if (result.intact()) {
                    context.out().println("audit chain intact: " + result.recordsChecked() + " records, head "
                            + result.headHash());
                    return anchor == null ? Cli.OK : checkAnchor(config, store);
                }
                AuditVerifier.Break broken = result.firstBreak().orElseThrow();
                context.out().println("audit chain BROKEN at record " + broken.seq() + ": "
                        + broken.problem().name().toLowerCase(Locale.ROOT) + " (" + explain(broken.problem()) + "); "
                        + result.recordsChecked() + " records before it verified");
                return Cli.FAILED;
            }
        }

        /** The anchor is signed by this server's key and the chain still holds its head at its place. */
        private int checkAnchor(io.telesignal.server.config.ServerConfig config, io.telesignal.store.JdbcStore store) {
            io.telesignal.core.auth.TokenService.AnchorClaims claims;
            try (io.telesignal.server.wiring.StoreServices services = Offline.open(config, context)) {
                String jws = JSON.readTree(java.nio.file.Files.readString(anchor)).path("signed").asText();
                claims = services.tokens().verifyAnchor(jws).orElse(null);
            } catch (java.io.IOException e) {
                context.err().println("telesignal: cannot read the anchor " + anchor + " [anchor_unreadable]");
                return Cli.FAILED;
            }
            if (claims == null) {
                context.out().println("anchor NOT VALID: not signed by this server's key, or altered");
                return Cli.FAILED;
            }
            java.util.List<io.telesignal.core.audit.AuditRecord> at = claims.records() == 0 ? java.util.List.of()
                    : store.auditLog().read(claims.records() - 1, 1);
            String hash = claims.records() == 0 ? io.telesignal.core.audit.AuditChain.GENESIS
                    : at.isEmpty() ? null : at.get(0).hash();
            if (!claims.headHash().equals(hash)) {
                context.out().println("audit chain does NOT MATCH the anchor of " + claims.at() + ": record "
                        + claims.records() + " was " + claims.headHash() + ", is " + (hash == null ? "missing" : hash)
                        + " (the records up to it were rewritten)");
                return Cli.FAILED;
            }
            context.out().println("anchor of " + claims.at() + " matches: the first " + claims.records()
                    + " records are the ones it signed");
            return Cli.OK;
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
