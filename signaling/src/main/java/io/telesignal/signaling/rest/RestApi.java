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
import io.telesignal.core.auth.AccessToken;
import io.telesignal.core.auth.IssuedToken;
import io.telesignal.core.auth.TokenRejectedException;
import io.telesignal.core.auth.TokenService;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationException;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.directory.Accounts;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.work.BusyException;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.net.http.HttpRequest;
import io.telesignal.net.http.HttpResponse;
import io.telesignal.net.http.Routes;
import io.telesignal.signaling.session.SessionRegistry;
import io.telesignal.signaling.session.SignalingSession;
import io.telesignal.signaling.ws.CloseCode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1}: JSON in, JSON out, errors as {@code {"error":{"code","message"}}} with a matching status.
 * Bodies are read strictly (unknown fields, wrong types refused). Every handler hops to the worker pool for its
 * blocking part (password hashing, directory, store) and answers from there.
 */
public final class RestApi {
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
    private static final Pattern CONSULTATION_PATH = Pattern.compile(
            "/api/v1/consultations/([A-Za-z0-9._-]{1,64})(/end|/invites)?");
    private static final Pattern USER_PATH = Pattern.compile("/api/v1/users/([^/]{1,128})/(disable|enable)");
    private static final Pattern SESSION_PATH = Pattern.compile("/api/v1/sessions/([A-Za-z0-9_-]{1,64})/(disconnect|end)");
    private static final Pattern TTL = Pattern.compile("(\\d{1,9})(s|m|h|d)");

    private final TokenService tokens;
    private final Accounts accounts;
    private final ApiKeys apiKeys;
    private final ConsultationService consultations;
    private final WorkerPool workers;
    private final AuditTrail audit;
    private final io.telesignal.core.invite.InviteService invites;
    private final java.time.Clock clock;
    private final SessionRegistry sessions;
    private final ObjectMapper json = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    public RestApi(TokenService tokens, Accounts accounts, ApiKeys apiKeys, ConsultationService consultations,
            WorkerPool workers, AuditTrail audit, io.telesignal.core.invite.InviteService invites, java.time.Clock clock,
            SessionRegistry sessions) {
        this.sessions = sessions;
        this.invites = invites;
        this.clock = clock;
        this.tokens = tokens;
        this.accounts = accounts;
        this.apiKeys = apiKeys;
        this.consultations = consultations;
        this.workers = workers;
        this.audit = audit;
    }

    record LoginRequest(String login, String password) {}

    record TokenRequest(String user, String ttl) {}

    record ParticipantSpec(String user, String role) {}

    record CreateConsultation(List<ParticipantSpec> participants, String scheduledFor, Integer maxParticipants) {}

    record CreateInvite(String role, String ttl) {}

    record CreateUser(String login, String displayName, List<String> roles, String password) {}

    record RedeemInvite(String invite, String displayName) {}

    public void register(Routes routes) {
        var guard = errors();
        routes.post("/api/v1/login", guard.apply(this::login));
        routes.post("/api/v1/tokens", guard.apply(this::issueToken));
        routes.post("/api/v1/users", guard.apply(this::createUser));
        routes.post("/api/v1/users/*", guard.apply(this::userAction));
        routes.post("/api/v1/consultations", guard.apply(this::createConsultation));
        routes.get("/api/v1/consultations", guard.apply(this::listConsultations));
        routes.get("/api/v1/consultations/*", guard.apply(this::getConsultation));
        routes.post("/api/v1/consultations/*", guard.apply(this::consultationAction));
        routes.post("/api/v1/invites/redeem", guard.apply(this::redeemInvite));
        routes.get("/api/v1/sessions", guard.apply(this::listSessions));
        routes.post("/api/v1/sessions/*", guard.apply(this::sessionAction));
    }

    // ---- sign-in and tokens

