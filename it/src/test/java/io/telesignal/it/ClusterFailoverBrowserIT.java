package io.telesignal.it;

import static io.telesignal.it.WebApp.admitAndSeeEachOther;
import static io.telesignal.it.WebApp.calls;
import static io.telesignal.it.WebApp.chatShows;
import static io.telesignal.it.WebApp.providerStartsAndPatientWaits;
import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.server.testing.ClusterProcesses;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.testing.ServerProcess;
import io.telesignal.server.wiring.TelesignalServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test 3 of the high-availability issue in cluster mode: two nodes (processes) on a real Redis and PostgreSQL behind
 * Debian's HAProxy (PROXY protocol, health from /readyz); a provider and a patient in a video call in two Chromium
 * browsers, both on the first node, which is then killed with SIGKILL. Both pages resume their sessions on the other
 * node without a reload (no new session, the same endpoints): the patient stays in the call, not the waiting room, the
 * call goes on, the chat line sent just before the kill shows exactly once, chat crosses again, and the call can be
 * hung up and made again.
 */
class ClusterFailoverBrowserIT {
    @TempDir
    Path dir;
    private ClusterProcesses cluster;
    private String base;

    @BeforeEach
    void start() throws Exception {
        Assumptions.assumeTrue(Browser.available(), "no chromium");
        ClusterProcesses.requireHaproxy("ClusterFailoverBrowserIT");
        // every connection to node-a while it is up, to node-b once node-a's /readyz stops answering
        cluster = ClusterProcesses.start(dir, List.of("node-a", "node-b"), "first",
                Map.of("TELESIGNAL_CLUSTER_CLEANUP_GRACE", "10s"));
        base = "http://127.0.0.1:" + cluster.front();
        // the accounts, made with the server's own code in the database the nodes share
        TelesignalServer seed = LoopbackServer.start(dir.resolve("seed"), "store.url", cluster.database().url(),
                "store.username", cluster.database().username(), "store.schema",
                cluster.database().schema().orElseThrow(), "dataEncryption.key", ClusterProcesses.DATA_KEY);
        try {
            WebApp.addDocAndPat(seed.services().accounts());
        } finally {
            seed.stop();
        }
    }

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static long sessionsOpened(ServerProcess node) {
        return node.drainedLines().stream().filter(line -> line.contains("event=ws_session_opened")).count();
    }

    /** Whether node-b's log says it resumed the page's session. */
    private static boolean resumedOn(ServerProcess node, Browser browser) {
        String session = String.valueOf(browser.script("return telesignalApp.client.session"
                + " && telesignalApp.client.session.session;"));
        return node.drainedLines().stream().anyMatch(line -> line.contains("event=ws_session_resumed session=" + session));
    }

    private static Object endpoint(Browser browser) {
        return browser.script("return telesignalApp.client.endpoint;");
    }

    private static long occurrences(Browser browser, String text) {
        return ((Number) browser.script("return [...document.querySelectorAll('#chat-log li')]"
                + ".filter(li => li.textContent.includes(arguments[0])).length;", text)).longValue();
    }

