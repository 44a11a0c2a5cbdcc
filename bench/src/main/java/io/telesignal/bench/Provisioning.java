package io.telesignal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.IntFunction;

/**
 * Sets up what a platform backend would, through the public REST API with the bench's API key: token-only users
 * ({@code POST /api/v1/users}), one consultation per pair listing its provider and patient, and an access token
 * per user ({@code POST /api/v1/tokens}).
 */
final class Provisioning {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = Loopback.http(Duration.ofSeconds(10));
    private final String base;
    private final String apiKey;
    private final int concurrency;

    Provisioning(String base, String apiKey, int concurrency) {
        this.base = base;
        this.apiKey = apiKey;
        this.concurrency = concurrency;
    }

    /** What one pair needs: two users with their tokens and the consultation listing them. */
    record PairSetup(String consultation, String providerId, String providerToken, String patientId,
            String patientToken) {}

    List<PairSetup> pairs(int count, String runId) throws InterruptedException {
        List<String> providers = all(count, i -> post("/api/v1/users", "{\"login\":\"" + runId + "-dr-" + i
                + "\",\"displayName\":\"Provider " + i + "\",\"roles\":[\"provider\"]}").thenApply(n -> n.path("id").asText()));
        List<String> patients = all(count, i -> post("/api/v1/users", "{\"login\":\"" + runId + "-pt-" + i
                + "\",\"displayName\":\"Patient " + i + "\",\"roles\":[\"patient\"]}").thenApply(n -> n.path("id").asText()));
        List<String> consultations = all(count, i -> post("/api/v1/consultations", "{\"participants\":["
                + "{\"user\":\"" + runId + "-dr-" + i + "\",\"role\":\"provider\"},"
                + "{\"user\":\"" + runId + "-pt-" + i + "\",\"role\":\"patient\"}]}").thenApply(n -> n.path("id").asText()));
        List<String> providerTokens = all(count, i -> token(runId + "-dr-" + i));
        List<String> patientTokens = all(count, i -> token(runId + "-pt-" + i));
        List<PairSetup> pairs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pairs.add(new PairSetup(consultations.get(i), providers.get(i), providerTokens.get(i), patients.get(i),
                    patientTokens.get(i)));
        }
        return pairs;
    }

    private CompletableFuture<String> token(String login) {
        return post("/api/v1/tokens", "{\"user\":\"" + login + "\",\"ttl\":\"12h\"}").thenApply(n -> n.path("token").asText());
    }

    /** Runs {@code count} calls with at most {@link #concurrency} in flight; any failure fails the bench. */
    private <T> List<T> all(int count, IntFunction<CompletableFuture<T>> call) throws InterruptedException {
        Semaphore permits = new Semaphore(concurrency);
        List<CompletableFuture<T>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            permits.acquire();
            CompletableFuture<T> future = call.apply(i);
            future.whenComplete((value, failure) -> permits.release());
            futures.add(future);
        }
        List<T> values = new ArrayList<>(count);
        for (CompletableFuture<T> future : futures) {
            values.add(future.join());
        }
        return values;
    }

    private CompletableFuture<JsonNode> post(String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new IllegalStateException("POST " + path + " answered no JSON", e);
            }
        });
    }
}