    private CompletionStage<HttpResponse> login(HttpRequest request) {
        LoginRequest body = read(request, LoginRequest.class);
        if (body.login() == null || body.password() == null) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "login and password are required");
        }
        Login login = login(body.login());
        return blocking(() -> {
            User user = accounts.authenticate(login, body.password().toCharArray(), address(request))
                    .orElseThrow(() -> new RestException(HttpResponseStatus.UNAUTHORIZED, "bad_credentials",
                            "wrong login or password"));
            IssuedToken token = tokens.issue(user.id(), user.roles(), Optional.empty());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("token", token.jwt());
            answer.put("expiresAt", token.claims().expiresAt().toString());
            answer.put("user", Map.of("id", user.id().value(), "displayName", user.displayName(),
                    "roles", user.roles().stream().map(Role::wireName).sorted().toList()));
            return respond(HttpResponseStatus.OK, answer);
        });
    }

    private CompletionStage<HttpResponse> issueToken(HttpRequest request) {
        TokenRequest body = read(request, TokenRequest.class);
        if (body.user() == null) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "user is required");
        }
        Login login = login(body.user());
        Optional<Duration> ttl = Optional.ofNullable(body.ttl()).map(RestApi::ttl);
        return blocking(() -> {
            Caller caller = authenticate(request);
            if (!caller.apiKey()) {
                throw new RestException(HttpResponseStatus.FORBIDDEN, "not_authorized", "tokens are issued to API keys");
            }
            User user = accounts.find(login).orElseThrow(() -> new RestException(HttpResponseStatus.NOT_FOUND,
                    "user_not_found", "no such user"));
            keyPolicy(() -> ApiKeyPolicy.checkTokenFor(user), AuditEvent.of("token.issued",
                    caller.actor().user().value(), Outcome.DENIED).subject(user.id().value()));
            IssuedToken token;
            try {
                token = tokens.issue(user.id(), user.roles(), ttl);
            } catch (IllegalArgumentException e) {
                throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "ttl: " + e.getMessage());
            }
            audit.recordNow(AuditEvent.of("token.issued", caller.actor().user().value(), Outcome.OK)
                    .subject(user.id().value()).remoteAddress(address(request)));
            return respond(HttpResponseStatus.OK, Map.of("token", token.jwt(),
                    "expiresAt", token.claims().expiresAt().toString(), "user", user.id().value()));
        });
    }

    // ---- users

    /**
     * Provisions a user: by a platform backend's API key (any role but admin) or an administrator's token.
     * Without a password the account is token-only; it signs in with tokens issued for it.
     */
    private CompletionStage<HttpResponse> createUser(HttpRequest request) {
        CreateUser body = read(request, CreateUser.class);
        if (body.login() == null || body.displayName() == null || body.roles() == null || body.roles().isEmpty()) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field",
                    "login, displayName and roles (at least one) are required");
        }
        Login login = login(body.login());
        if (body.displayName().isBlank() || body.displayName().length() > User.MAX_DISPLAY_NAME) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field",
                    "displayName must be 1-" + User.MAX_DISPLAY_NAME + " characters");
        }
        Set<Role> roles = new java.util.HashSet<>();
        for (String name : body.roles()) {
            if (name == null) {
                throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "roles must be role names");
            }
            roles.add(role(name));
        }
        return blocking(() -> {
            Caller caller = operator(request, "user.created", "users are created with an API key or by an administrator");
            String actor = caller.actor().user().value();
            if (caller.apiKey()) {
                keyPolicy(() -> ApiKeyPolicy.checkProvision(roles), AuditEvent.of("user.created", actor, Outcome.DENIED));
            }
            User user;
            try {
                user = body.password() == null
                        ? accounts.addWithoutPassword(login, body.displayName(), roles, actor)
                        : accounts.add(login, body.displayName(), roles, body.password().toCharArray(), actor);
            } catch (io.telesignal.core.directory.LoginTakenException e) {
                throw new RestException(HttpResponseStatus.CONFLICT, e.code(), "the login is taken");
            } catch (io.telesignal.core.directory.InvalidPasswordException e) {
                throw new RestException(HttpResponseStatus.BAD_REQUEST, e.code(), e.getMessage());
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", user.id().value());
            answer.put("login", user.login().value());
            answer.put("displayName", user.displayName());
            answer.put("roles", user.roles().stream().map(Role::wireName).sorted().toList());
            answer.put("password", body.password() != null);
            return respond(HttpResponseStatus.CREATED, answer);
        });
    }

    /**
     * Disables or enables a user, by an administrator or (for anyone but administrators) an API key. Disabling
     * also ends the user's sessions on this node at once (close 4403): the account signs in nowhere and gets no
     * tokens, and whatever was open is closed rather than left to run.
     */
    private CompletionStage<HttpResponse> userAction(HttpRequest request) {
        Matcher m = USER_PATH.matcher(request.path());
        if (!m.matches()) {
            throw new RestException(HttpResponseStatus.NOT_FOUND, "not_found", "no such resource");
        }
        // the path is decoded already (RequestDispatcher); Login admits no escapes anyway
        Login login = login(m.group(1));
        boolean enable = m.group(2).equals("enable");
        String action = enable ? "user.enabled" : "user.disabled";
        return blocking(() -> {
            // refused before the lookup: the answer must not tell which logins exist
            Caller caller = operator(request, action, "users are disabled and enabled with an API key or by an administrator");
            String actor = caller.actor().user().value();
            User target = accounts.find(login).orElseThrow(() -> new RestException(HttpResponseStatus.NOT_FOUND,
                    "user_not_found", "no such user"));
            if (caller.apiKey()) {
                keyPolicy(() -> ApiKeyPolicy.checkProvision(target.roles()),
                        AuditEvent.of(action, actor, Outcome.DENIED).subject(target.id().value()));
            } else if (!enable && target.id().equals(caller.actor().user())) {
                throw new RestException(HttpResponseStatus.CONFLICT, "conflict",
                        "administrators do not disable themselves (it would lock them out)");
            }
            User updated = accounts.setEnabled(login, enable, actor);
            int ended = 0;
            if (enable) {
                sessions.unbar(updated.id());
            } else {
                ended = sessions.bar(updated.id(), CloseCode.FORBIDDEN, "account disabled");
            }
            LOG.info("event=rest_user_{} user={} by={} sessions_ended={}", m.group(2), updated.id().value(), actor, ended);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("id", updated.id().value());
            answer.put("login", updated.login().value());
            answer.put("roles", updated.roles().stream().map(Role::wireName).sorted().toList());
            answer.put("enabled", updated.enabled());
            answer.put("sessionsEnded", ended);
            return respond(HttpResponseStatus.OK, answer);
        });
    }

    // ---- consultations

    private CompletionStage<HttpResponse> createConsultation(HttpRequest request) {
        CreateConsultation body = read(request, CreateConsultation.class);
        Optional<Instant> scheduledFor;
        try {
            scheduledFor = Optional.ofNullable(body.scheduledFor()).map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field",
                    "scheduledFor must be an ISO-8601 instant, e.g. 2026-12-01T09:30:00Z");
        }
        List<ParticipantSpec> specs = body.participants() == null ? List.of() : body.participants();
        if (specs.size() > 100) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "at most 100 participants");
        }
        return blocking(() -> {
            Caller caller = authenticate(request);
            Map<UserId, Role> participants = new LinkedHashMap<>();
            for (ParticipantSpec spec : specs) {
                if (spec == null || spec.user() == null || spec.role() == null) {
                    throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field",
                            "each participant needs user and role");
                }
                Role role = role(spec.role());
                User user = accounts.find(login(spec.user())).orElseThrow(() -> new RestException(
                        HttpResponseStatus.BAD_REQUEST, "user_not_found", "no such user: " + spec.user()));
                participants.put(user.id(), role);
            }
            return consultations.create(caller.actor(), participants, scheduledFor,
                    Optional.ofNullable(body.maxParticipants()), origin(request));
        }).thenCompose(created -> created).thenApply(c -> respond(HttpResponseStatus.CREATED, view(c)));
    }

    private CompletionStage<HttpResponse> listConsultations(HttpRequest request) {
        int offset = intParameter(request, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = intParameter(request, "limit", 50, 1, 500);
        return blocking(() -> consultations.list(authenticate(request).actor(), offset, limit))
                .thenCompose(listed -> listed).thenApply(list -> respond(HttpResponseStatus.OK,
                Map.of("consultations", list.stream().map(RestApi::view).toList())));
    }

    private CompletionStage<HttpResponse> getConsultation(HttpRequest request) {
        ConsultationId id = consultationPath(request, false);
        return blocking(() -> consultations.get(authenticate(request).actor(), id))
                .thenCompose(found -> found).thenApply(c -> respond(HttpResponseStatus.OK, view(c)));
    }

    private CompletionStage<HttpResponse> consultationAction(HttpRequest request) {
        Matcher m = CONSULTATION_PATH.matcher(request.path());
        if (m.matches() && "/invites".equals(m.group(2))) {
            return createInvite(request, new ConsultationId(m.group(1)));
        }
        return endConsultation(request);
    }

    private CompletionStage<HttpResponse> createInvite(HttpRequest request, ConsultationId id) {
        CreateInvite body = read(request, CreateInvite.class);
        if (body.role() == null) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "role is required");
        }
        Role role = role(body.role());
        Optional<Duration> ttl = Optional.ofNullable(body.ttl()).map(RestApi::ttl);
        return blocking(() -> invites.create(authenticate(request).actor(), id, role, ttl, origin(request)))
                .thenCompose(creating -> creating).thenApply(created -> respond(HttpResponseStatus.CREATED, Map.of("invite", created.token(),
                        "consultation", id.value(), "role", role.wireName(),
                        "expiresAt", created.invite().expiresAt().toString())));
    }

    /**
     * Redeems an invite. With a user's token the invite lists that user (an interpreter with an account); without
     * one a guest account is made for the display name given. Either way the answer carries an access token that
     * lives as long as the invite would have, so the holder can resume after a dropped connection.
     */
    private CompletionStage<HttpResponse> redeemInvite(HttpRequest request) {
        RedeemInvite body = read(request, RedeemInvite.class);
        if (body.invite() == null) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "invite is required");
        }
        boolean hasCredential = request.headers().contains(HttpHeaderNames.AUTHORIZATION);
        if (!hasCredential && (body.displayName() == null || body.displayName().isBlank()
                || body.displayName().length() > User.MAX_DISPLAY_NAME)) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field",
                    "displayName (1-128 characters) is required to join as a guest");
        }
        io.telesignal.core.invite.Invite invite = invites.verify(body.invite());
        // the claim, the guest account and the listing each run on the worker pool; they are chained, never awaited
        // on a worker (that would starve the pool under load)
        CompletionStage<User> redeemer;
        if (hasCredential) {
            redeemer = blocking(() -> {
                Caller caller = authenticate(request);
                if (caller.apiKey()) {
                    throw new RestException(HttpResponseStatus.FORBIDDEN, "not_authorized", "API keys do not join");
                }
                return accounts.find(caller.actor().user()).orElseThrow();
            }).thenCompose(user -> invites.claim(body.invite(), user.id().value(), origin(request)).thenApply(i -> user));
        } else {
            redeemer = invites.claim(body.invite(), "guest", origin(request))
                    .thenCompose(claimed -> blocking(() -> accounts.addGuest(body.displayName(), "invite:" + invite.id())));
        }
        return redeemer.thenCompose(user -> invites.admitToList(invite, user.id()).thenApply(listed -> user))
                .thenApply(user -> {
            Duration left = Duration.between(clock.instant(), invite.expiresAt());
            IssuedToken token = tokens.issue(user.id(), user.roles(), Optional.of(left.isNegative() || left.isZero()
                    ? Duration.ofMinutes(1) : left.compareTo(tokens.maxTtl()) > 0 ? tokens.maxTtl() : left));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("token", token.jwt());
            answer.put("expiresAt", token.claims().expiresAt().toString());
            answer.put("consultation", invite.consultation().value());
            answer.put("role", invite.role().wireName());
            answer.put("user", Map.of("id", user.id().value(), "displayName", user.displayName(),
                    "roles", user.roles().stream().map(Role::wireName).sorted().toList()));
            return respond(HttpResponseStatus.OK, answer);
        });
    }

    private CompletionStage<HttpResponse> endConsultation(HttpRequest request) {
        ConsultationId id = consultationPath(request, true);
        return blocking(() -> consultations.end(authenticate(request).actor(), id, origin(request)))
                .thenCompose(ending -> ending).thenApply(c -> respond(HttpResponseStatus.OK, view(c)));
    }

    // ---- sessions (this node's)


    private CompletionStage<HttpResponse> listSessions(HttpRequest request) {
        int offset = intParameter(request, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = intParameter(request, "limit", 50, 1, 500);
        Optional<Login> login = request.queryParameter("user").map(RestApi::login);
        return blocking(() -> {
            Caller caller = operator(request, "session.listed", SESSIONS_ARE_OPERATORS);
            Optional<UserId> user = login.map(l -> accounts.find(l).orElseThrow(() -> new RestException(
                    HttpResponseStatus.NOT_FOUND, "user_not_found", "no such user")).id());
            List<Map<String, Object>> page = sessions.list(user).stream()
                    .filter(s -> !caller.apiKey() || ApiKeyPolicy.managesSessionOf(s.actor().roles()))
                    .skip(offset).limit(limit).map(RestApi::view).toList();
            return respond(HttpResponseStatus.OK, Map.of("sessions", page));
        });
    }

    /**
     * {@code disconnect} cuts the session's connection with 1012 and keeps the session, so the client resumes and
     * misses nothing (to move clients off a node, or to test a client's resume); {@code end} ends it with 4410: the
     * client leaves its consultations and must not resume.
     */
    private CompletionStage<HttpResponse> sessionAction(HttpRequest request) {
        Matcher m = SESSION_PATH.matcher(request.path());
        if (!m.matches()) {
            throw new RestException(HttpResponseStatus.NOT_FOUND, "not_found", "no such resource");
        }
        String id = m.group(1);
        boolean end = m.group(2).equals("end");
        String action = end ? "session.terminated" : "session.disconnected";
        return blocking(() -> {
            Caller caller = operator(request, action, SESSIONS_ARE_OPERATORS);
            SignalingSession session = sessions.find(id).orElseThrow(() -> new RestException(
                    HttpResponseStatus.NOT_FOUND, "session_not_found", "no such session on this node"));
            if (caller.apiKey()) {
                keyPolicy(() -> ApiKeyPolicy.checkSessionOf(session.actor().roles()), AuditEvent.of(action,
                        caller.actor().user().value(), Outcome.DENIED).subject(session.actor().user().value()));
            }
            // recorded before it is done: when the audit trail cannot record, the session is left alone (503)
            audit.recordNow(AuditEvent.of(action, caller.actor().user().value(), Outcome.OK)
                    .subject(session.actor().user().value()).endpoint(session.endpoint().value())
                    .remoteAddress(address(request)));
            boolean cut;
            if (end) {
                sessions.end(session, CloseCode.ENDED, "session ended by an operator");
                cut = true;
            } else {
                cut = sessions.disconnect(session, CloseCode.RECONNECT, "reconnect");
            }
            LOG.info("event=rest_session_{} session={} by={} connected={}", m.group(2), id,
                    caller.actor().user().value(), cut);
            Map<String, Object> answer = view(session);
            answer.put("ended", end);
            return respond(HttpResponseStatus.OK, answer);
        });
    }

    static Map<String, Object> view(SignalingSession s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", s.id());
        view.put("user", s.actor().user().value());
        view.put("endpoint", s.endpoint().value());
        view.put("openedAt", s.openedAt().toString());
        Optional<Instant> detached = s.detachedSince();
        view.put("connected", !s.ended() && detached.isEmpty());
        detached.ifPresent(since -> view.put("detachedSince", since.toString()));
        view.put("consultations", s.consultations().stream().map(ConsultationId::value).sorted().toList());
        return view;
    }

    static Map<String, Object> view(Consultation c) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", c.id().value());
        view.put("state", c.state().wireName());
        view.put("createdAt", c.createdAt().toString());
        c.scheduledFor().ifPresent(t -> view.put("scheduledFor", t.toString()));
        c.endedAt().ifPresent(t -> view.put("endedAt", t.toString()));
        view.put("maxParticipants", c.maxParticipants());
        view.put("participants", c.listed().entrySet().stream()
                .map(e -> Map.of("user", e.getKey().value(), "role", e.getValue().wireName()))
                .sorted((x, y) -> x.get("user").compareTo(y.get("user"))).toList());
        view.put("admitted", c.admitted().stream().map(a -> a.user().value()).toList());
        view.put("waiting", c.waiting().stream().map(a -> a.user().value()).toList());
        return view;
    }

    // ---- authentication

    private static final String SESSIONS_ARE_OPERATORS = "sessions are managed with an API key or by an administrator";

    /**
     * An administrator's token or an API key (what an API key may do is then up to {@link ApiKeyPolicy}); anyone
     * else is refused with {@code why}, and the refusal audited as {@code action}.
     */
    private Caller operator(HttpRequest request, String action, String why) {
        Caller caller = authenticate(request);
        if (!caller.apiKey() && !caller.actor().roles().contains(Role.ADMIN)) {
            audit.recordNow(AuditEvent.of(action, caller.actor().user().value(), Outcome.DENIED).reason("not_authorized"));
            throw new RestException(HttpResponseStatus.FORBIDDEN, "not_authorized", why);
        }
        return caller;
    }

    /** Runs an {@link ApiKeyPolicy} check; a refusal is recorded as {@code denied} with its code and answered 403. */
    private void keyPolicy(Runnable check, AuditEvent.Builder denied) {
        try {
            check.run();
        } catch (io.telesignal.core.Refusal refused) {
            audit.recordNow(denied.reason(refused.code()));
            throw new RestException(HttpResponseStatus.FORBIDDEN, refused.code(), refused.getMessage());
        }
    }

    /** The caller named by {@code Authorization: Bearer}: an API key ({@code tsk_...}) or an access token. */
    private Caller authenticate(HttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new RestException(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                    "send Authorization: Bearer <API key or access token>");
        }
        String credential = header.substring(7).trim();
        if (credential.startsWith("tsk_")) {
            ApiKey key = apiKeys.authenticate(credential, address(request)).orElseThrow(() ->
                    new RestException(HttpResponseStatus.UNAUTHORIZED, "unauthorized", "API key refused"));
            return new Caller(new Actor(new UserId("apikey." + key.id()), "API key", Set.of(Role.STAFF)), true);
        }
        AccessToken token;
        try {
            token = tokens.verify(credential);
        } catch (TokenRejectedException e) {
            audit.recordNow(AuditEvent.of("auth.token", "unknown", Outcome.FAILED).remoteAddress(address(request))
                    .reason(e.code()));
            throw new RestException(HttpResponseStatus.UNAUTHORIZED, e.code(), "token refused");
        }
        User user = (token.external() ? accounts.find(new Login(token.subject()))
                : accounts.find(new UserId(token.subject())))
                .filter(User::enabled)
                .orElseThrow(() -> new RestException(HttpResponseStatus.UNAUTHORIZED, "unauthorized",
                        "the token's user is unknown or disabled"));
        return new Caller(new Actor(user.id(), user.displayName(), user.roles()), false);
    }

    // ---- plumbing

    private <T> CompletionStage<T> blocking(java.util.function.Supplier<T> work) {
        return workers.submit(work);
    }

    /** Wraps every handler so that any failure becomes a JSON error with the right status. */
    private Function<io.telesignal.net.http.HttpHandler, io.telesignal.net.http.HttpHandler> errors() {
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
            return HttpResponse.error(rest.status(), rest.code(), rest.getMessage());
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
        LOG.error("event=rest_request outcome=error", cause);
        return HttpResponse.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error", "internal error");
    }

    private <T> T read(HttpRequest request, Class<T> type) {
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

    private HttpResponse respond(HttpResponseStatus status, Object body) {
        try {
            return HttpResponse.json(status, json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConsultationId consultationPath(HttpRequest request, boolean end) {
        Matcher m = CONSULTATION_PATH.matcher(request.path());
        if (!m.matches() || (end ? !"/end".equals(m.group(2)) : m.group(2) != null)) {
            throw new RestException(HttpResponseStatus.NOT_FOUND, "not_found", "no such resource");
        }
        return new ConsultationId(m.group(1));
    }

    private static Login login(String value) {
        try {
            return new Login(value);
        } catch (IllegalArgumentException e) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", e.getMessage());
        }
    }

    private static Role role(String value) {
        try {
            return Role.fromWireName(value);
        } catch (IllegalArgumentException e) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", e.getMessage());
        }
    }

    private static Duration ttl(String text) {
        Matcher m = TTL.matcher(text);
        if (!m.matches()) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "ttl must look like 90s, 15m, 2h, 1d");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    private static int intParameter(HttpRequest request, String name, int fallback, int min, int max) {
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

    private static String address(HttpRequest request) {
        return request.remoteAddress().getAddress().getHostAddress();
    }

    private static ConsultationService.Origin origin(HttpRequest request) {
        return new ConsultationService.Origin(null, address(request));
    }
}
