package io.telesignal.server.testing;

import io.telesignal.server.config.ServerConfig;
import io.telesignal.server.wiring.TelesignalServer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The composed server as the in-process tests start it: on 127.0.0.1, an ephemeral port, plain HTTP (loopback
 * only), H2 in a test's own data directory, a short shutdown and a quiet console. Published in the server's
 * test-jar for the {@code it} module.
 */
public final class LoopbackServer {
    private LoopbackServer() {}

    /** Starts one; {@code settings} are extra configuration keys and values, in pairs, that win over the defaults. */
    public static TelesignalServer start(Path dataDir, String... settings) {
        if (settings.length % 2 != 0) {
            throw new IllegalArgumentException("settings come in key, value pairs");
        }
        Map<String, String> extra = new LinkedHashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            extra.put(settings[i], settings[i + 1]);
        }
        return start(dataDir, extra);
    }

    /** Starts one with extra configuration that wins over the defaults. */
    public static TelesignalServer start(Path dataDir, Map<String, String> settings) {
        Map<String, String> overrides = new LinkedHashMap<>(Map.of("dataDir", dataDir.toString(),
                "http.host", "127.0.0.1", "http.port", "0", "http.tls", "false", "shutdown.timeout", "2s",
                "management.port", "0"));
        overrides.putAll(settings);
        return TelesignalServer.start(ServerConfig.load(Optional.empty(), Map.of(), overrides), Clock.systemUTC(), false,
                new PrintStream(OutputStream.nullOutputStream()));
    }

    /** {@code http://127.0.0.1:<port>} of a started server. */
    public static String base(TelesignalServer server) {
        return "http://127.0.0.1:" + server.httpAddress().getPort();
    }
}
