package io.telesignal.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.server.testing.LoopbackServer;
import io.telesignal.server.wiring.TelesignalServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/users/<login>/devices} end to end: who may manage device passwords, and what they are good for. */
class DevicePasswordApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dataDir;
    private TelesignalServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;
    private String apiKey;
    private User provider;

    @BeforeEach
    void start() {
        server = LoopbackServer.start(dataDir);
        base = LoopbackServer.base(server);
        var accounts = server.services().accounts();
        provider = accounts.add(new Login("drsmith"), "Dr Smith", Set.of(Role.PROVIDER), "a long password".toCharArray(), "test");
        accounts.add(new Login("pat"), "Pat Doe", Set.of(Role.PATIENT), "pat's long password".toCharArray(), "test");
        accounts.add(new Login("root"), "Root", Set.of(Role.ADMIN), "root's long password".toCharArray(), "test");
        apiKey = server.services().apiKeys().create("platform", "test").secret();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void aUserCreatesListsAndRevokesTheirOwnDevicePasswords() throws Exception {
        String token = token("drsmith", "a long password");
        HttpResponse<String> created = send("POST", "/api/v1/users/drsmith/devices", token, "{\"label\":\"Desk phone\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode device = JSON.readTree(created.body());
        String password = device.path("password").asText();
        assertThat(password).hasSize(20);
        assertThat(device.path("sipUsername").asText()).isEqualTo("drsmith");
        assertThat(device.path("sipRealm").asText()).isEqualTo("telesignal");

        // what a SIP phone would do with it: RFC 7616 digest, checked by the server against this device password
        String tail = ":nonce:00000001:cnonce:auth:" + hex("REGISTER:sip:telesignal");
        String response = hex(hex("drsmith:telesignal:" + password) + tail);
        var devices = server.services().devicePasswords();
        assertThat(devices.verifySipDigest(provider, "SHA-256", ha1 -> hex(ha1 + tail), response, "127.0.0.1"))
                .isPresent();
        // the account password is no device password
        String withAccountPassword = hex(hex("drsmith:telesignal:a long password") + tail);
        assertThat(devices.verifySipDigest(provider, "SHA-256", ha1 -> hex(ha1 + tail), withAccountPassword, "127.0.0.1"))
                .isEmpty();

        HttpResponse<String> list = send("GET", "/api/v1/users/drsmith/devices", token, null);
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode listed = JSON.readTree(list.body()).path("devices");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).path("label").asText()).isEqualTo("Desk phone");
        assertThat(listed.get(0).path("lastUsedAt").asText()).isNotEmpty();
        assertThat(list.body()).doesNotContain(password);

        String id = device.path("id").asText();
        assertThat(send("DELETE", "/api/v1/users/drsmith/devices/" + id, token, null).statusCode()).isEqualTo(200);
        assertThat(code(send("DELETE", "/api/v1/users/drsmith/devices/" + id, token, null))).isEqualTo("device_not_found");
        assertThat(devices.verifySipDigest(provider, "SHA-256", ha1 -> hex(ha1 + tail), response, "127.0.0.1")).isEmpty();
        assertThat(server.services().store().auditLog().read(0, 500)).extracting(r -> r.event().type())
                .contains("device.created", "auth.device", "device.revoked");
    }

    @Test
    void operatorsManageOthersDevicePasswordsAndNobodyElseMay() throws Exception {
        String patient = token("pat", "pat's long password");
        HttpResponse<String> refused = send("POST", "/api/v1/users/drsmith/devices", patient, "{\"label\":\"x\"}");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(send("GET", "/api/v1/users/drsmith/devices", patient, null).statusCode()).isEqualTo(403);
        assertThat(send("GET", "/api/v1/users/nobody/devices", patient, null).statusCode())
                .as("a stranger learns nothing of which logins exist").isEqualTo(403);
        assertThat(send("GET", "/api/v1/users/drsmith/devices", null, null).statusCode()).isEqualTo(401);

        // a platform provisioning a phone gives the password itself, and it must be long enough
        HttpResponse<String> tooShort = send("POST", "/api/v1/users/drsmith/devices", apiKey,
                "{\"label\":\"Ward phone\",\"password\":\"short\"}");
        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(code(tooShort)).isEqualTo("invalid_password");
        HttpResponse<String> given = send("POST", "/api/v1/users/drsmith/devices", apiKey,
                "{\"label\":\"Ward phone\",\"password\":\"provisioned-by-the-platform\"}");
        assertThat(given.statusCode()).as(given.body()).isEqualTo(201);
        assertThat(JSON.readTree(given.body()).has("password")).as("never echoed").isFalse();
        // an API key never manages an administrator's
        HttpResponse<String> admin = send("POST", "/api/v1/users/root/devices", apiKey, "{\"label\":\"x\"}");
        assertThat(admin.statusCode()).isEqualTo(403);

        String root = token("root", "root's long password");
        assertThat(send("GET", "/api/v1/users/drsmith/devices", root, null).statusCode()).isEqualTo(200);
        assertThat(code(send("GET", "/api/v1/users/nobody/devices", root, null))).isEqualTo("user_not_found");
        assertThat(code(send("POST", "/api/v1/users/drsmith/devices", root, "{\"label\":\"\"}"))).isEqualTo("invalid_field");
        assertThat(code(send("POST", "/api/v1/users/drsmith/devices", root, "{\"lable\":\"x\"}"))).isEqualTo("unknown_field");
        assertThat(code(send("DELETE", "/api/v1/users/drsmith/devices", root, null))).isEqualTo("not_found");
    }

    @Test
    void theLimitPerUserHolds() throws Exception {
        String token = token("drsmith", "a long password");
        for (int i = 0; i < 10; i++) {
            assertThat(send("POST", "/api/v1/users/drsmith/devices", token, "{\"label\":\"phone " + i + "\"}").statusCode())
                    .isEqualTo(201);
        }
        HttpResponse<String> over = send("POST", "/api/v1/users/drsmith/devices", token, "{\"label\":\"one more\"}");
        assertThat(over.statusCode()).isEqualTo(409);
        assertThat(code(over)).isEqualTo("device_limit_reached");
    }

    private String token(String login, String password) throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/login", null,
                "{\"login\":\"" + login + "\",\"password\":\"" + password + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("token").asText();
    }

    private HttpResponse<String> send(String method, String path, String bearer, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("error").path("code").asText();
    }

    private static String hex(String input) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
