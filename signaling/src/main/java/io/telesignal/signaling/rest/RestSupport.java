package io.telesignal.signaling.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.telesignal.core.DomainException;
import io.telesignal.core.apikey.ApiKey;
import io.telesignal.core.apikey.ApiKeyPolicy;
import io.telesignal.core.apikey.ApiKeys;
import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.auth.TokenRejectedException;
import io.telesignal.core.auth.SignInThrottle;
import io.telesignal.core.auth.TokenService;
import io.telesignal.core.auth.TokenSignIn;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.ConsultationException;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.directory.Accounts;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.work.BusyException;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.net.http.HttpHandler;
import io.telesignal.net.http.HttpRequest;
import io.telesignal.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every {@code /api/v1} resource shares: who is calling (an API key or an access token, checked the same way
 * everywhere), strict JSON in and out, the hop to the worker pool, and one mapping of failures to statuses and codes.
 */
final class RestSupport {
    private static final Logger LOG = LoggerFactory.getLogger(RestSupport.class);

    final TokenService tokens;
    final Accounts accounts;
    private final TokenSignIn tokenSignIn;
    private final ApiKeys apiKeys;
    private final WorkerPool workers;
    final AuditTrail audit;
    private final ObjectMapper json = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    RestSupport(TokenService tokens, TokenSignIn tokenSignIn, Accounts accounts, ApiKeys apiKeys, WorkerPool workers,
            AuditTrail audit) {
        this.tokens = tokens;
        this.tokenSignIn = tokenSignIn;
        this.accounts = accounts;
        this.apiKeys = apiKeys;
        this.workers = workers;
        this.audit = audit;
    }

    /**
     * An administrator's token or an API key (what an API key may do is then up to {@link ApiKeyPolicy}); anyone
     * else is refused with {@code why}, and the refusal audited as {@code action}.
     */
    Caller operator(HttpRequest request, String action, String why) {
        Caller caller = authenticate(request);
        if (!caller.apiKey() && !caller.actor().roles().contains(Role.ADMIN)) {
            audit.recordNow(AuditEvent.of(action, caller.actor().user().value(), Outcome.DENIED).reason("not_authorized"));
            throw new RestException(HttpResponseStatus.FORBIDDEN, "not_authorized", why);
        }
        return caller;
    }

    /** Runs an {@link ApiKeyPolicy} check; a refusal is recorded as {@code denied} with its code and answered 403. */
    void keyPolicy(Runnable check, AuditEvent.Builder denied) {
        try {
            check.run();
        } catch (io.telesignal.core.Refusal refused) {
            audit.recordNow(denied.reason(refused.code()));
            throw new RestException(HttpResponseStatus.FORBIDDEN, refused.code(), refused.getMessage());
        }
    }

