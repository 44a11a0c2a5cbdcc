package io.telesignal.signaling.rest;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.telesignal.net.http.HttpRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Jazzer fuzz target for what the REST API reads from a request: every body type (strict JSON into records), the
 * query string with its number parameters, and the field parsers (logins, roles, durations). Whatever comes in is
 * read or refused with a {@link RestException} (a 4xx with a code); nothing else may escape. Runs its seeds in every
 * build; fuzz with {@code JAZZER_FUZZ=1 ./mvnw -pl signaling test -Dtest=RestInputFuzzTest}.
 */
class RestInputFuzzTest {
    private static final List<Class<?>> BODIES = List.of(UserResource.CreateUser.class,
            DeviceResource.CreateDevice.class, SignInResource.LoginRequest.class, SignInResource.TokenRequest.class,
            ConsultationResource.CreateConsultation.class, ConsultationResource.CreateInvite.class,
            InviteResource.RedeemInvite.class, InviteResource.CheckInvite.class);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.1", 40000);
    private final RestSupport support = new RestSupport(null, null, null, null, null, null);

    @FuzzTest(maxDuration = "60s")
    void bodiesQueriesAndFieldsAreReadOrRefused(FuzzedDataProvider data) {
        Class<?> type = BODIES.get(data.consumeInt(0, BODIES.size() - 1));
        String contentType = data.consumeBoolean() ? "application/json" : data.consumeString(40);
        String uri = "/api/v1/consultations?" + data.consumeString(200);
        String field = data.consumeString(100);
        byte[] body = data.consumeRemainingAsBytes();
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        try {
            headers.set("Content-Type", contentType);
        } catch (IllegalArgumentException notAHeaderValue) {
            headers.set("Content-Type", "application/json"); // Netty itself refuses such a header on the wire
        }
        QueryStringDecoder query;
        try {
            query = new QueryStringDecoder(uri);
            query.parameters();
        } catch (IllegalArgumentException refusedByTheDecoder) {
            return; // the dispatcher answers 400 for a request line Netty cannot decode
        }
        HttpRequest request = new HttpRequest(HttpMethod.POST, query.path(), query.parameters(), headers, body, CLIENT);
        expectRefusalOnly(() -> support.read(request, type));
        expectRefusalOnly(() -> RestSupport.intParameter(request, "limit", 50, 1, 500));
        expectRefusalOnly(() -> RestSupport.intParameter(request, "offset", 0, 0, Integer.MAX_VALUE));
        expectRefusalOnly(() -> RestSupport.login(field));
        expectRefusalOnly(() -> RestSupport.role(field));
        expectRefusalOnly(() -> RestSupport.ttl(field));
    }

    private static void expectRefusalOnly(Runnable read) {
        try {
            read.run();
        } catch (RestException refused) {
            // a 4xx with a code: the contract
        }
    }
}
