package io.telesignal.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.server.config.ServerConfig;
import io.telesignal.server.wiring.TelesignalServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A patient and a provider in two real Chromium browsers, through the web app the server serves: sign-in,
 * pre-call check, waiting room, admission, a video call that connects and decodes frames, chat both ways.
 */
class ConsultationBrowserIT {
    private static final Path ARTIFACTS = Path.of("target", "screenshots");
    @TempDir
    Path dataDir;
    private TelesignalServer server;
    private String base;

    @BeforeEach
    void start() {
        Assumptions.assumeTrue(Browser.available(), "no chromium");
        server = TelesignalServer.start(ServerConfig.load(Optional.empty(), Map.of(), Map.of("dataDir", dataDir.toString(),
                "http.host", "127.0.0.1", "http.port", "0", "http.tls", "false", "shutdown.timeout", "2s")),
                Clock.systemUTC(), false, new PrintStream(java.io.OutputStream.nullOutputStream()));
        base = "http://127.0.0.1:" + server.httpAddress().getPort();
        var accounts = server.services().accounts();
        accounts.add(new Login("doc"), "Dr Doc", Set.of(Role.PROVIDER), "doc's long password".toCharArray(), "it");
        accounts.add(new Login("pat"), "Pat Patient", Set.of(Role.PATIENT), "pat's long password".toCharArray(), "it");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private static void signIn(Browser browser, String login, String password) {
        browser.type("#login", login);
        browser.type("#password", password);
        browser.click("#password-form button[type=submit]");
    }

    /** A remote tile whose call is connected and has decoded video frames. */
    private static boolean receivingVideo(Browser browser) {
        Object ok = browser.script("return [...document.querySelectorAll('#videos figure[data-peer]')].some(f =>"
                + " f.dataset.connectionState === 'connected' && Number(f.dataset.framesDecoded || 0) > 0);");
        return Boolean.TRUE.equals(ok);
    }

    private static void chatShows(Browser reader, String line, Browser writer) {
        try {
            reader.until(d -> Boolean.TRUE.equals(reader.script(
                    "return document.getElementById('chat-log').textContent.includes(arguments[0]);", line)) ? Boolean.TRUE : null);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("chat line missing: " + line + "; reader: " + calls(reader) + "; reader log: " + reader.script(
                    "return document.getElementById('chat-log').textContent + ' / ' + document.getElementById('status').textContent"
                    + " + ' / requests ' + JSON.stringify(window.telesignalApp.client.counts);")
                    + "; writer log: " + writer.script("return document.getElementById('chat-log').textContent + ' / '"
                    + " + document.getElementById('status').textContent + ' / ' + document.getElementById('chat-text').value"
                    + " + ' / requests ' + JSON.stringify(window.telesignalApp.client.counts);") + "; writer: " + calls(writer), e);
        }
    }

    /** What the page's calls look like, for a failure message. */
    private static Object calls(Browser browser) {
        return browser.script("const a = window.telesignalApp; return JSON.stringify({self: a.self, client: a.client && a.client.state,"
                + " status: document.getElementById('status').textContent,"
                + " calls: a.mesh ? [...a.mesh.calls].map(([peer, c]) => ({peer, polite: c.polite, signaling: c.pc.signalingState,"
                + " ice: c.pc.iceConnectionState, connection: c.pc.connectionState})) : null,"
                + " tiles: [...document.querySelectorAll('#videos figure[data-peer]')].map(f => ({...f.dataset}))});");
    }

    /** The provider signs in, starts a consultation with pat and joins; pat opens its link, signs in and waits. */
    private void providerStartsAndPatientWaits(Browser provider, Browser patient) {
        provider.get(base + "/");
        signIn(provider, "doc", "doc's long password");
        provider.shows("start");
        provider.type("#patient-login", "pat");
        provider.click("#start-form button[type=submit]");
        provider.shows("precall");
        provider.click("#join");
        provider.shows("call");
        String link = provider.until(d -> {
            String href = d.findElement(org.openqa.selenium.By.id("share-link")).getAttribute("href");
            return href != null && href.contains("?c=") ? href : null;
        });
        patient.get(link);
        signIn(patient, "pat", "pat's long password");
        patient.shows("precall");
        patient.click("#join");
        patient.shows("waiting");
    }

    @Test
    void patientWaitsProviderAdmitsVideoFlowsBothWaysAndChatToo() throws Exception {
        try (Browser provider = Browser.open(); Browser patient = Browser.open()) {
            providerStartsAndPatientWaits(provider, patient);

            provider.click("#waiting-list button:first-of-type");
            patient.shows("call");

            Duration media = Duration.ofSeconds(45);
            try {
                provider.until(media, d -> receivingVideo(provider) ? Boolean.TRUE : null);
                patient.until(media, d -> receivingVideo(patient) ? Boolean.TRUE : null);
            } catch (org.openqa.selenium.TimeoutException e) {
                throw new AssertionError("no video both ways; provider: " + calls(provider) + "; patient: " + calls(patient), e);
            }

            patient.type("#chat-text", "I can see you");
            patient.click("#chat-form button[type=submit]");
            chatShows(provider, "Pat Patient: I can see you", patient);
            provider.type("#chat-text", "Good, let us begin");
            provider.click("#chat-form button[type=submit]");
            chatShows(patient, "Dr Doc: Good, let us begin", provider);

            patient.screenshot(ARTIFACTS.resolve("patient-call.png"));
            provider.screenshot(ARTIFACTS.resolve("provider-call.png"));
            assertThat(receivingVideo(patient)).isTrue();
            assertThat(receivingVideo(provider)).isTrue();
        }
    }

    /** Remote tiles whose calls are connected and decode video. */
    private static long tilesReceivingVideo(Browser browser) {
        Object n = browser.script("return [...document.querySelectorAll('#videos figure[data-peer]')].filter(f =>"
                + " f.dataset.connectionState === 'connected' && Number(f.dataset.framesDecoded || 0) > 0).length;");
        return ((Number) n).longValue();
    }

    @Test
    void anInterpreterJoinsByInviteLinkAndAllThreeSeeEachOther() throws Exception {
        try (Browser provider = Browser.open(); Browser patient = Browser.open(); Browser interpreter = Browser.open()) {
            providerStartsAndPatientWaits(provider, patient);
            provider.click("#waiting-list button:first-of-type");
            patient.shows("call");

            provider.click("#invite");
            String invite = provider.until(d -> d.findElement(org.openqa.selenium.By.id("invite-link")).getAttribute("data-link"));
            interpreter.get(invite);
            interpreter.shows("guest");
            interpreter.type("#guest-name", "Ines Interpreter");
            interpreter.click("#guest-form button[type=submit]");
            interpreter.shows("precall");
            interpreter.click("#join");
            interpreter.shows("waiting");
            provider.until(d -> d.findElement(org.openqa.selenium.By.id("waiting-list")).getText().contains("Ines Interpreter")
                    ? Boolean.TRUE : null);
            provider.click("#waiting-list button:first-of-type");
            interpreter.shows("call");

            Duration media = Duration.ofSeconds(60);
            for (Browser browser : new Browser[] {provider, patient, interpreter}) {
                try {
                    browser.until(media, d -> tilesReceivingVideo(browser) == 2 ? Boolean.TRUE : null);
                } catch (org.openqa.selenium.TimeoutException e) {
                    throw new AssertionError("no three-way video; provider: " + calls(provider) + "; patient: "
                            + calls(patient) + "; interpreter: " + calls(interpreter), e);
                }
            }
            interpreter.screenshot(ARTIFACTS.resolve("interpreter-three-way.png"));

            // the same invite link works once only
            try (Browser again = Browser.open()) {
                again.get(invite);
                again.type("#guest-name", "Someone Else");
                again.click("#guest-form button[type=submit]");
                again.until(d -> d.findElement(org.openqa.selenium.By.id("status")).getText().contains("already been used")
                        ? Boolean.TRUE : null);
            }
        }
    }

    @Test
    void aDeniedPatientIsToldSo() throws Exception {
        try (Browser provider = Browser.open(); Browser patient = Browser.open()) {
            providerStartsAndPatientWaits(provider, patient);

            provider.click("#waiting-list button:nth-of-type(2)");
            patient.shows("done");
            assertThat(patient.find("#done-reason").getText()).contains("could not admit you");
            patient.screenshot(ARTIFACTS.resolve("patient-denied.png"));
        }
    }
}
