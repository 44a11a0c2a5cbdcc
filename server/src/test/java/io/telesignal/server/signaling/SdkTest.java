package io.telesignal.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.server.config.ServerConfig;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SDK as the server serves it: fetched from {@code /sdk/telesignal.js} and run under Node (its
 * experimental WebSocket) against the server, for everything but media. The browser tests come with the web app.
 */
class SdkTest {
    @TempDir
    Path dataDir;
    @TempDir
    Path work;
    private TelesignalServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;

    @BeforeEach
    void start() {
        server = LoopbackServer.start(dataDir);
        base = LoopbackServer.base(server);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<byte[]> sdk(String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/sdk/telesignal.js"));
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theSdkAndTheWebAppAreServedFromTheJarWithEtags() throws Exception {
        HttpResponse<byte[]> response = sdk(null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("export class Client", "export class Call");
        String etag = response.headers().firstValue("ETag").orElseThrow();
        assertThat(sdk(etag).statusCode()).isEqualTo(304);
        assertThat(sdk("\"other\"").statusCode()).isEqualTo(200);

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/?c=abc")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("default-src 'self'");
        assertThat(page.body()).contains("<script type=\"module\" src=\"/app.js\">");
        for (String asset : new String[] {"/app.js", "/app.css", "/favicon.ico"}) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + asset)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).as(asset).isEqualTo(200);
        }
        HttpResponse<byte[]> icon = http.send(HttpRequest.newBuilder(URI.create(base + "/favicon.ico")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(icon.headers().firstValue("Content-Type")).contains("image/x-icon");
        assertThat(icon.body()).startsWith(0, 0, 1, 0); // an ICO header: reserved 0, type 1 (icon)
    }

    /**
     * Runs one of the SDK's Node checks (test resources {@code /sdk/NAME}) on the served SDK, with a provider, a patient
     * listed in a new consultation, and their tokens; answers its findings.
     */
    private JsonNode runNodeCheck(String name) throws Exception {
        Optional<String> node = node();
        if (node.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("node (Node.js 20+) is required for the SDK test under CI");
            }
            System.err.println("!!! SdkTest skipped: no node on PATH (Node.js 20+ runs the SDK's protocol test) !!!");
            Assumptions.abort("no node");
        }
        var accounts = server.services().accounts();
        User provider = accounts.addWithoutPassword(new Login("doc"), "Doc", Set.of(Role.PROVIDER), "test");
        User patient = accounts.addWithoutPassword(new Login("pat"), "Pat", Set.of(Role.PATIENT), "test");
        Consultation consultation = server.signaling().consultations().create(new Actor(provider.id(), "Doc",
                provider.roles()), Map.of(patient.id(), Role.PATIENT), Optional.empty(), Optional.empty(),
                ConsultationService.Origin.NONE).toCompletableFuture().join();
        Path sdk = work.resolve("telesignal.js");
        Files.write(sdk, sdk(null).body());
        for (String file : List.of(name, "events.mjs")) { // the check and what it imports
            try (var in = SdkTest.class.getResourceAsStream("/sdk/" + file)) {
                Files.write(work.resolve(file), in.readAllBytes());
            }
        }
        Path script = work.resolve(name);

        Process run = new ProcessBuilder(node.get(), "--experimental-websocket", "--no-warnings", script.toString(),
                sdk.toUri().toString(), "ws://127.0.0.1:" + server.httpAddress().getPort() + "/ws",
                consultation.id().value(), token(provider), token(patient), patient.id().value())
                .redirectErrorStream(true).start();
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("the SDK check finishes").isTrue();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(run.exitValue()).as(output).isZero();
        return new ObjectMapper().readTree(output.substring(output.lastIndexOf('\n') + 1));
    }

    @Test
    void theSdkJoinsChatsAndResumesWithoutLosingAnything() throws Exception {
        JsonNode findings = runNodeCheck("protocol-check.mjs");

        assertThat(findings.path("welcome").asText()).isEqualTo("welcome");
        assertThat(findings.path("endpointMatches").asBoolean()).isTrue();
        assertThat(findings.path("patientWaits").asBoolean()).isTrue();
        assertThat(findings.path("admission").asText()).isEqualTo("admitted");
        assertThat(findings.path("watchedStatus").asText()).isEqualTo("available");
        assertThat(findings.path("presenceSeen").asText()).isEqualTo("busy/on another call");
        assertThat(findings.path("chatToPatient").asText()).isEqualTo("hello from the provider");
        assertThat(findings.path("chatToProvider").asText()).isEqualTo("hello from the patient");
        assertThat(findings.path("signalOutcomes")).extracting(JsonNode::asText)
                .containsExactly("answered", "answered", "answered", "answered", "peer_unavailable");
        assertThat(findings.path("signalsReceived").asInt()).isEqualTo(4);
        assertThat(findings.path("resumed").asBoolean()).isTrue();
        assertThat(findings.path("receivedWhileAway")).extracting(JsonNode::asText)
                .containsExactly("while away 0", "while away 1", "while away 2", "while away 3", "while away 4");
        assertThat(findings.path("states")).extracting(JsonNode::asText).containsExactly("reconnecting", "open");
        assertThat(findings.path("afterResume").asText()).isEqualTo("back");
        assertThat(findings.path("refused").asText()).isEqualTo("not_authorized");
    }

    private String token(User user) {
        return server.services().tokens().issue(user.id(), user.roles(), Optional.empty()).jwt();
    }

    private static Optional<String> node() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "node");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }


    @Test
    void theSdkRetriesOnlyWhatCanSucceedAndRecoversALostSessionByItself() throws Exception {
        JsonNode findings = runNodeCheck("recovery-check.mjs");

        // welcomed and dropped at once, again and again: each delay longer; one that stayed up starts afresh
        assertThat(findings.path("attempts")).extracting(JsonNode::asInt).containsExactly(0, 1, 2, 3, 4, 5, 0, 1);
        for (String code : new String[] {"1003/unsupported_data", "1007/invalid_payload", "1009/message_too_large",
            "4400/bad_request"}) {
            String[] parts = code.split("/");
            JsonNode close = findings.path("close" + parts[0]);
            assertThat(close.path("errors")).as(code).extracting(JsonNode::asText).containsExactly(parts[1] + "/" + parts[0]);
            assertThat(close.path("state").asText()).as(code).isEqualTo("closed");
            assertThat(close.path("connections").asInt()).as(code + ": not retried").isEqualTo(1);
        }

        assertThat(findings.path("maxMessageBytes").asInt()).isEqualTo(server.config().signaling().webSocket().maxMessageBytes());
        assertThat(findings.path("tooLarge").asText()).isEqualTo("message_too_large");
        assertThat(findings.path("stateAfterTooLarge").asText()).isEqualTo("open");
        assertThat(findings.path("chatAfterTooLarge").asText()).isEqualTo("still here");

        assertThat(findings.path("lostCode").asText()).startsWith("resume_");
        assertThat(findings.path("rejoinedAdmitted").asBoolean()).as("rejoined, admitted, from the new endpoint").isTrue();
        assertThat(findings.path("newEndpoint").asBoolean()).isTrue();
        assertThat(findings.path("signalOfTheOldSession").asText()).isEqualTo("session_lost");
        assertThat(findings.path("chatSentAgain").asText()).isEqualTo("sent while reconnecting");
        assertThat(findings.path("sameMessage").asBoolean()).isTrue();
        assertThat(findings.path("providerChats")).extracting(JsonNode::asText)
                .containsExactly("sent while reconnecting");
    }
}
