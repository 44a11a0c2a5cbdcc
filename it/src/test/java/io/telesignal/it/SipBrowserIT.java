package io.telesignal.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.server.testing.Cli;
import io.telesignal.server.testing.Ports;
import io.telesignal.server.testing.ServerProcess;
import io.telesignal.server.testing.Sipp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A browser SIP library nobody on the team wrote, JsSIP from npm, in two headless Chromium browsers over
 * telesignal's {@code /sip} WebSocket: alice and bob register with their device passwords, bob sends alice a SIP
 * MESSAGE, then calls her through the proxy (challenged 407, answered at once). Audio flows both ways, as each
 * browser's RTCPeerConnection counts, and bob hangs up: both see the call end. The server offers its default challenges,
 * SHA-256 then MD5: JsSIP knows MD5 only and keeps the last challenge of a response, so it answers the MD5 one.
 */
class SipBrowserIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void twoJsSipBrowsersRegisterMessageAndCallEachOtherWithAudioBothWays() throws Exception {
        Assumptions.assumeTrue(Browser.available(), "no chromium");
        Path bundle = JsSipPage.bundle();
        Assumptions.assumeTrue(bundle != null, "no JsSIP bundle");
        Cli.addUser(dir, "alice");
        Cli.addUser(dir, "bob");
        String alicePassword = Cli.devicePassword(dir, "alice");
        String bobPassword = Cli.devicePassword(dir, "bob");
        int http = Ports.free();
        Map<String, String> env = Sipp.serverEnv(Ports.free(), http, "SHA-256,MD5" /* the default */);
        String webSocket = "ws://127.0.0.1:" + http + "/sip";
        try (ServerProcess server = ServerProcess.start(env, "serve", "--data-dir", dir.toString());
                JsSipPage page = JsSipPage.serve(bundle);
                Browser alice = Browser.open();
                Browser bob = Browser.open()) {
            server.awaitLine(line -> line.contains("event=server_started"), START);
            page.register(alice, webSocket, "alice", "127.0.0.1", alicePassword);
            page.register(bob, webSocket, "bob", "127.0.0.1", bobPassword);
            for (Browser browser : new Browser[] {alice, bob}) {
                awaitPhone(browser, "phone.registered", "registered");
            }

            bob.script("phone.send('sip:alice@127.0.0.1', 'a message through the proxy');");
            awaitPhone(alice, "phone.messages.includes('a message through the proxy')", "MESSAGE received");

            bob.script("phone.call('sip:alice@127.0.0.1');");
            for (Browser browser : new Browser[] {alice, bob}) {
                awaitPhone(browser, "phone.events.includes('confirmed')", "call confirmed");
            }
            assertThat(events(alice)).map(String::valueOf).contains("incoming call from bob");
            assertThat(events(bob)).map(String::valueOf).contains("progress 180");
            for (Browser browser : new Browser[] {alice, bob}) {
                Map<?, ?> audio = awaitAudio(browser);
                assertThat(((Number) audio.get("sent")).longValue()).as("audio sent: " + audio).isGreaterThan(100);
                assertThat(((Number) audio.get("received")).longValue()).as("audio received: " + audio).isGreaterThan(100);
            }

            bob.script("phone.hangUp();");
            awaitPhone(bob, "phone.ended !== null", "call ended");
            awaitPhone(alice, "phone.ended !== null", "call ended");
            assertThat(bob.script("return phone.ended;")).isEqualTo("local: Terminated");
            assertThat(alice.script("return phone.ended;")).isEqualTo("remote: Terminated");

            for (Browser browser : new Browser[] {alice, bob}) {
                browser.script("phone.stop();");
                awaitPhone(browser, "!phone.registered", "unregistered");
            }
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    private static void awaitPhone(Browser browser, String condition, String what) {
        try {
            browser.until(d -> Boolean.TRUE.equals(browser.script("return " + condition + ";")) ? Boolean.TRUE : null);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError(what + " not seen; phone events: " + events(browser)
                    + ", registration failure: " + browser.script("return phone.registrationFailed;")
                    + ", call failure: " + browser.script("return phone.failed;")
                    + ", JsSIP trace:\n" + browser.script("return phone.trace.slice(-60).join('\\n');"), e);
        }
    }

    private static java.util.List<?> events(Browser browser) {
        return (java.util.List<?>) browser.script("return phone.events;");
    }

    /** Waits until the call has carried more than 100 audio packets (2 s of 20 ms frames) each way, and the sound
     * received (the fake microphone's beeps) has been decoded and played with some energy; answers the counts. */
    private static Map<?, ?> awaitAudio(Browser browser) {
        try {
            return browser.until(Duration.ofSeconds(30), d -> {
                Map<?, ?> audio = audio(browser);
                return audio.get("received") instanceof Number in && in.longValue() > 100
                        && audio.get("sent") instanceof Number out && out.longValue() > 100
                        && audio.get("energy") instanceof Number energy && energy.doubleValue() > 0 ? audio : null;
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("no audio both ways: " + audio(browser) + "; phone events: " + events(browser), e);
        }
    }

    private static Map<?, ?> audio(Browser browser) {
        return (Map<?, ?>) browser.driver.executeAsyncScript(
                "const done = arguments[arguments.length - 1]; phone.audio().then(done, e => done({error: String(e)}));");
    }
}