    @Test
    void theNodeHoldingACallIsKilledAndBothPagesRecoverOnTheOther() throws Exception {
        try (Browser provider = Browser.open(); Browser patient = Browser.open()) {
            providerStartsAndPatientWaits(provider, patient, base);
            admitAndSeeEachOther(provider, patient);
            Map<Browser, Object> before = Map.of(provider, endpoint(provider), patient, endpoint(patient));

            patient.type("#chat-text", "the last line before the node died");
            patient.click("#chat-form button[type=submit]");
            chatShows(provider, "Pat Patient: the last line before the node died", patient);

            assertThat(sessionsOpened(cluster.node(0))).as("both pages on node-a before it dies").isEqualTo(2);
            assertThat(sessionsOpened(cluster.node(1))).isZero();
            cluster.node(0).kill();
            Duration recovery = Duration.ofSeconds(60);
            try {
                // both pages resume their sessions on node-b: the same endpoints, so the call they are in goes on
                // (its media is peer to peer; its signaling is back), and nothing has to be set up again
                for (Browser browser : new Browser[] {provider, patient}) {
                    browser.until(recovery, d -> "open".equals(browser.script(
                            "return telesignalApp.client.state;")) && resumedOn(cluster.node(1), browser) ? Boolean.TRUE
                                    : null);
                    assertThat(endpoint(browser)).isEqualTo(before.get(browser));
                }
                for (Browser[] pair : new Browser[][] {{provider, patient}, {patient, provider}}) {
                    Browser browser = pair[0];
                    Object peer = endpoint(pair[1]);
                    browser.until(recovery, d -> Boolean.TRUE.equals(browser.script("const f = document.querySelector("
                            + "'#videos figure[data-peer=\"' + arguments[0] + '\"]'); return !!f && f.dataset.connectionState"
                            + " === 'connected' && Number(f.dataset.framesDecoded || 0) > 0;", peer)) ? Boolean.TRUE : null);
                }
            } catch (org.openqa.selenium.TimeoutException e) {
                throw new AssertionError("the pages did not resume on the other node; provider: " + calls(provider)
                        + "; patient: " + calls(patient), e);
            }
            assertThat(patient.find("#call").isDisplayed()).as("the patient is in the call, not the waiting room").isTrue();
            for (Browser browser : new Browser[] {provider, patient}) {
                assertThat(occurrences(browser, "the last line before the node died")).as("chat line once").isEqualTo(1L);
                assertThat(((Number) browser.script("return document.querySelectorAll('#videos figure[data-peer]')"
                        + ".length;")).intValue()).as("one call, the same").isEqualTo(1);
            }
            assertThat(sessionsOpened(cluster.node(1))).as("no new session: both resumed on node-b").isZero();
            provider.type("#chat-text", "Still with you");
            provider.click("#chat-form button[type=submit]");
            chatShows(patient, "Dr Doc: Still with you", provider);
            patient.screenshot(Path.of("target", "screenshots", "patient-after-node-failover.png"));

            // on node-b the call can be hung up and made again: one page hangs up (the app has no control for it yet,
            // so through its SDK), both tiles go; the page that starts calls (the higher endpoint) calls again
            boolean providerStarts = ((String) endpoint(provider)).compareTo((String) endpoint(patient)) > 0;
            Browser caller = providerStarts ? provider : patient;
            Browser callee = providerStarts ? patient : provider;
            callee.script("telesignalApp.mesh.calls.get(arguments[0]).hangup();", endpoint(caller));
            for (Browser browser : new Browser[] {provider, patient}) {
                browser.until(Duration.ofSeconds(30), d -> ((Number) browser.script(
                        "return document.querySelectorAll('#videos figure[data-peer]').length;")).intValue() == 0
                        ? Boolean.TRUE : null);
            }
            caller.script("telesignalApp.mesh.ensure(arguments[0], false);", endpoint(callee));
            try {
                for (Browser[] pair : new Browser[][] {{provider, patient}, {patient, provider}}) {
                    Browser browser = pair[0];
                    Object peer = endpoint(pair[1]);
                    browser.until(Duration.ofSeconds(60), d -> Boolean.TRUE.equals(browser.script("const f ="
                            + " document.querySelector('#videos figure[data-peer=\"' + arguments[0] + '\"]'); return !!f"
                            + " && f.dataset.connectionState === 'connected' && Number(f.dataset.framesDecoded || 0) > 0;",
                            peer)) ? Boolean.TRUE : null);
                }
            } catch (org.openqa.selenium.TimeoutException e) {
                throw new AssertionError("the call was not made again on node-b; provider: " + calls(provider)
                        + "; patient: " + calls(patient), e);
            }
        }
    }
}
