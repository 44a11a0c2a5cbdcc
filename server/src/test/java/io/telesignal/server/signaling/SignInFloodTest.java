package io.telesignal.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Password hashing (Argon2id) runs on a pool of its own: a flood of sign-ins queues there, and signaling, on the shared
 * workers, goes on meanwhile; a full queue is answered 503 busy, not left to grow.
 */
class SignInFloodTest {
    @TempDir
    Path dataDir;
    private TelesignalServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private List<CompletableFuture<HttpResponse<String>>> flood(int logins) {
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < logins; i++) {
            answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create(LoopbackServer.base(server) + "/api/v1/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"login\":\"guess" + i + "\",\"password\":\"wrong guess\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        return answers;
    }

    private static long done(List<CompletableFuture<HttpResponse<String>>> answers) {
        return answers.stream().filter(CompletableFuture::isDone).count();
    }

    @Test
    void signalingGoesOnWhileAFloodOfSignInsIsHashed() {
        server = LoopbackServer.start(dataDir, Map.of("signIn.hashingThreads", "1", "signIn.hashingQueue", "1000",
                "signIn.freeFailuresPerAddress", "100000"));
        User doc = server.services().accounts().add(new Login("doc"), "Dr Doc", Set.of(Role.PROVIDER),
                "a long password".toCharArray(), "test");
        Consultation c = server.signaling().consultations().create(new Actor(doc.id(), "Dr Doc", doc.roles()),
                Map.of(), Optional.empty(), Optional.empty(), ConsultationService.Origin.NONE).toCompletableFuture().join();

        List<CompletableFuture<HttpResponse<String>>> answers = flood(100);
        // a hundred Argon2id hashes, one at a time, take seconds; a session is opened and used meanwhile
        try (WsClient client = WsClient.connect(server.httpAddress().getPort())) {
            JsonNode welcome = client.hello(server.services().tokens().issue(doc.id(), doc.roles(), Optional.empty()).jwt());
            assertThat(welcome.path("type").asText()).isEqualTo("welcome");
            JsonNode joined = client.answer(client.request(WsClient.message("join").put("consultation", c.id().value())));
            assertThat(joined.path("type").asText()).isEqualTo("result");
            JsonNode history = client.answer(client.request(WsClient.message("history").put("consultation", c.id().value())));
            assertThat(history.path("type").asText()).isEqualTo("result");
            assertThat(done(answers)).as("signaling did not wait for the sign-ins queued before it").isLessThan(50);
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertThat(answer.join().statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aFullHashingQueueIsAnsweredBusy() {
        server = LoopbackServer.start(dataDir, Map.of("signIn.hashingThreads", "1", "signIn.hashingQueue", "1",
                "signIn.freeFailuresPerAddress", "100000"));
        List<Integer> statuses = flood(30).stream().map(a -> a.join()).map(r -> {
            if (r.statusCode() == 503) {
                assertThat(r.headers().firstValue("Retry-After")).contains("1");
                assertThat(r.body()).contains("\"busy\"");
            }
            return r.statusCode();
        }).toList();
        assertThat(statuses).contains(401, 503).containsOnly(401, 503);
    }
}
