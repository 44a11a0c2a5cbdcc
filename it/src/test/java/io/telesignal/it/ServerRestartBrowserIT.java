package io.telesignal.it;

import static io.telesignal.it.WebApp.admitAndSeeEachOther;
import static io.telesignal.it.WebApp.calls;
import static io.telesignal.it.WebApp.chatShows;
import static io.telesignal.it.WebApp.providerStartsAndPatientWaits;
import static io.telesignal.it.WebApp.receivingVideo;
import static io.telesignal.it.WebApp.signIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.testing.Ports;
import io.telesignal.server.testing.ServerProcess;
import io.telesignal.server.wiring.TelesignalServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test 3 of the high-availability issue on a single node: a provider and a patient in a video call in two Chromium
 * browsers, and the server process is killed with SIGKILL mid-call, then started again on the same data directory and
 * port. Both pages recover without a reload: the patient is back in the call (not the waiting room), the call is made
 * again from the new connections and works, the chat line sent just before the kill is there exactly once, and the
 * call can be left and made again.
 */
class ServerRestartBrowserIT {
    private static final Path ARTIFACTS = Path.of("target", "screenshots");
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;
    private int port;
    private String base;
    private Map<String, String> env;

    @BeforeEach
    void accounts() throws Exception {
        Assumptions.assumeTrue(Browser.available(), "no chromium");
        // the accounts, made with the server's own code on the data directory the process then serves
        TelesignalServer seed = LoopbackServer.start(dataDir);
        try {
            WebApp.addDocAndPat(seed.services().accounts());
        } finally {
            seed.stop();
        }
        port = Ports.free();
        base = "http://127.0.0.1:" + port;
        env = Map.of("TELESIGNAL_HTTP_HOST", "127.0.0.1", "TELESIGNAL_HTTP_PORT", String.valueOf(port),
                "TELESIGNAL_HTTP_TLS", "false");
    }

    private ServerProcess serve() throws Exception {
        ServerProcess server = ServerProcess.start(env, "serve", "--data-dir", dataDir.toString());
        server.awaitLine(line -> line.contains("event=server_started"), START);
        return server;
    }

    @Test
    void aServerKilledMidCallComesBackAndBothPagesRecoverWithoutAReload() throws Exception {
        ServerProcess server = serve();
        try (Browser provider = Browser.open(); Browser patient = Browser.open()) {
            providerStartsAndPatientWaits(provider, patient, base);
            String link = patient.driver.getCurrentUrl();
            admitAndSeeEachOther(provider, patient);
            Map<Browser, Object> endpointBefore = Map.of(provider, endpoint(provider), patient, endpoint(patient));

            patient.type("#chat-text", "the last line before the crash");
            patient.click("#chat-form button[type=submit]");
            chatShows(provider, "Pat Patient: the last line before the crash", patient);

            server.kill();
            for (Browser browser : new Browser[] {provider, patient}) {
                browser.until(d -> statusText(browser).contains("Connection lost") ? Boolean.TRUE : null);
            }
            server = serve();

            // no reload: both pages rejoin on new sessions; the patient is straight back in the call
            Duration recovery = Duration.ofSeconds(60);
            try {
                for (Browser browser : new Browser[] {provider, patient}) {
                    // a new session's endpoint, and a call from it that connects and decodes video again
                    browser.until(recovery, d -> !endpoint(browser).equals(endpointBefore.get(browser))
                            && receivingVideo(browser) ? Boolean.TRUE : null);
                }
            } catch (org.openqa.selenium.TimeoutException e) {
                // what the restarted server said, for the failure's reader
                java.nio.file.Files.createDirectories(ARTIFACTS);
                java.nio.file.Files.write(ARTIFACTS.resolve("server-after-restart.log"), server.drainedLines());
                throw new AssertionError("the call did not come back (the server's log: "
                        + ARTIFACTS.resolve("server-after-restart.log") + "); provider: " + calls(provider)
                        + "; patient: " + calls(patient), e);
            }
            assertThat(patient.find("#call").isDisplayed()).as("the patient is in the call, not the waiting room").isTrue();
            for (Browser browser : new Browser[] {provider, patient}) {
                browser.until(d -> statusText(browser).equals("In the consultation.") ? Boolean.TRUE : null);
                // one tile per peer: no call is left to the endpoint from before the crash
                assertThat(browser.script("return document.querySelectorAll('#videos figure[data-peer]').length;"))
                        .as(String.valueOf(calls(browser))).isEqualTo(1L);
                assertThat(occurrences(browser, "the last line before the crash")).as("chat line once").isEqualTo(1L);
            }
            patient.screenshot(ARTIFACTS.resolve("patient-after-server-restart.png"));

            // chat works both ways on the new sessions
            provider.type("#chat-text", "You are back");
            provider.click("#chat-form button[type=submit]");
            chatShows(patient, "Dr Doc: You are back", provider);

            // the call can be left and made again: the patient leaves, opens the link again, and is admitted
            patient.click("#leave");
            patient.shows("done");
            provider.until(d -> ((Number) provider.script(
                    "return document.querySelectorAll('#videos figure[data-peer]').length;")).intValue() == 0
                    ? Boolean.TRUE : null);
            patient.get(link);
            signIn(patient, "pat", "pat's long password");
            patient.shows("precall");
            patient.click("#join");
            patient.shows("waiting");
            admitAndSeeEachOther(provider, patient);
        } finally {
            server.terminate(Duration.ofSeconds(30));
        }
    }

    private static Object endpoint(Browser browser) {
        return browser.script("return telesignalApp.client.endpoint;");
    }

    private static String statusText(Browser browser) {
        return String.valueOf(browser.script("return document.getElementById('status').textContent;"));
    }

    private static long occurrences(Browser browser, String text) {
        return ((Number) browser.script("return [...document.querySelectorAll('#chat-log li')]"
                + ".filter(li => li.textContent.includes(arguments[0])).length;", text)).longValue();
    }
}
