package io.telesignal.it;

import static io.telesignal.it.WebApp.admitAndSeeEachOther;
import static io.telesignal.it.WebApp.assertAccessible;
import static io.telesignal.it.WebApp.calls;
import static io.telesignal.it.WebApp.chatShows;
import static io.telesignal.it.WebApp.providerStarts;
import static io.telesignal.it.WebApp.providerStartsAndPatientWaits;
import static io.telesignal.it.WebApp.receivingVideo;
import static io.telesignal.it.WebApp.signIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.server.config.ServerConfig;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
    private String apiKey;
    private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        Assumptions.assumeTrue(Browser.available(), "no chromium");
        server = LoopbackServer.start(dataDir);
        base = LoopbackServer.base(server);
        WebApp.addDocAndPat(server.services().accounts());
        apiKey = server.services().apiKeys().create("it", "it").secret();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** An operator's call to the REST API with the API key; it must succeed. */
    private void operator(String path) throws Exception {
        var answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
    }

    @Test
    void patientWaitsProviderAdmitsVideoFlowsBothWaysAndChatToo() throws Exception {
        try (Browser provider = Browser.open(); Browser patient = Browser.open()) {
            provider.get(base + "/");
            assertAccessible(provider, "sign-in");
            providerStartsAndPatientWaits(provider, patient, base);
            assertAccessible(patient, "waiting room");
            assertAccessible(provider, "call, provider with a patient waiting");
            admitAndSeeEachOther(provider, patient);
            assertAccessible(patient, "call, patient");

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

            // mid-call the patient switches microphone and camera: new tracks on the call, the old ones stopped
            patient.click("#devices summary");
            for (String[] device : new String[][] {{"call-microphone", "audio"}, {"call-camera", "video"}}) {
                String before = sentTrack(patient, device[1]);
                Object switched = patient.script("const s = document.getElementById(arguments[0]);"
                        + " if (s.options.length === 0) return 'no devices listed';"
                        + " s.selectedIndex = (s.selectedIndex + 1) % s.options.length;"
                        + " s.dispatchEvent(new Event('change')); return s.options.length;", device[0]);
                assertThat(switched).as("devices in #" + device[0]).isInstanceOf(Number.class);
                patient.until(d -> !sentTrack(patient, device[1]).equals(before) ? Boolean.TRUE : null);
                assertThat(patient.script("const t = telesignalApp.stream.getTracks().find(t => t.kind === arguments[0]);"
                        + " return t.getSettings().deviceId === document.getElementById(arguments[1]).value;", device[1],
                        device[0])).as("the track comes from the device chosen in #" + device[0]).isEqualTo(Boolean.TRUE);
                assertThat(patient.script("return telesignalApp.stream.getTracks().filter(t => t.kind === arguments[0])"
                        + ".map(t => t.readyState).join();", device[1])).isEqualTo("live");
            }
            long frames = framesDecoded(provider);
            provider.until(d -> framesDecoded(provider) > frames + 10 ? Boolean.TRUE : null);
        }
    }

    /** The id and state of the track the patient's (only) call sends of a kind. */
    private static String sentTrack(Browser browser, String kind) {
        return String.valueOf(browser.script("const call = [...telesignalApp.mesh.calls.values()][0];"
                + " const sender = call.pc.getSenders().find(s => s.track && s.track.kind === arguments[0]);"
                + " return sender ? sender.track.id + '/' + sender.track.readyState : 'none';", kind));
    }

    private static long framesDecoded(Browser browser) {
        Object n = browser.script("return Math.max(0, ...[...document.querySelectorAll('#videos figure[data-peer]')]"
                + ".map(f => Number(f.dataset.framesDecoded || 0)));");
        return ((Number) n).longValue();
    }

    private static String iceUfrag(Browser browser, boolean local) {
        return String.valueOf(browser.script("const call = [...telesignalApp.mesh.calls.values()][0];"
                + " const d = arguments[0] ? call.pc.localDescription : call.pc.remoteDescription;"
                + " const m = d && /a=ice-ufrag:(\\S+)/.exec(d.sdp); return m ? m[1] : '';", local));
    }

    /**
     * Test 3 of the issue, on a phone-sized screen: the server cuts the patient's connection mid-call (the operator
     * API's disconnect); while the patient is away the provider sends chat and the patient writes one too; the SDK
     * resumes the same session, everything arrives once, and the call never drops. Then the patient's network
     * "changes" and the call restarts ICE and stays up.
     */
    @Test
    void theCallSurvivesACutConnectionAndANetworkChangeOnAPhoneSizedScreen() throws Exception {
        try (Browser provider = Browser.open(); Browser patient = Browser.open()) {
            patient.phoneSized();
            providerStartsAndPatientWaits(provider, patient, base);
            admitAndSeeEachOther(provider, patient);
            assertThat(patient.script("return document.documentElement.scrollWidth <= window.innerWidth;"))
                    .as("no sideways scrolling on a phone").isEqualTo(Boolean.TRUE);
            patient.screenshot(ARTIFACTS.resolve("patient-call-phone.png"));

            String session = String.valueOf(patient.script("return telesignalApp.client.session.session;"));
            // hold the patient's reconnection until the test lets it go: the network is "down" meanwhile
            patient.script("const c = telesignalApp.client; const open = c.open.bind(c); window.resumes = [];"
                    + " c.addEventListener('welcome', e => resumes.push(e.detail.resumed));"
                    + " window.held = new Promise(r => window.release = r);"
                    + " c.open = (resuming) => window.held.then(() => open(resuming));");
            operator("/api/v1/sessions/" + session + "/disconnect");
            patient.until(d -> patient.find("#status").getText().contains("Restoring") ? Boolean.TRUE : null);

            for (int i = 1; i <= 3; i++) {
                provider.type("#chat-text", "while you were away " + i);
                provider.click("#chat-form button[type=submit]");
                chatShows(provider, "Dr Doc: while you were away " + i, patient);
            }
            patient.type("#chat-text", "sent while offline");
            patient.click("#chat-form button[type=submit]");
            assertThat(patient.script("return document.getElementById('chat-log').textContent;")).asString()
                    .doesNotContain("while you were away");

            patient.script("window.release();");
            patient.until(d -> "open".equals(patient.script("return telesignalApp.client.state;")) ? Boolean.TRUE : null);
            chatShows(provider, "Pat Patient: sent while offline", patient);
            for (int i = 1; i <= 3; i++) {
                chatShows(patient, "Dr Doc: while you were away " + i, provider);
            }
            assertThat(patient.script("return [...document.querySelectorAll('#chat-log li')].map(li => li.textContent)"
                    + ".filter(t => t.includes('while you were away')).length;")).isEqualTo(3L);
            assertThat(provider.script("return [...document.querySelectorAll('#chat-log li')].map(li => li.textContent)"
                    + ".filter(t => t.includes('sent while offline')).length;")).isEqualTo(1L);
            assertThat(patient.script("return telesignalApp.client.session.session;")).isEqualTo(session);
            assertThat(patient.script("return window.resumes;")).isEqualTo(java.util.List.of(true));
            long frames = framesDecoded(patient);
            patient.until(d -> framesDecoded(patient) > frames + 10 ? Boolean.TRUE : null);
            assertThat(receivingVideo(patient)).isTrue();
            assertThat(receivingVideo(provider)).isTrue();

            // a network change restarts ICE: new credentials on both sides, and the call is connected again
            String ufrag = iceUfrag(patient, true);
            patient.script("window.dispatchEvent(new Event('online'));");
            try {
                patient.until(Duration.ofSeconds(30), d -> !iceUfrag(patient, true).equals(ufrag)
                        && iceUfrag(provider, false).equals(iceUfrag(patient, true)) && receivingVideo(patient)
                        && receivingVideo(provider) ? Boolean.TRUE : null);
            } catch (org.openqa.selenium.TimeoutException e) {
                throw new AssertionError("no ICE restart; provider: " + calls(provider) + "; patient: " + calls(patient), e);
            }
            assertThat(patient.script("return [...telesignalApp.mesh.calls.values()][0].restarts;")).isEqualTo(1L);
            long after = framesDecoded(provider);
            provider.until(d -> framesDecoded(provider) > after + 10 ? Boolean.TRUE : null);

            // an operator ends the patient's session (4410): the page says so, and camera and calls stop
            operator("/api/v1/sessions/" + session + "/end");
            patient.shows("done");
            assertThat(patient.find("#done-reason").getText()).contains("ended by the service");
            assertThat(patient.script("return telesignalApp.mesh === null"
                    + " && telesignalApp.stream.getTracks().every(t => t.readyState === 'ended');")).isEqualTo(Boolean.TRUE);
        }
    }

    /** Remote tiles whose calls are connected and decode video. */
    private static long tilesReceivingVideo(Browser browser) {
        Object n = browser.script("return [...document.querySelectorAll('#videos figure[data-peer]')].filter(f =>"
                + " f.dataset.connectionState === 'connected' && Number(f.dataset.framesDecoded || 0) > 0).length;");
        return ((Number) n).longValue();
    }

    @Test
    void anInterpreterJoinsByInviteLinkAllThreeSeeEachOtherAndTheProviderEndsIt() throws Exception {
        try (Browser provider = Browser.open(); Browser patient = Browser.open(); Browser interpreter = Browser.open()) {
            providerStartsAndPatientWaits(provider, patient, base);
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

            // the same invite link works once only, and says so as it opens
            try (Browser again = Browser.open()) {
                again.get(invite);
                again.waitForText("#invite-problem", "already been used");
                assertThat(again.find("#guest-form").isDisplayed()).isFalse();
            }

            // the provider ends the consultation: everyone is told, and the calls are over
            provider.click("#end");
            provider.shows("done");
            for (Browser browser : new Browser[] {patient, interpreter}) {
                browser.shows("done");
                assertThat(browser.find("#done-reason").getText()).contains("The provider has ended the consultation");
                assertThat(browser.script("return telesignalApp.mesh;")).isNull();
            }
        }
    }

    @Test
    void aDeniedPatientIsToldSoAndGetsThereWithTheKeyboardAlone() throws Exception {
        try (Browser provider = Browser.open(); Browser patient = Browser.open()) {
            String link = providerStarts(provider, base);

            // the patient uses only the keyboard: focus starts on each section's heading, Tab goes to its controls
            patient.get(link);
            patient.until(d -> "signin-title".equals(patient.focused()) ? Boolean.TRUE : null);
            patient.keys(org.openqa.selenium.Keys.TAB);
            assertThat(patient.focused()).isEqualTo("login");
            patient.keys("pat", org.openqa.selenium.Keys.TAB);
            assertThat(patient.focused()).isEqualTo("password");
            patient.keys("pat's long password", org.openqa.selenium.Keys.ENTER);
            patient.shows("precall");
            patient.until(d -> "precall-title".equals(patient.focused()) ? Boolean.TRUE : null);
            patient.until(d -> patient.find("#join").isEnabled() ? Boolean.TRUE : null);
            patient.keys(org.openqa.selenium.Keys.TAB);
            assertThat(patient.focused()).isEqualTo("camera");
            patient.keys(org.openqa.selenium.Keys.TAB);
            assertThat(patient.focused()).isEqualTo("microphone");
            patient.keys(org.openqa.selenium.Keys.TAB);
            assertThat(patient.focused()).isEqualTo("join");
            patient.keys(org.openqa.selenium.Keys.ENTER);
            patient.shows("waiting");

            provider.until(d -> d.findElement(org.openqa.selenium.By.id("waiting-list")).getText().contains("Pat Patient")
                    ? Boolean.TRUE : null);
            provider.click("#waiting-list button:nth-of-type(2)");
            patient.shows("done");
            assertThat(patient.find("#done-reason").getText()).contains("could not admit you");
            assertAccessible(patient, "consultation over");
            patient.screenshot(ARTIFACTS.resolve("patient-denied.png"));
        }
    }
}