    /** The caller named by {@code Authorization: Bearer}: an API key ({@code tsk_...}) or an access token. */
    Caller authenticate(HttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new RestException(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                    "send Authorization: Bearer <API key or access token>");
        }
        String credential = header.substring(7).trim();
        if (credential.startsWith("tsk_")) {
            try {
                tokenSignIn.checkThrottle(address(request));
            } catch (TokenSignIn.Refused refused) {
                throw refusal(refused);
            }
            ApiKey key = apiKeys.authenticate(credential, address(request)).orElseThrow(() -> {
                tokenSignIn.throttle().addressFailed(address(request)).toCompletableFuture().join();
                return new RestException(HttpResponseStatus.UNAUTHORIZED, "unauthorized", "API key refused");
            });
            return new Caller(new Actor(new UserId("apikey." + key.id()), "API key", Set.of(Role.STAFF)), true);
        }
        User user;
        try {
            user = tokenSignIn.authenticate(credential, address(request));
        } catch (TokenRejectedException e) {
            throw new RestException(HttpResponseStatus.UNAUTHORIZED, e.code(), "token refused");
        } catch (TokenSignIn.Refused refused) {
            throw refusal(refused);
        }
        return new Caller(new Actor(user.id(), user.displayName(), user.roles()), false);
    }

    /** 429 with Retry-After for a locked address; 401 for a token naming no user or a disabled one. */
    private static RestException refusal(TokenSignIn.Refused refused) {
        if (refused.retryAfter().isPresent()) {
            return new RestException(HttpResponseStatus.TOO_MANY_REQUESTS, refused.code(), refused.getMessage(),
                    java.util.Map.of("Retry-After", String.valueOf(SignInThrottle.seconds(refused.retryAfter().get()))));
        }
        return new RestException(HttpResponseStatus.UNAUTHORIZED, "unauthorized", "the token's user is unknown or disabled");
    }

    <T> CompletionStage<T> blocking(java.util.function.Supplier<T> work) {
        return workers.submit(work);
    }

    /** Wraps every handler so that any failure becomes a JSON error with the right status. */
    Function<HttpHandler, HttpHandler> errors() {
        return handler -> request -> {
            CompletionStage<HttpResponse> stage;
            try {
                stage = handler.handle(request);
            } catch (RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            return stage.exceptionally(failure -> error(failure));
        };
    }

    private HttpResponse error(Throwable failure) {
        Throwable cause = io.telesignal.core.work.Failures.cause(failure);
        if (cause instanceof RestException rest) {
            HttpResponse response = HttpResponse.error(rest.status(), rest.code(), rest.getMessage());
            for (var header : rest.headers().entrySet()) {
                response = response.withHeader(header.getKey(), header.getValue());
            }
            return response;
        }
        if (cause instanceof BusyException busy) {
            return HttpResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE, busy.code(), "server busy, retry")
                    .withHeader("Retry-After", "1");
        }
        if (cause instanceof ConsultationException ce) {
            HttpResponseStatus status = switch (ce.reason()) {
                case NOT_AUTHORIZED -> HttpResponseStatus.FORBIDDEN;
                case CONSULTATION_NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
                case CONSULTATION_ENDED, CONFLICT, CONSULTATION_FULL, NOT_WAITING, NOT_PARTICIPANT ->
                        HttpResponseStatus.CONFLICT;
            };
            return HttpResponse.error(status, ce.code(), ce.getMessage());
        }
        if (cause instanceof io.telesignal.core.invite.InviteException invite) {
            return HttpResponse.error(invite.code().equals("invite_used") ? HttpResponseStatus.CONFLICT
                    : HttpResponseStatus.BAD_REQUEST, invite.code(), invite.getMessage());
        }
        if (cause instanceof DomainException domain) {
            return HttpResponse.error(HttpResponseStatus.SERVICE_UNAVAILABLE, domain.code(), domain.getMessage());
        }
        if (cause instanceof IllegalArgumentException invalid) {
            return HttpResponse.error(HttpResponseStatus.BAD_REQUEST, "invalid_field", invalid.getMessage());
        }
        String id = io.telesignal.core.work.Failures.unexpected(LOG, "event=rest_request outcome=error", cause);
        return HttpResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error", "internal error (" + id + ")");
    }

    <T> T read(HttpRequest request, Class<T> type) {
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new RestException(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                    "send Content-Type: application/json");
        }
        try {
            T body = json.readValue(request.body(), type);
            if (body == null) {
                throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "a JSON object is required");
            }
            return body;
        } catch (com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException e) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "unknown_field", "unknown field " + e.getPropertyName());
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "a field has the wrong type");
        } catch (JsonProcessingException e) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "malformed_json", "not a JSON object");
        } catch (java.io.IOException e) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "malformed_json", "unreadable body");
        }
    }

    HttpResponse respond(HttpResponseStatus status, Object body) {
        try {
            return HttpResponse.json(status, json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Login login(String value) {
        try {
            return new Login(value);
        } catch (IllegalArgumentException e) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", e.getMessage());
        }
    }

    static Role role(String value) {
        try {
            return Role.fromWireName(value);
        } catch (IllegalArgumentException e) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", e.getMessage());
        }
    }

    static Duration ttl(String text) {
        return io.telesignal.core.Durations.parse(text).orElseThrow(() -> new RestException(
                HttpResponseStatus.BAD_REQUEST, "invalid_field", "ttl must look like 90s, 15m, 2h, 1d"));
    }

    static int intParameter(HttpRequest request, String name, int fallback, int min, int max) {
        Optional<String> raw = request.queryParameter(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.get());
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", name + " must be " + min + "-" + max);
        }
    }

    static String address(HttpRequest request) {
        return request.remoteAddress().getAddress().getHostAddress();
    }

    static ConsultationService.Origin origin(HttpRequest request) {
        return new ConsultationService.Origin(null, address(request));
    }
}
