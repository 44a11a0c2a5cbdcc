package io.telesignal.it;

import static io.telesignal.it.WebApp.assertAccessible;
import static io.telesignal.it.WebApp.providerStarts;
import static io.telesignal.it.WebApp.providerStartsAndPatientWaits;
import static io.telesignal.it.WebApp.signIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Getting in and back in, and the provider running the room, in real Chromium browsers: a guest who reloads, an
 * interpreter with an account through an invite link, a removal, a patient who comes without the link, leaving and
 * rejoining, and dead links said at once (docs/web.md).
 */
class RoomBrowserIT {
    private static final Path ARTIFACTS = Path.of("target", "screenshots");
    @TempDir
    Path dataDir;
    private TelesignalServer server;
    private String base;

    @BeforeEach
    void start() {
        Assumptions.assumeTrue(Browser.available(), "no chromium");
        server = LoopbackServer.start(dataDir);
        base = LoopbackServer.base(server);
        WebApp.addDocAndPat(server.services().accounts());
        server.services().accounts().add(new Login("ines"), "Ines Interpreter", Set.of(Role.INTERPRETER),
                "ines's long password".toCharArray(), "it");
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** The provider creates an invite link for a role; answers it. */
    private static String invite(Browser provider, String role) {
        provider.script("document.getElementById('invite-role').value = arguments[0];", role);
        provider.script("document.getElementById('invite-link').removeAttribute('data-link');");
        provider.click("#invite");
        return provider.until(d -> d.findElement(org.openqa.selenium.By.id("invite-link")).getAttribute("data-link"));
    }

    private static void waitingListShows(Browser provider, String entry) {
        provider.waitForText("#waiting-list", entry);
    }

    @Test
    void aGuestWhoReloadsIsBackInTheCallAndTheInviteLinkLeavesTheAddressBar() throws Exception {
        try (Browser provider = Browser.open(); Browser guest = Browser.open()) {
            providerStarts(provider, base);
            String link = invite(provider, "guest");
            assertThat(link).contains("/#invite=");
            // a 430-character link wraps: the page does not grow sideways
            assertThat(provider.find("#invite-validity").getText()).contains("works once");
            assertThat(provider.script("return document.documentElement.scrollWidth <= window.innerWidth;"))
                    .as("no sideways scrolling with the invite link shown").isEqualTo(Boolean.TRUE);
            assertAccessible(provider, "call, provider with an invite link");

            guest.get(link);
            guest.shows("guest");
            guest.waitForText("#invite-about", "You are invited as a guest");
            assertThat(guest.script("return location.href;")).asString().doesNotContain("invite");
            assertAccessible(guest, "invite page");
            guest.type("#guest-name", "Gina Guest");
            guest.click("#guest-form button[type=submit]");
            guest.shows("precall");
            guest.click("#join");
            guest.shows("waiting");
            waitingListShows(provider, "Gina Guest (family member or guest, invite link)");
            provider.clickButton("Admit Gina Guest");
            guest.shows("call");

            // F5: the tab keeps its place, and is back in the call without the name form or the used link
            guest.reload();
            guest.shows("call");
            assertThat(guest.find("#status").getText()).doesNotContain("already been used");
            provider.waitForText("#participants-list", "Gina Guest (family member or guest, invite link)");
            guest.screenshot(ARTIFACTS.resolve("guest-after-reload.png"));
        }
    }

    @Test
    void anInterpreterWithAnAccountSignsInFromTheInviteLink() throws Exception {
        try (Browser provider = Browser.open(); Browser patient = Browser.open(); Browser ines = Browser.open()) {
            providerStartsAndPatientWaits(provider, patient, base);
            waitingListShows(provider, "Pat Patient (patient, on the list)");
            String link = invite(provider, "interpreter");

            ines.get(link);
            ines.waitForText("#invite-about", "You are invited as an interpreter");
            ines.clickButton("Sign in instead");
            ines.shows("signin");
            assertThat(ines.find("#signin-invite").isDisplayed()).isTrue();
            signIn(ines, "ines", "ines's long password");
            ines.shows("precall");
            ines.click("#join");
            ines.shows("waiting");
            waitingListShows(provider, "Ines Interpreter (interpreter, invite link)");
            assertAccessible(provider, "call, provider with two waiting");
            provider.clickButton("Admit Ines Interpreter");
            ines.shows("call");
            assertThat(ines.find("#who").getText()).contains("Ines Interpreter");
            // her own account, not a guest made for her
            assertThat(server.services().accounts().list(0, 100)).extracting(u -> u.displayName())
                    .containsOnlyOnce("Ines Interpreter");
        }
    }

    @Test
    void theProviderRemovesSomeoneAfterConfirmingAndTheyAreToldWhy() throws Exception {
        try (Browser provider = Browser.open(); Browser patient = Browser.open()) {
            providerStartsAndPatientWaits(provider, patient, base);
            provider.clickButton("Admit Pat Patient");
            patient.shows("call");
            provider.waitForText("#participants-list", "Pat Patient (patient, on the list)");

            provider.clickButton("Remove Pat Patient");
            provider.waitForText("#participants-list", "Remove Pat Patient from the consultation?");
            assertThat(provider.focused()).as("focus on the confirmation").isEmpty();
            assertThat(provider.script("return document.activeElement.textContent;")).isEqualTo("Yes, remove Pat Patient");
            assertAccessible(provider, "removal confirmation");
            provider.clickButton("Cancel");
            provider.waitForText("#participants-list", "Remove Pat Patient");
            assertThat(patient.find("#call").isDisplayed()).as("cancelled: still in").isTrue();

            provider.clickButton("Remove Pat Patient");
            provider.clickButton("Yes, remove Pat Patient");
            patient.shows("done");
            assertThat(patient.find("#done-reason").getText()).isEqualTo("You were removed from the consultation.");
            assertThat(patient.find("#rejoin").isDisplayed()).as("no way back after a removal").isFalse();
            provider.until(d -> d.findElements(org.openqa.selenium.By.cssSelector("#participants-list li")).isEmpty()
                    ? Boolean.TRUE : null);
            assertThat(provider.find("#status").getText()).contains("Pat Patient was removed");
        }
    }

    @Test
    void aPatientWithoutTheLinkFindsTheConsultationOrPastesTheLink() throws Exception {
        try (Browser provider = Browser.open(); Browser patient = Browser.open()) {
            String link = providerStarts(provider, base);

            patient.phoneSized();
            patient.get(base + "/");
            signIn(patient, "pat", "pat's long password");
            patient.shows("start");
            patient.waitForText("#mine", "Consultation with Dr Doc");
            assertThat(patient.find("#start-new").isDisplayed()).as("patients do not start consultations").isFalse();
            assertAccessible(patient, "your consultations");
            assertThat(patient.script("return document.documentElement.scrollWidth <= window.innerWidth;"))
                    .as("no sideways scrolling on a phone").isEqualTo(Boolean.TRUE);

            // a pasted link that is not one says so; the real one opens the consultation
            patient.type("#pasted-link", "see you at 10");
            patient.click("#link-form button[type=submit]");
            patient.waitForText("#status", "not a link to a consultation");
            patient.type("#pasted-link", link);
            patient.click("#link-form button[type=submit]");
            patient.shows("precall");
            assertThat(patient.script("return telesignalApp.consultation;")).isEqualTo(link.substring(link.indexOf("?c=") + 3));

            // or from the list
            patient.get(base + "/");
            signIn(patient, "pat", "pat's long password");
            patient.shows("start");
            patient.clickButton("Join");
            patient.shows("precall");
            patient.click("#join");
            patient.shows("waiting");
            waitingListShows(provider, "Pat Patient");
        }
    }

    /** Rejoin, the camera check, the waiting room, admitted again. */
    private static void rejoinAndBeAdmitted(Browser patient, Browser provider) {
        patient.click("#rejoin");
        patient.shows("precall");
        patient.click("#join");
        patient.shows("waiting");
        provider.clickButton("Admit Pat Patient");
        patient.shows("call");
    }

    @Test
    void leavingTheWaitingRoomOrTheCallOffersRejoinWhileTheConsultationIsOpen() throws Exception {
        try (Browser provider = Browser.open(); Browser patient = Browser.open()) {
            providerStartsAndPatientWaits(provider, patient, base);
            patient.clickButton("Leave the waiting room");
            patient.shows("done");
            patient.until(d -> patient.find("#rejoin").isDisplayed() ? Boolean.TRUE : null);
            provider.until(d -> provider.find("#waiting-empty").isDisplayed() ? Boolean.TRUE : null);
            assertAccessible(patient, "left, with rejoin");

            rejoinAndBeAdmitted(patient, provider);
            patient.click("#leave");
            patient.shows("done");
            assertThat(patient.find("#done-reason").getText()).isEqualTo("You left the consultation.");
            patient.until(d -> patient.find("#rejoin").isDisplayed() ? Boolean.TRUE : null);
            rejoinAndBeAdmitted(patient, provider);

            // once the provider has ended it, leaving offers nothing, and a stale Rejoin says why
            patient.click("#leave");
            patient.until(d -> patient.find("#rejoin").isDisplayed() ? Boolean.TRUE : null);
            provider.click("#end");
            provider.shows("done");
            patient.click("#rejoin");
            patient.waitForText("#done-reason", "This consultation has ended.");
        }
    }

    @Test
    void aDeadInviteLinkIsSaidAtOnce() throws Exception {
        try (Browser provider = Browser.open(); Browser visitor = Browser.open()) {
            providerStarts(provider, base);
            String unused = invite(provider, "guest");

            visitor.get(base + "/#invite=not-an-invite");
            visitor.waitForText("#invite-problem", "not valid or has expired");
            assertThat(visitor.find("#guest-form").isDisplayed()).isFalse();

            provider.click("#end");
            provider.shows("done");
            visitor.get("about:blank"); // a link differing only in its fragment would not load the page again
            visitor.get(unused);
            visitor.waitForText("#invite-problem", "This consultation has ended.");
            assertThat(visitor.find("#invite-problem").getText()).doesNotContain("not valid");
            assertThat(visitor.find("#guest-form").isDisplayed()).isFalse();
            assertAccessible(visitor, "dead invite link");
        }
    }
}
