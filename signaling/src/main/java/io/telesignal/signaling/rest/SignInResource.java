package io.telesignal.signaling.rest;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.telesignal.core.apikey.ApiKeyPolicy;
import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.auth.IssuedToken;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.net.http.HttpHandler;
import io.telesignal.net.http.HttpRequest;
import io.telesignal.net.http.HttpResponse;
import io.telesignal.net.http.Routes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** {@code /api/v1/login} (password sign-in) and {@code /api/v1/tokens} (tokens for a platform's users, by its API key). */
final class SignInResource {
    private final RestSupport support;

    SignInResource(RestSupport support) {
        this.support = support;
    }

    record LoginRequest(String login, String password) {}

    record TokenRequest(String user, String ttl) {}

    void register(Routes routes, Function<HttpHandler, HttpHandler> guard) {
        routes.post("/api/v1/login", guard.apply(this::signIn));
        routes.post("/api/v1/tokens", guard.apply(this::issueToken));
    }

    private CompletionStage<HttpResponse> signIn(HttpRequest request) {
        LoginRequest body = support.read(request, LoginRequest.class);
        if (body.login() == null || body.password() == null) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "login and password are required");
        }
        Login login = RestSupport.login(body.login());
        return support.blocking(() -> {
            User user = support.accounts.authenticate(login, body.password().toCharArray(), RestSupport.address(request))
                    .orElseThrow(() -> new RestException(HttpResponseStatus.UNAUTHORIZED, "bad_credentials",
                            "wrong login or password"));
            IssuedToken token = support.tokens.issue(user.id(), user.roles(), Optional.empty());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("token", token.jwt());
            answer.put("expiresAt", token.claims().expiresAt().toString());
            answer.put("user", Map.of("id", user.id().value(), "displayName", user.displayName(),
                    "roles", user.roles().stream().map(Role::wireName).sorted().toList()));
            return support.respond(HttpResponseStatus.OK, answer);
        });
    }

    private CompletionStage<HttpResponse> issueToken(HttpRequest request) {
        TokenRequest body = support.read(request, TokenRequest.class);
        if (body.user() == null) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "user is required");
        }
        Login login = RestSupport.login(body.user());
        Optional<Duration> ttl = Optional.ofNullable(body.ttl()).map(RestSupport::ttl);
        return support.blocking(() -> {
            Caller caller = support.authenticate(request);
            if (!caller.apiKey()) {
                throw new RestException(HttpResponseStatus.FORBIDDEN, "not_authorized", "tokens are issued to API keys");
            }
            User user = support.accounts.find(login).orElseThrow(() -> new RestException(HttpResponseStatus.NOT_FOUND,
                    "user_not_found", "no such user"));
            support.keyPolicy(() -> ApiKeyPolicy.checkTokenFor(user), AuditEvent.of("token.issued",
                    caller.actor().user().value(), Outcome.DENIED).subject(user.id().value()));
            IssuedToken token;
            try {
                token = support.tokens.issue(user.id(), user.roles(), ttl);
            } catch (IllegalArgumentException e) {
                throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "ttl: " + e.getMessage());
            }
            support.audit.recordNow(AuditEvent.of("token.issued", caller.actor().user().value(), Outcome.OK)
                    .subject(user.id().value()).remoteAddress(RestSupport.address(request)));
            return support.respond(HttpResponseStatus.OK, Map.of("token", token.jwt(),
                    "expiresAt", token.claims().expiresAt().toString(), "user", user.id().value()));
        });
    }
}
