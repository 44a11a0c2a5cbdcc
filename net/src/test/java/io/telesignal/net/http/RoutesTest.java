package io.telesignal.net.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RoutesTest {
    private final HttpHandler a = r -> CompletableFuture.completedFuture(HttpResponse.text(HttpResponseStatus.OK, "a"));
    private final HttpHandler b = r -> CompletableFuture.completedFuture(HttpResponse.text(HttpResponseStatus.OK, "b"));
    private final HttpHandler c = r -> CompletableFuture.completedFuture(HttpResponse.text(HttpResponseStatus.OK, "c"));

    @Test
    void exactRoutesWinThenTheLongestPrefix() {
        Routes routes = new Routes().get("/api/v1/consultations", a).get("/api/v1/consultations/*", b)
                .post("/api/v1/consultations/special/*", c);

        assertThat(routes.find(HttpMethod.GET, "/api/v1/consultations")).contains(a);
        assertThat(routes.find(HttpMethod.GET, "/api/v1/consultations/c1")).contains(b);
        assertThat(routes.find(HttpMethod.POST, "/api/v1/consultations/special/x")).contains(c);
        assertThat(routes.find(HttpMethod.POST, "/api/v1/consultations/c1")).isEmpty();
        assertThat(routes.knows("/api/v1/consultations/c1")).isTrue();
        assertThat(routes.methods("/api/v1/consultations/c1")).containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.HEAD);
        assertThat(routes.find(HttpMethod.GET, "/api/v1/consultations/")).isEmpty();
        assertThat(routes.knows("/elsewhere")).isFalse();
    }
}
