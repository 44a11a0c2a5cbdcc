package io.telesignal.server.cli;

import io.telesignal.server.config.ServerConfig;
import io.telesignal.server.logging.LoggingSetup;
import io.telesignal.server.wiring.TelesignalServer;
import io.telesignal.net.http.ListenerBindException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs the server until SIGTERM/SIGINT, then stops it gracefully and exits 0. A watchdog ends the process with
 * exit code 1 should the stop hang well past the configured timeout.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the server.")
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    private final CliContext context;

    @Mixin
    ConfigOptions options;

    @Option(names = "--demo", description = "create demo users (patient, provider, interpreter, admin) and print"
            + " their passwords once")
    boolean demo;

    @Option(names = "--exit-when-started", hidden = true, description = "stop gracefully as soon as the server has"
            + " started (the build's class-data-sharing training run)")
    boolean exitWhenStarted;

    ServeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config = options.load(context);
        LoggingSetup.configure(config.logging().format(), config.logging().level(), LoggingSetup.Target.STDOUT);
        // the hook goes in before the server starts: a SIGTERM that arrives while it starts, or just after it said
        // it had, still gets a graceful stop and exit 0 (before, the JVM could die with 143 in that gap)
        java.util.concurrent.atomic.AtomicReference<TelesignalServer> running = new java.util.concurrent.atomic.AtomicReference<>();
        CountDownLatch startDone = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            Thread watchdog = new Thread(() -> {
                try {
                    Thread.sleep(config.shutdownTimeout().toMillis() + 10_000);
                    LOG.error("event=server_stopping outcome=hung action=halt");
                    Runtime.getRuntime().halt(Cli.FAILED);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "shutdown-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
            try {
                startDone.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            TelesignalServer server = running.get();
            if (server == null) {
                return; // it never started; call() reports why
            }
            server.stop();
            stopped.countDown();
            context.out().flush();
            // a JVM ended by SIGTERM exits 143 once its hooks return; a completed graceful stop is a success
            Runtime.getRuntime().halt(Cli.OK);
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            // a drain over the API ends the process the way SIGTERM does: through the hook, a graceful stop, exit 0
            running.set(TelesignalServer.start(config, context.clock(), demo, context.out(),
                    () -> new Thread(() -> System.exit(Cli.OK), "drain-exit").start()));
        } catch (ListenerBindException e) {
            String where = switch (e.listener()) {
                case "management" -> config.management().listener().host() + ":" + config.management().listener().port()
                        + " (management.host/management.port; management.enabled: false turns it off)";
                case "sip-udp" -> config.sip().host() + ":" + config.sip().udpPort() + " UDP (sip.host/sip.udpPort)";
                case "sip-tcp" -> config.sip().host() + ":" + config.sip().tcpPort() + " TCP (sip.host/sip.tcpPort)";
                default -> config.http().host() + ":" + config.http().port() + " (http.host/http.port)";
            };
            context.err().println("telesignal: cannot listen on " + where + ": address in use or not available");
            return Cli.FAILED;
        } finally {
            startDone.countDown();
        }
        if (exitWhenStarted) {
            System.exit(Cli.OK); // through the hook: a graceful stop, as after SIGTERM
        }
        stopped.await();
        return Cli.OK;
    }
}
