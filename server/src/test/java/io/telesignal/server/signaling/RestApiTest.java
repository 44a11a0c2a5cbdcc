package io.telesignal.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/v1 end to end with the JDK HTTP client against the composed server. */
class RestApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dataDir;
    private TelesignalServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;
    private String apiKey;
    private User provider;
    private User patient;

    @BeforeEach
    void start() {
        server = LoopbackServer.start(dataDir);
        base = LoopbackServer.base(server);
        var accounts = server.services().accounts();
        provider = accounts.add(new Login("drsmith"), "Dr Smith", Set.of(Role.PROVIDER), "a long password".toCharArray(), "test");
        patient = accounts.add(new Login("pat"), "Pat Doe", Set.of(Role.PATIENT), "pat's long password".toCharArray(), "test");
        apiKey = server.services().apiKeys().create("platform", "test").secret();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private HttpResponse<String> post(String path, String bearer, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode body(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String code(HttpResponse<String> response) throws Exception {
        return body(response).path("error").path("code").asText();
    }

    private String loginToken(String login, String password) throws Exception {
        HttpResponse<String> response = post("/api/v1/login", null,
                "{\"login\":\"" + login + "\",\"password\":\"" + password + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return body(response).path("token").asText();
    }

    @Test
    void passwordSignInGivesATokenAndWrongPasswordsDoNot() throws Exception {
        HttpResponse<String> ok = post("/api/v1/login", null, "{\"login\":\"pat\",\"password\":\"pat's long password\"}");
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode answer = body(ok);
        assertThat(server.services().tokens().verify(answer.path("token").asText()).subject()).isEqualTo(patient.id().value());
        assertThat(answer.path("user").path("displayName").asText()).isEqualTo("Pat Doe");
        assertThat(server.services().store().auditLog().read(0, 500)).anySatisfy(r -> {
            assertThat(r.event().type()).isEqualTo("token.issued");
            assertThat(r.event().actor()).isEqualTo(patient.id().value());
            assertThat(r.event().subject()).isEqualTo(patient.id().value());
        });

        HttpResponse<String> wrong = post("/api/v1/login", null, "{\"login\":\"pat\",\"password\":\"nope nope nope\"}");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(code(wrong)).isEqualTo("bad_credentials");
        assertThat(code(post("/api/v1/login", null, "{\"login\":\"pat\"}"))).isEqualTo("invalid_field");
    }

    @Test
    void aTokenIsRefreshedForItsUserAndOnlyWhileItIsValid() throws Exception {
        String token = loginToken("pat", "pat's long password");
        Thread.sleep(1100); // a later iat: a different token
        HttpResponse<String> refreshed = post("/api/v1/tokens/refresh", token, "{}");
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        String fresh = body(refreshed).path("token").asText();
        assertThat(fresh).isNotEqualTo(token);
        var claims = server.services().tokens().verify(fresh);
        assertThat(claims.subject()).isEqualTo(patient.id().value());
        assertThat(claims.expiresAt()).isAfter(server.services().tokens().verify(token).expiresAt());
        assertThat(server.services().store().auditLog().read(0, 500)).anySatisfy(r -> {
            assertThat(r.event().type()).isEqualTo("token.issued");
            assertThat(r.event().reason()).isEqualTo("refresh");
        });
        assertThat(post("/api/v1/tokens/refresh", apiKey, "{}").statusCode()).isEqualTo(403);
        assertThat(code(post("/api/v1/tokens/refresh", token + "x", "{}"))).startsWith("token_");
        assertThat(post("/api/v1/tokens/refresh", null, "{}").statusCode()).isEqualTo(401);
    }

    @Test
    void platformsIssueTokensForTheirUsersWithAnApiKey() throws Exception {
        HttpResponse<String> issued = post("/api/v1/tokens", apiKey, "{\"user\":\"pat\",\"ttl\":\"5m\"}");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        assertThat(server.services().tokens().verify(body(issued).path("token").asText()).roles())
                .containsExactly(Role.PATIENT);

        assertThat(post("/api/v1/tokens", null, "{\"user\":\"pat\"}").statusCode()).isEqualTo(401);
        assertThat(post("/api/v1/tokens", "tsk_AAAAAAAAAAAA_" + "A".repeat(43), "{\"user\":\"pat\"}").statusCode())
                .isEqualTo(401);
        HttpResponse<String> withJwt = post("/api/v1/tokens", loginToken("pat", "pat's long password"), "{\"user\":\"pat\"}");
        assertThat(withJwt.statusCode()).isEqualTo(403);
        assertThat(code(post("/api/v1/tokens", apiKey, "{\"user\":\"ghost\"}"))).isEqualTo("user_not_found");
        assertThat(post("/api/v1/tokens", apiKey, "{\"user\":\"pat\",\"ttl\":\"30d\"}").statusCode()).isEqualTo(400);
        server.services().accounts().add(new Login("root"), "Root", Set.of(Role.ADMIN), "a long password".toCharArray(), "test");
        HttpResponse<String> admin = post("/api/v1/tokens", apiKey, "{\"user\":\"root\"}");
        assertThat(admin.statusCode()).isEqualTo(403);
        assertThat(code(admin)).isEqualTo("not_authorized");
    }

    @Test
    void platformsProvisionTokenOnlyUsersWithAnApiKey() throws Exception {
        HttpResponse<String> created = post("/api/v1/users", apiKey,
                "{\"login\":\"Patient-42\",\"displayName\":\"P 42\",\"roles\":[\"patient\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode user = body(created);
        assertThat(user.path("login").asText()).isEqualTo("patient-42");
        assertThat(user.path("roles").toString()).isEqualTo("[\"patient\"]");
        assertThat(user.path("password").asBoolean()).isFalse();

        // token-only: tokens yes, password sign-in never
        HttpResponse<String> token = post("/api/v1/tokens", apiKey, "{\"user\":\"patient-42\"}");
        assertThat(server.services().tokens().verify(body(token).path("token").asText()).subject())
                .isEqualTo(user.path("id").asText());
        assertThat(code(post("/api/v1/login", null, "{\"login\":\"patient-42\",\"password\":\"\"}")))
                .isEqualTo("bad_credentials");

        HttpResponse<String> taken = post("/api/v1/users", apiKey,
                "{\"login\":\"patient-42\",\"displayName\":\"Other\",\"roles\":[\"patient\"]}");
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(code(taken)).isEqualTo("login_taken");
        HttpResponse<String> admin = post("/api/v1/users", apiKey,
                "{\"login\":\"boss\",\"displayName\":\"Boss\",\"roles\":[\"staff\",\"admin\"]}");
        assertThat(admin.statusCode()).isEqualTo(403);
        assertThat(code(admin)).isEqualTo("not_authorized");
        assertThat(server.services().accounts().find(new Login("boss"))).isEmpty();
    }

    @Test
    void usersAreCreatedByAdministratorsWithPasswordsAndBadBodiesAreRefused() throws Exception {
        server.services().accounts().add(new Login("root"), "Root", Set.of(Role.ADMIN), "a long password".toCharArray(), "test");
        String adminToken = loginToken("root", "a long password");
        HttpResponse<String> created = post("/api/v1/users", adminToken,
                "{\"login\":\"nurse\",\"displayName\":\"Nurse\",\"roles\":[\"staff\"],\"password\":\"nurse password 1\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(body(created).path("password").asBoolean()).isTrue();
        loginToken("nurse", "nurse password 1");

        String patientToken = loginToken("pat", "pat's long password");
        HttpResponse<String> notAdmin = post("/api/v1/users", patientToken,
                "{\"login\":\"x1\",\"displayName\":\"X\",\"roles\":[\"patient\"]}");
        assertThat(notAdmin.statusCode()).isEqualTo(403);
        assertThat(code(notAdmin)).isEqualTo("not_authorized");
        assertThat(post("/api/v1/users", null, "{\"login\":\"x1\",\"displayName\":\"X\",\"roles\":[\"patient\"]}")
                .statusCode()).isEqualTo(401);
        assertThat(code(post("/api/v1/users", apiKey, "{\"login\":\"x1\",\"displayName\":\"X\",\"roles\":[\"wizard\"]}")))
                .isEqualTo("invalid_field");
        assertThat(code(post("/api/v1/users", apiKey, "{\"login\":\"x1\",\"displayName\":\"X\",\"roles\":[]}")))
                .isEqualTo("invalid_field");
        assertThat(code(post("/api/v1/users", apiKey, "{\"login\":\"no spaces\",\"displayName\":\"X\",\"roles\":[\"patient\"]}")))
                .isEqualTo("invalid_field");
        assertThat(code(post("/api/v1/users", apiKey, "{\"login\":\"x1\",\"displayName\":\" \",\"roles\":[\"patient\"]}")))
                .isEqualTo("invalid_field");
        assertThat(code(post("/api/v1/users", apiKey, "{\"login\":\"x1\",\"displayName\":\"X\",\"roles\":[\"patient\"],\"password\":\"short\"}")))
                .isEqualTo("invalid_password");
        assertThat(code(post("/api/v1/users", apiKey, "{\"login\":\"x1\",\"displayName\":\"X\",\"roles\":[\"patient\"],\"age\":3}")))
                .isEqualTo("unknown_field");
        assertThat(server.services().accounts().find(new Login("x1"))).isEmpty();
    }

    @Test
    void concurrentRequestsNeverStarveTheWorkerPool() throws Exception {
        // a handler that waited on a worker for work queued behind it deadlocked once every worker did so
        server.stop();
        server = LoopbackServer.start(dataDir, "workers.threads", "2");
        base = LoopbackServer.base(server);
        java.util.List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String path = i % 3 == 0 ? "/api/v1/consultations" : i % 3 == 1 ? "/api/v1/users" : "/api/v1/consultations";
            String body = i % 3 == 1 ? "{\"login\":\"load-" + i + "\",\"displayName\":\"L\",\"roles\":[\"patient\"]}"
                    : "{\"participants\":[{\"user\":\"drsmith\",\"role\":\"provider\"}]}";
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + apiKey).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        java.util.concurrent.CompletableFuture.allOf(calls.toArray(java.util.concurrent.CompletableFuture[]::new))
                .get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(calls).allSatisfy(call -> assertThat(call.join().statusCode()).as(call.join().body()).isEqualTo(201));
        String id = body(calls.get(0).join()).path("id").asText();
        assertThat(get("/api/v1/consultations/" + id, apiKey).statusCode()).isEqualTo(200);
        assertThat(body(get("/api/v1/consultations?limit=100", apiKey)).path("consultations").size()).isEqualTo(16);
    }

    @Test
    void consultationsAreCreatedViewedListedAndEnded() throws Exception {
        HttpResponse<String> created = post("/api/v1/consultations", apiKey,
                "{\"participants\":[{\"user\":\"drsmith\",\"role\":\"provider\"},{\"user\":\"pat\",\"role\":\"patient\"}]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = body(created).path("id").asText();
        assertThat(body(created).path("state").asText()).isEqualTo("open");
        assertThat(body(created).path("participants").size()).isEqualTo(2);

        String patientToken = loginToken("pat", "pat's long password");
        assertThat(get("/api/v1/consultations/" + id, patientToken).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/consultations", patientToken).statusCode()).isEqualTo(403);
        assertThat(body(get("/api/v1/consultations", apiKey)).path("consultations").size()).isEqualTo(1);
        assertThat(post("/api/v1/consultations/" + id + "/end", patientToken, "{}").statusCode()).isEqualTo(403);

        HttpResponse<String> ended = post("/api/v1/consultations/" + id + "/end", loginToken("drsmith", "a long password"), "{}");
        assertThat(ended.statusCode()).isEqualTo(200);
        assertThat(body(ended).path("state").asText()).isEqualTo("ended");
        assertThat(code(post("/api/v1/consultations/" + id + "/end", apiKey, "{}"))).isEqualTo("consultation_ended");
        assertThat(get("/api/v1/consultations/cnothere", apiKey).statusCode()).isEqualTo(404);
    }

    @Test
    void consultationsSurviveARestart() throws Exception {
        HttpResponse<String> created = post("/api/v1/consultations", apiKey,
                "{\"participants\":[{\"user\":\"drsmith\",\"role\":\"provider\"},{\"user\":\"pat\",\"role\":\"patient\"}]}");
        String id = body(created).path("id").asText();
        server.stop();
        server = LoopbackServer.start(dataDir);
        base = LoopbackServer.base(server);

        HttpResponse<String> again = get("/api/v1/consultations/" + id, apiKey);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(body(again).path("participants").size()).isEqualTo(2);
        assertThat(body(again).path("admitted").size()).isZero();
    }

    @Test
    void providersCreateConsultationsTheyRunAndPatientsCannot() throws Exception {
        HttpResponse<String> created = post("/api/v1/consultations", loginToken("drsmith", "a long password"),
                "{\"participants\":[{\"user\":\"pat\",\"role\":\"patient\"}],\"scheduledFor\":\"2099-01-01T09:00:00Z\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(body(created).path("state").asText()).isEqualTo("scheduled");
        assertThat(body(created).path("participants").toString()).contains(provider.id().value());

        HttpResponse<String> refused = post("/api/v1/consultations", loginToken("pat", "pat's long password"), "{}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(code(refused)).isEqualTo("not_authorized");
    }

    @Test
    void guessingAPasswordIsSlowedDownPerLoginWith429AndRetryAfter() throws Exception {
        String wrong = "{\"login\":\"pat\",\"password\":\"a wrong guess\"}";
        for (int i = 1; i <= 6; i++) { // five free failures, the sixth locks the login for a second
            assertThat(post("/api/v1/login", null, wrong).statusCode()).as("attempt " + i).isEqualTo(401);
        }
        HttpResponse<String> locked = post("/api/v1/login", null, "{\"login\":\"pat\",\"password\":\"pat's long password\"}");
        assertThat(locked.statusCode()).as("even the right password waits").isEqualTo(429);
        assertThat(code(locked)).isEqualTo("too_many_attempts");
        assertThat(locked.headers().firstValue("Retry-After")).contains("1");
        assertThat(post("/api/v1/login", null, "{\"login\":\"drsmith\",\"password\":\"a long password\"}")
                .statusCode()).as("other logins are not held up").isEqualTo(200);
        assertThat(server.services().store().auditLog().read(0, 500)).anySatisfy(r -> {
            assertThat(r.event().type()).isEqualTo("auth.throttled");
            assertThat(r.event().subject()).isEqualTo(patient.id().value());
        });

        Thread.sleep(1100); // the lock of the sixth failure (1 s) runs out; the right password goes through
        assertThat(post("/api/v1/login", null, "{\"login\":\"pat\",\"password\":\"pat's long password\"}")
                .statusCode()).isEqualTo(200);
        assertThat(post("/api/v1/login", null, wrong).statusCode()).as("a success cleared the count").isEqualTo(401);
    }

    @Test
    void aPatientFindsTheirOpenConsultationsWithoutTheLink() throws Exception {
        String doctorToken = loginToken("drsmith", "a long password");
        String patientToken = loginToken("pat", "pat's long password");
        assertThat(body(get("/api/v1/me/consultations", patientToken)).path("consultations")).isEmpty();
        String older = body(post("/api/v1/consultations", doctorToken,
                "{\"participants\":[{\"user\":\"pat\",\"role\":\"patient\"}]}")).path("id").asText();
        String newer = body(post("/api/v1/consultations", doctorToken,
                "{\"participants\":[{\"user\":\"pat\",\"role\":\"patient\"}],\"scheduledFor\":\"2099-01-01T09:00:00Z\"}"))
                .path("id").asText();
        post("/api/v1/consultations", doctorToken, "{\"participants\":[]}"); // not the patient's

        JsonNode mine = body(get("/api/v1/me/consultations", patientToken)).path("consultations");
        assertThat(mine).hasSize(2);
        assertThat(mine.get(0).path("id").asText()).isEqualTo(newer);
        assertThat(mine.get(0).path("state").asText()).isEqualTo("scheduled");
        assertThat(mine.get(0).path("scheduledFor").asText()).isEqualTo("2099-01-01T09:00:00Z");
        assertThat(mine.get(1).path("id").asText()).isEqualTo(older);
        assertThat(mine.get(1).path("role").asText()).isEqualTo("patient");
        assertThat(mine.get(1).path("providers").toString()).isEqualTo("[\"Dr Smith\"]");
        assertThat(mine.get(1).has("status")).as("not joined yet").isFalse();

        post("/api/v1/consultations/" + older + "/end", doctorToken, "{}");
        assertThat(body(get("/api/v1/me/consultations", patientToken)).path("consultations")).extracting(
                c -> c.path("id").asText()).containsExactly(newer);
        HttpResponse<String> byKey = get("/api/v1/me/consultations", apiKey);
        assertThat(byKey.statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/me/consultations", null).statusCode()).isEqualTo(401);
    }

    @Test
    void guestInviteIsRedeemedOnceAndTheGuestCanSignIn() throws Exception {
        String doctorToken = loginToken("drsmith", "a long password");
        String id = body(post("/api/v1/consultations", doctorToken, "{\"participants\":[{\"user\":\"pat\",\"role\":\"patient\"}]}"))
                .path("id").asText();
        HttpResponse<String> invite = post("/api/v1/consultations/" + id + "/invites", doctorToken, "{\"role\":\"guest\",\"ttl\":\"2h\"}");
        assertThat(invite.statusCode()).as(invite.body()).isEqualTo(201);
        String token = body(invite).path("invite").asText();
        // the link carries the invite in its fragment, never in the query (which proxies and servers log)
        assertThat(body(invite).path("link").asText()).isEqualTo(base + "/#invite=" + token).doesNotContain("?");
        HttpResponse<String> checked = post("/api/v1/invites/check", null, "{\"invite\":\"" + token + "\"}");
        assertThat(checked.statusCode()).as(checked.body()).isEqualTo(200);
        assertThat(body(checked).path("role").asText()).isEqualTo("guest");
        assertThat(body(checked).path("consultation").asText()).isEqualTo(id);
        assertThat(body(checked).path("expiresAt").asText()).isEqualTo(body(invite).path("expiresAt").asText());

        HttpResponse<String> redeemed = post("/api/v1/invites/redeem", null,
                "{\"invite\":\"" + token + "\",\"displayName\":\"Aunt May\"}");
        assertThat(redeemed.statusCode()).as(redeemed.body()).isEqualTo(200);
        JsonNode guest = body(redeemed);
        assertThat(guest.path("consultation").asText()).isEqualTo(id);
        assertThat(guest.path("user").path("roles").get(0).asText()).isEqualTo("guest");
        var access = server.services().tokens().verify(guest.path("token").asText());
        assertThat(server.services().store().auditLog().read(0, 500)).anySatisfy(r -> {
            assertThat(r.event().type()).isEqualTo("token.issued");
            assertThat(r.event().subject()).isEqualTo(guest.path("user").path("id").asText());
            assertThat(r.event().consultation()).isEqualTo(id);
        });
        assertThat(access.roles()).containsExactly(Role.GUEST);
        assertThat(body(get("/api/v1/consultations/" + id, apiKey)).path("participants").toString())
                .contains(guest.path("user").path("id").asText());

        HttpResponse<String> again = post("/api/v1/invites/redeem", null,
                "{\"invite\":\"" + token + "\",\"displayName\":\"Mallory\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(code(again)).isEqualTo("invite_used");
        HttpResponse<String> checkedUsed = post("/api/v1/invites/check", null, "{\"invite\":\"" + token + "\"}");
        assertThat(checkedUsed.statusCode()).isEqualTo(409);
        assertThat(code(checkedUsed)).isEqualTo("invite_used");
        assertThat(code(post("/api/v1/invites/check", null, "{\"invite\":\"forged.invite.token\"}")))
                .isEqualTo("invite_invalid");
        assertThat(code(post("/api/v1/invites/check", null, "{}"))).isEqualTo("invalid_field");
        assertThat(server.services().accounts().list(0, 100)).extracting(u -> u.displayName()).doesNotContain("Mallory");

        assertThat(code(post("/api/v1/invites/redeem", null, "{\"invite\":\"forged.invite.token\",\"displayName\":\"X\"}")))
                .isEqualTo("invite_invalid");
        assertThat(code(post("/api/v1/consultations/" + id + "/invites", loginToken("pat", "pat's long password"),
                "{\"role\":\"guest\"}"))).isEqualTo("not_authorized");
        assertThat(code(post("/api/v1/consultations/" + id + "/invites", doctorToken, "{\"role\":\"provider\"}")))
                .isEqualTo("invalid_field");

        String unused = body(post("/api/v1/consultations/" + id + "/invites", doctorToken, "{\"role\":\"guest\"}"))
                .path("invite").asText();
        post("/api/v1/consultations/" + id + "/end", doctorToken, "{}");
        // an ended consultation is said so, not taken for a bad link
        HttpResponse<String> late = post("/api/v1/invites/redeem", null,
                "{\"invite\":\"" + unused + "\",\"displayName\":\"Late\"}");
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(code(late)).isEqualTo("consultation_ended");
        assertThat(code(post("/api/v1/invites/check", null, "{\"invite\":\"" + unused + "\"}")))
                .isEqualTo("consultation_ended");
        assertThat(server.services().accounts().list(0, 100)).extracting(u -> u.displayName()).doesNotContain("Late");
    }

    @Test
    void badRequestsGetClearErrors() throws Exception {
        assertThat(code(post("/api/v1/consultations", apiKey, "{\"participants\":[],\"colour\":\"red\"}")))
                .isEqualTo("unknown_field");
        assertThat(code(post("/api/v1/consultations", apiKey, "{not json"))).isEqualTo("malformed_json");
        assertThat(code(post("/api/v1/consultations", apiKey, "{\"maxParticipants\":\"eight\"}"))).isEqualTo("invalid_field");
        assertThat(code(post("/api/v1/consultations", apiKey, "{\"participants\":[{\"user\":\"ghost\",\"role\":\"patient\"}]}")))
                .isEqualTo("user_not_found");
        assertThat(code(post("/api/v1/consultations", apiKey, "{\"participants\":[{\"user\":\"pat\",\"role\":\"surgeon\"}]}")))
                .isEqualTo("invalid_field");
        assertThat(code(post("/api/v1/consultations", apiKey, "{\"scheduledFor\":\"tomorrow\"}"))).isEqualTo("invalid_field");
        HttpResponse<String> plainText = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/consultations"))
                .header("Authorization", "Bearer " + apiKey).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plainText.statusCode()).isEqualTo(415);
        assertThat(code(get("/api/v1/consultations", "not-a-token"))).isEqualTo("token_malformed");
        assertThat(get("/api/v1/consultations/c1/oops", apiKey).statusCode()).isEqualTo(404);
    }

    @Test
    void operatorsListDisconnectAndEndSessionsAndNobodyElseMay() throws Exception {
        server.services().accounts().add(new Login("root"), "Root", Set.of(Role.ADMIN), "a long password".toCharArray(), "test");
        String admin = loginToken("root", "a long password");
        String patToken = loginToken("pat", "pat's long password");
        int port = server.httpAddress().getPort();
        String session;
        String resumeToken;
        long lastSeq;
        try (WsClient pat = WsClient.connect(port)) {
            JsonNode welcome = pat.hello(patToken);
            session = welcome.path("session").asText();
            resumeToken = welcome.path("resumeToken").asText();

            HttpResponse<String> refused = get("/api/v1/sessions", loginToken("drsmith", "a long password"));
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(code(refused)).isEqualTo("not_authorized");
            assertThat(get("/api/v1/sessions", null).statusCode()).isEqualTo(401);
            assertThat(code(post("/api/v1/sessions/" + session + "/end", patToken, "{}"))).isEqualTo("not_authorized");

            JsonNode listed = body(get("/api/v1/sessions?user=pat", admin)).path("sessions");
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).path("id").asText()).isEqualTo(session);
            assertThat(listed.get(0).path("user").asText()).isEqualTo(patient.id().value());
            assertThat(listed.get(0).path("endpoint").asText()).isEqualTo(welcome.path("endpoint").asText());
            assertThat(listed.get(0).path("connected").asBoolean()).isTrue();
            assertThat(listed.get(0).has("resumeToken")).isFalse();
            assertEmptyList(get("/api/v1/sessions?user=drsmith", admin));
            // an API key does not see (or act on) administrators' sessions
            try (WsClient root = WsClient.connect(port)) {
                String rootSession = root.hello(admin).path("session").asText();
                assertThat(body(get("/api/v1/sessions?user=root", admin)).path("sessions")).hasSize(1);
                assertEmptyList(get("/api/v1/sessions?user=root", apiKey));
                HttpResponse<String> notYours = post("/api/v1/sessions/" + rootSession + "/end", apiKey, "{}");
                assertThat(notYours.statusCode()).isEqualTo(403);
                assertThat(code(notYours)).isEqualTo("not_authorized");
                assertThat(root.closed).isNotDone();
            }
            assertThat(code(get("/api/v1/sessions?user=ghost", admin))).isEqualTo("user_not_found");
            assertThat(code(get("/api/v1/sessions?limit=0", admin))).isEqualTo("invalid_field");

            // disconnect: 1012, the session stays and the client resumes it
            HttpResponse<String> cut = post("/api/v1/sessions/" + session + "/disconnect", admin, "{}");
            assertThat(cut.statusCode()).as(cut.body()).isEqualTo(200);
            assertThat(body(cut).path("ended").asBoolean()).isFalse();
            assertThat(pat.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1012);
            lastSeq = pat.lastSeq();
            JsonNode detached = body(get("/api/v1/sessions?user=pat", apiKey)).path("sessions").get(0);
            assertThat(detached.path("connected").asBoolean()).isFalse();
            assertThat(detached.path("detachedSince").asText()).isNotEmpty();
        }
        try (WsClient back = WsClient.connect(port)) {
            back.send(resume(patToken, session, resumeToken, lastSeq));
            JsonNode welcome = back.next(m -> m.path("type").asText().equals("welcome")
                    || m.path("type").asText().equals("error"));
            assertThat(welcome.path("type").asText()).as(welcome.toString()).isEqualTo("welcome");
            assertThat(welcome.path("resumed").asBoolean()).isTrue();

            // end: 4410, the session is gone and cannot be resumed
            HttpResponse<String> ended = post("/api/v1/sessions/" + session + "/end", apiKey, "{}");
            assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
            assertThat(body(ended).path("ended").asBoolean()).isTrue();
            assertThat(body(ended).path("connected").asBoolean()).isFalse();
            assertThat(back.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4410);
            assertEmptyList(get("/api/v1/sessions?user=pat", apiKey));
            assertThat(code(post("/api/v1/sessions/" + session + "/end", apiKey, "{}"))).isEqualTo("session_not_found");
            assertThat(code(post("/api/v1/sessions/" + session + "/pause", apiKey, "{}"))).isEqualTo("not_found");
        }
        try (WsClient again = WsClient.connect(port)) {
            again.send(resume(patToken, session, resumeToken, lastSeq));
            assertThat(again.next("error").path("code").asText()).isEqualTo("resume_expired");
        }
    }

    @Test
    void disablingAUserEndsTheirLiveSessionsAndLocksThemOutUntilEnabled() throws Exception {
        server.services().accounts().add(new Login("root"), "Root", Set.of(Role.ADMIN), "a long password".toCharArray(), "test");
        String admin = loginToken("root", "a long password");
        String patToken = loginToken("pat", "pat's long password");
        try (WsClient pat = WsClient.connect(server.httpAddress().getPort())) {
            pat.hello(patToken);

            String doctor = loginToken("drsmith", "a long password");
            assertThat(code(post("/api/v1/users/pat/disable", doctor, "{}"))).isEqualTo("not_authorized");
            // the same answer for a login that does not exist: nobody but operators learns which do
            assertThat(code(post("/api/v1/users/ghost/disable", doctor, "{}"))).isEqualTo("not_authorized");
            assertThat(code(post("/api/v1/users/root/disable", apiKey, "{}"))).isEqualTo("not_authorized");
            HttpResponse<String> self = post("/api/v1/users/root/disable", admin, "{}");
            assertThat(self.statusCode()).isEqualTo(409);
            assertThat(code(post("/api/v1/users/ghost/disable", apiKey, "{}"))).isEqualTo("user_not_found");
            assertThat(post("/api/v1/users/pat/suspend", apiKey, "{}").statusCode()).isEqualTo(404);
            assertThat(pat.closed).isNotDone();

            HttpResponse<String> disabled = post("/api/v1/users/pat/disable", apiKey, "{}");
            assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
            assertThat(body(disabled).path("enabled").asBoolean()).isFalse();
            assertThat(body(disabled).path("sessionsEnded").asInt()).isEqualTo(1);
            assertThat(pat.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4403);
        }
        assertThat(code(post("/api/v1/login", null, "{\"login\":\"pat\",\"password\":\"pat's long password\"}")))
                .isEqualTo("bad_credentials");
        assertThat(code(post("/api/v1/tokens", apiKey, "{\"user\":\"pat\"}"))).isEqualTo("account_disabled");
        try (WsClient again = WsClient.connect(server.httpAddress().getPort())) {
            assertThat(again.hello(patToken).path("code").asText()).isEqualTo("account_disabled");
        }

        HttpResponse<String> enabled = post("/api/v1/users/pat/enable", admin, "{}");
        assertThat(enabled.statusCode()).as(enabled.body()).isEqualTo(200);
        assertThat(body(enabled).path("enabled").asBoolean()).isTrue();
        assertThat(body(enabled).path("sessionsEnded").asInt()).isZero();
        loginToken("pat", "pat's long password");
    }

    @Test
    void operatorActionsTheAuditTrailCannotRecordAreNotDone() throws Exception {
        server.services().accounts().add(new Login("root"), "Root", Set.of(Role.ADMIN), "a long password".toCharArray(), "test");
        String admin = loginToken("root", "a long password");
        try (WsClient pat = WsClient.connect(server.httpAddress().getPort())) {
            String session = pat.hello(loginToken("pat", "pat's long password")).path("session").asText();
            server.services().audit().close(); // from now on every record is refused at once

            for (String path : new String[] {"/api/v1/sessions/" + session + "/end",
                "/api/v1/sessions/" + session + "/disconnect", "/api/v1/users/pat/disable"}) {
                HttpResponse<String> refused = post(path, admin, "{}");
                assertThat(refused.statusCode()).as(path).isEqualTo(503);
                assertThat(code(refused)).as(path).isEqualTo("audit_unavailable");
            }
            // nothing was done: the session is connected and the account enabled
            JsonNode listed = body(get("/api/v1/sessions?user=pat", admin)).path("sessions");
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).path("connected").asBoolean()).isTrue();
            assertThat(pat.closed).isNotDone();
            assertThat(server.services().accounts().find(new Login("pat")).orElseThrow().enabled()).isTrue();
        }
    }

    private static void assertEmptyList(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(body(response).path("sessions").isArray()).isTrue();
        assertThat(body(response).path("sessions")).isEmpty();
    }

    private static String resume(String token, String session, String resumeToken, long lastSeq) {
        var hello = WsClient.message("hello").put("token", token);
        hello.putObject("resume").put("session", session).put("resumeToken", resumeToken).put("lastSeq", lastSeq);
        return hello.toString();
    }

    @Test
    void aNodeIsDrainedByAnAdministratorOnlyNeverWithAnApiKey() throws Exception {
        HttpResponse<String> byKey = post("/api/v1/node/drain", apiKey, "{}");
        assertThat(byKey.statusCode()).isEqualTo(403);
        assertThat(code(byKey)).isEqualTo("not_authorized");
        String patientToken = server.services().tokens().issue(patient.id(), patient.roles(), Optional.empty()).jwt();
        assertThat(post("/api/v1/node/drain", patientToken, "{}").statusCode()).isEqualTo(403);
        assertThat(post("/api/v1/node/drain", null, "{}").statusCode()).isEqualTo(401);
        // still serving: nobody drained it
        assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> server.services().store()
                .auditLog().read(0, 100).stream().filter(r -> r.event().type().equals("node.drained")).count() == 2);
    }
}
