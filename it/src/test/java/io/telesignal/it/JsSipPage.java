package io.telesignal.it;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A browser SIP phone written with JsSIP, the npm library as a telehealth team installs it: {@code npm install jssip},
 * bundled for the browser with esbuild (JsSIP ships CommonJS only). The bundle is made once under
 * {@code target/jssip} and served, with the page {@code jssip/phone.html}, from a loopback HTTP server of its own, so
 * the page's origin is not telesignal's. Without npm (or the npm registry) under CI the test fails; elsewhere it is
 * skipped with a loud message.
 */
final class JsSipPage implements AutoCloseable {
    static final String JSSIP = "jssip@3.13.8";
    static final String ESBUILD = "esbuild@0.28.2";
    private static final Path WORK = Path.of("target", "jssip");

    private final HttpServer server;

    private JsSipPage(HttpServer server) {
        this.server = server;
    }

    /** The bundle, made now if it is not there yet; {@code null} (after a loud message) when npm cannot make it. */
    static Path bundle() throws Exception {
        Path bundle = WORK.resolve("jssip.js");
        if (Files.isRegularFile(bundle)) {
            return bundle;
        }
        Files.createDirectories(WORK);
        String failure = run(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", ".", JSSIP, ESBUILD));
        if (failure == null) {
            failure = run(List.of("node_modules/.bin/esbuild", "node_modules/jssip/lib/JsSIP.js", "--bundle", "--format=iife",
                    "--global-name=JsSIP", "--outfile=jssip.js"));
        }
        if (failure != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("the JsSIP bundle could not be made under CI (npm and the npm registry are needed): "
                        + failure);
            }
            System.err.println("!!! JsSIP browser test skipped: " + failure + " !!!");
            return null;
        }
        return bundle;
    }

    private static String run(List<String> command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                    .redirectOutput(WORK.resolve("build.log").toFile()).start();
        } catch (java.io.IOException e) {
            return command.get(0) + " did not start: " + e.getMessage();
        }
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return String.join(" ", command) + " took more than 5 minutes";
        }
        return process.exitValue() == 0 ? null
                : String.join(" ", command) + " failed: " + Files.readString(WORK.resolve("build.log"));
    }

    /** Serves the page and the bundle on a free loopback port. */
    static JsSipPage serve(Path bundle) throws Exception {
        byte[] script = Files.readAllBytes(bundle);
        byte[] page;
        try (InputStream in = JsSipPage.class.getClassLoader().getResourceAsStream("jssip/phone.html")) {
            page = in.readAllBytes();
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = path.equals("/jssip.js") ? script : path.equals("/") ? page : null;
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.getResponseHeaders().set("Content-Type",
                        (path.endsWith(".js") ? "text/javascript" : "text/html") + "; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        return new JsSipPage(server);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Opens the page in {@code browser} and registers {@code user} over {@code webSocket} with its device password. */
    void register(Browser browser, String webSocket, String user, String domain, String password) {
        browser.get(url());
        browser.until(d -> Boolean.TRUE.equals(browser.script("return typeof window.phone === 'object' && typeof JsSIP === 'object';"))
                ? Boolean.TRUE : null);
        browser.script("phone.start(arguments[0], arguments[1], arguments[2]);", webSocket, "sip:" + user + "@" + domain, password);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
