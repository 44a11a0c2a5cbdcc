package io.telesignal.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.directory.Accounts;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import java.time.Duration;
import java.util.Set;

/**
 * Steps through the web app as its users take them, shared by the browser tests: sign in, start a consultation,
 * wait, admit, see each other, chat; and what a page shows, for assertions and failure messages. The accounts are
 * {@code doc} (provider) and {@code pat} (patient) with the passwords the tests create them with.
 */
final class WebApp {
    /** The provider and the patient every scenario signs in as (doc, pat), added with the server's own code. */
    static void addDocAndPat(Accounts accounts) {
        accounts.add(new Login("doc"), "Dr Doc", Set.of(Role.PROVIDER), "doc's long password".toCharArray(), "it");
        accounts.add(new Login("pat"), "Pat Patient", Set.of(Role.PATIENT), "pat's long password".toCharArray(), "it");
    }

    private WebApp() {}

    static void signIn(Browser browser, String login, String password) {
        browser.type("#login", login);
        browser.type("#password", password);
        browser.click("#password-form button[type=submit]");
    }

    /** A remote tile whose call is connected and has decoded video frames. */
    static boolean receivingVideo(Browser browser) {
        Object ok = browser.script("return [...document.querySelectorAll('#videos figure[data-peer]')].some(f =>"
                + " f.dataset.connectionState === 'connected' && Number(f.dataset.framesDecoded || 0) > 0);");
        return Boolean.TRUE.equals(ok);
    }

    static void chatShows(Browser reader, String line, Browser writer) {
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
    static Object calls(Browser browser) {
        return browser.script("const a = window.telesignalApp; return JSON.stringify({self: a.self, client: a.client && a.client.state,"
                + " status: document.getElementById('status').textContent,"
                + " calls: a.mesh ? [...a.mesh.calls].map(([peer, c]) => ({peer, polite: c.polite, signaling: c.pc.signalingState,"
                + " ice: c.pc.iceConnectionState, connection: c.pc.connectionState})) : null,"
                + " tiles: [...document.querySelectorAll('#videos figure[data-peer]')].map(f => ({...f.dataset}))});");
    }

    /**
     * The provider signs in, starts a consultation with pat (its pre-call view checked for accessibility) and
     * joins; answers the link for the patient.
     */
    static String providerStarts(Browser provider, String base) throws Exception {
        provider.get(base + "/");
        signIn(provider, "doc", "doc's long password");
        provider.shows("start");
        provider.type("#patient-login", "pat");
        provider.click("#start-form button[type=submit]");
        provider.shows("precall");
        assertAccessible(provider, "pre-call check");
        provider.click("#join");
        provider.shows("call");
        return provider.until(d -> {
            String href = d.findElement(org.openqa.selenium.By.id("share-link")).getAttribute("href");
            return href != null && href.contains("?c=") ? href : null;
        });
    }

    /** The provider starts a consultation; pat opens its link, signs in and waits. */
    static void providerStartsAndPatientWaits(Browser provider, Browser patient, String base) throws Exception {
        String link = providerStarts(provider, base);
        patient.get(link);
        signIn(patient, "pat", "pat's long password");
        patient.shows("precall");
        patient.click("#join");
        patient.shows("waiting");
    }

    /** The patient is admitted and both pages receive video. */
    static void admitAndSeeEachOther(Browser provider, Browser patient) {
        provider.click("#waiting-list button:first-of-type");
        patient.shows("call");
        Duration media = Duration.ofSeconds(45);
        try {
            provider.until(media, d -> receivingVideo(provider) ? Boolean.TRUE : null);
            patient.until(media, d -> receivingVideo(patient) ? Boolean.TRUE : null);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no video both ways; provider: " + calls(provider) + "; patient: " + calls(patient), e);
        }
    }

    static void assertAccessible(Browser browser, String view) throws Exception {
        assertThat(browser.accessibilityViolations()).as("WCAG 2.1 A/AA violations (axe-core) on " + view).isEmpty();
    }
}
