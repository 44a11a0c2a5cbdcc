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
    private final io.telesignal.core.auth.SignInThrottle throttle;
    private final io.telesignal.core.work.WorkerPool hashing;

    /** {@code hashing}: the pool passwords are checked on, apart from the shared workers signaling uses. */
    SignInResource(RestSupport support, io.telesignal.core.auth.SignInThrottle throttle,
            io.telesignal.core.work.WorkerPool hashing) {
        this.support = support;
        this.throttle = throttle;
        this.hashing = hashing;
    }

    record LoginRequest(String login, String password) {}

    record TokenRequest(String user, String ttl) {}

    void register(Routes routes, Function<HttpHandler, HttpHandler> guard) {
        routes.post("/api/v1/login", guard.apply(this::signIn));
        routes.post("/api/v1/tokens", guard.apply(this::issueToken));
        routes.post("/api/v1/tokens/refresh", guard.apply(this::refresh));
    }

    /**
     * A fresh token ({@code tokens.ttl}) for the user a still-valid token names, so that an app (a guest's included)
     * holds short-lived tokens and renews them while it is used, rather than one that lives for hours. Audited as
     * {@code token.issued}; refused for API keys, and for disabled or unknown users like any token.
     */
    private CompletionStage<HttpResponse> refresh(HttpRequest request) {
        return support.blocking(() -> {
            Caller caller = support.authenticate(request);
            if (caller.apiKey()) {
                throw new RestException(HttpResponseStatus.FORBIDDEN, "not_authorized",
                        "API keys get tokens for users with POST /api/v1/tokens");
            }
            IssuedToken token = support.tokens.issue(caller.actor().user(), caller.actor().roles(), Optional.empty());
            support.audit.recordNow(AuditEvent.of("token.issued", caller.actor().user().value(), Outcome.OK)
                    .subject(caller.actor().user().value()).remoteAddress(RestSupport.address(request)).reason("refresh"));
            return support.respond(HttpResponseStatus.OK, Map.of("token", token.jwt(),
                    "expiresAt", token.claims().expiresAt().toString()));
        });
    }

    private CompletionStage<HttpResponse> signIn(HttpRequest request) {
        LoginRequest body = support.read(request, LoginRequest.class);
        if (body.login() == null || body.password() == null) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "login and password are required");
        }
        Login login = RestSupport.login(body.login());
        String address = RestSupport.address(request);
        // a login or address that failed too often waits, refused before any password is hashed
        return throttle.retryAfter(login.value(), address).thenCompose(wait -> {
            if (wait.isPresent()) {
                long seconds = io.telesignal.core.auth.SignInThrottle.seconds(wait.get());
                // audited with the account's id (a login is not written to the audit trail), no password checked
                return support.blocking(() -> support.accounts.find(login).map(u -> u.id().value()).orElse("unknown"))
                        .thenCompose(target -> support.audit.record(AuditEvent.of("auth.throttled", "unknown",
                                Outcome.DENIED).subject(target).remoteAddress(address).reason("too_many_failures")))
                        .thenApply(recorded -> HttpResponse.error(HttpResponseStatus.TOO_MANY_REQUESTS,
                                "too_many_attempts", "too many failed sign-ins; try again in " + seconds + " s")
                                .withHeader("Retry-After", Long.toString(seconds)));
            }
            return hashing.submit(() -> support.accounts.authenticate(login, body.password().toCharArray(), address))
                    .thenCompose(found -> (found.isPresent() ? throttle.succeeded(login.value())
                            : throttle.failed(login.value(), address)).thenApply(counted -> found))
                    .thenCompose(found -> {
                        User user = found.orElseThrow(() -> new RestException(HttpResponseStatus.UNAUTHORIZED,
                                "bad_credentials", "wrong login or password"));
                        IssuedToken token = support.tokens.issue(user.id(), user.roles(), Optional.empty());
                        return support.audit.record(AuditEvent.of("token.issued", user.id().value(), Outcome.OK)
                                .subject(user.id().value()).remoteAddress(address))
                                .thenApply(recorded -> answer(user, token));
                    });
        });
    }

    private HttpResponse answer(User user, IssuedToken token) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("token", token.jwt());
        answer.put("expiresAt", token.claims().expiresAt().toString());
        answer.put("user", Map.of("id", user.id().value(), "displayName", user.displayName(),
                "roles", user.roles().stream().map(Role::wireName).sorted().toList()));
        return support.respond(HttpResponseStatus.OK, answer);
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
