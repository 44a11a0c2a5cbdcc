package io.telesignal.server.cli;

import io.telesignal.net.tls.TlsContexts;
import io.telesignal.server.config.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code telesignal drain}: asks a running node, over its API, to go away as SIGTERM would (its clients are told to
 * reconnect elsewhere, then it stops). The node is found from the configuration (this host, {@code http.port}) or
 * {@code --url}; the administrator's token comes on standard input, never
 * on the command line. Over HTTPS the node's certificate is trusted from {@code tls.certificate}, or the one it
 * generated in the data directory, or the system's trust store.
 */
@Command(name = "drain", mixinStandardHelpOptions = true,
        description = "Drain a running node: its clients move to other nodes, then it stops.")
final class DrainCommand implements Callable<Integer> {
    private final CliContext context;
    @Mixin ConfigOptions options;

    @Option(names = "--url", description = "the node's base URL (default: this host, http.port, https unless http.tls is"
            + " false)")
    String url;

    @Option(names = "--credential-stdin", required = true,
            description = "read the administrator's access token from standard input")
    boolean credentialStdin;

    DrainCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config = options.load(context);
        String credential = context.in().readLine();
        if (credential == null || credential.isBlank()) {
            throw new IllegalArgumentException("--credential-stdin: no API key or token on standard input");
        }
        boolean tls = config.http().tls();
        String host = config.http().host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1"; // listening everywhere: here is as good as anywhere
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        String base = url != null ? url : (tls ? "https" : "http") + "://" + host + ":" + config.http().port();
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (base.startsWith("https:")) {
            Path certificate = config.tls().certificate()
                    .orElse(config.dataDir().resolve("tls").resolve("selfsigned-cert.pem"));
            if (Files.isReadable(certificate)) {
                client.sslContext(TlsContexts.trustingOnly(certificate));
            }
        }
        HttpResponse<String> answer;
        try {
            answer = client.build().send(HttpRequest.newBuilder(URI.create(base + "/api/v1/node/drain"))
                    .header("Authorization", "Bearer " + credential.trim()).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            context.err().println("telesignal: the node at " + base + " did not answer in time: it may be draining"
                    + " already; check its /readyz");
            return Cli.FAILED;
        } catch (IOException e) {
            context.err().println("telesignal: cannot reach the node at " + base + " (" + e.getClass().getSimpleName()
                    + "); behind a proxy that speaks the PROXY protocol, or with a certificate for another name, give"
                    + " --url");
            return Cli.FAILED;
        }
        if (answer.statusCode() != 202) {
            context.err().println("telesignal: the node refused to drain: HTTP " + answer.statusCode() + " "
                    + answer.body());
            return Cli.FAILED;
        }
        context.out().println("draining: " + answer.body());
        return Cli.OK;
    }
}
