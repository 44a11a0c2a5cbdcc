package io.telesignal.server.cli;

import io.telesignal.core.DomainException;
import io.telesignal.server.config.ConfigException;
import io.telesignal.server.wiring.Version;
import java.lang.reflect.Constructor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Spec;

/** The {@code telesignal} command and how its failures become one line and an exit code. */
@Command(name = "telesignal", mixinStandardHelpOptions = true, versionProvider = Cli.VersionProvider.class,
        description = "Signaling server for telemedicine and remote patient monitoring.",
        subcommands = {ServeCommand.class, UserCommand.class, DeviceCommand.class, TokenCommand.class, ApiKeyCommand.class,
                KeysCommand.class, AuditCommand.class,
                MigrateCommand.class, DrainCommand.class})
public final class Cli implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static int run(CliContext context, String... args) {
        CommandLine line = new CommandLine(new Cli(), new ContextFactory(context));
        line.setOut(new java.io.PrintWriter(context.out(), true));
        line.setErr(new java.io.PrintWriter(context.err(), true));
        line.setExecutionExceptionHandler((failure, commandLine, parsed) -> {
            if (failure instanceof ConfigException config) {
                context.err().println("telesignal: configuration error: " + config.getMessage());
                return USAGE;
            }
            if (failure instanceof DomainException domain) {
                context.err().println("telesignal: " + domain.getMessage() + " [" + domain.code() + "]");
                return FAILED;
            }
            if (failure instanceof io.telesignal.net.tls.TlsConfigurationException tls) {
                context.err().println("telesignal: configuration error: " + tls.getMessage());
                return USAGE;
            }
            if (failure instanceof java.io.UncheckedIOException io) {
                context.err().println("telesignal: " + io.getMessage() + " (" + io.getCause().getClass().getSimpleName()
                        + ")");
                return FAILED;
            }
            if (failure instanceof IllegalArgumentException invalid) {
                context.err().println("telesignal: " + invalid.getMessage());
                return USAGE;
            }
            throw failure;
        });
        return line.execute(args);
    }

    public static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"telesignal " + Version.current()};
        }
    }

    /** Builds commands, handing {@link CliContext} to those that take it. */
    private static final class ContextFactory implements CommandLine.IFactory {
        private final CliContext context;
        private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

        ContextFactory(CliContext context) {
            this.context = context;
        }

        @Override
        public <K> K create(Class<K> type) throws Exception {
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0] == CliContext.class) {
                    constructor.setAccessible(true);
                    return type.cast(constructor.newInstance(context));
                }
            }
            return fallback.create(type);
        }
    }
}
