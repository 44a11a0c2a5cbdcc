package io.telesignal.signaling.rest;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import io.telesignal.net.http.HttpHandler;
import io.telesignal.net.http.HttpRequest;
import io.telesignal.net.http.HttpResponse;
import io.telesignal.net.http.Routes;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/consultations}: create, list, view, end, and invite to one; {@code /api/v1/me/consultations}: the
 * caller's own open ones.
 */
final class ConsultationResource {
    private static final Pattern CONSULTATION_PATH = Pattern.compile(
            "/api/v1/consultations/([A-Za-z0-9._-]{1,64})(/end|/invites)?");
    private final RestSupport support;
    private final ConsultationService consultations;
    private final io.telesignal.core.invite.InviteService invites;

    private final java.util.function.Function<HttpRequest, String> publicBase;

    ConsultationResource(RestSupport support, ConsultationService consultations, io.telesignal.core.invite.InviteService invites,
            java.util.function.Function<HttpRequest, String> publicBase) {
        this.publicBase = publicBase;
        this.support = support;
        this.consultations = consultations;
        this.invites = invites;
    }

    record ParticipantSpec(String user, String role) {}

    record CreateConsultation(List<ParticipantSpec> participants, String scheduledFor, Integer maxParticipants) {}

    record CreateInvite(String role, String ttl) {}

    void register(Routes routes, Function<HttpHandler, HttpHandler> guard) {
        routes.post("/api/v1/consultations", guard.apply(this::createConsultation));
        routes.get("/api/v1/consultations", guard.apply(this::listConsultations));
        routes.get("/api/v1/me/consultations", guard.apply(this::myConsultations));
        routes.get("/api/v1/consultations/*", guard.apply(this::getConsultation));
        routes.post("/api/v1/consultations/*", guard.apply(this::consultationAction));
    }

    private CompletionStage<HttpResponse> createConsultation(HttpRequest request) {
        CreateConsultation body = support.read(request, CreateConsultation.class);
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
        return support.blocking(() -> {
            Caller caller = support.authenticate(request);
            Map<UserId, Role> participants = new LinkedHashMap<>();
            for (ParticipantSpec spec : specs) {
                if (spec == null || spec.user() == null || spec.role() == null) {
                    throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field",
                            "each participant needs user and role");
                }
                Role role = RestSupport.role(spec.role());
                User user = support.accounts.find(RestSupport.login(spec.user())).orElseThrow(() -> new RestException(
                        HttpResponseStatus.BAD_REQUEST, "user_not_found", "no such user: " + spec.user()));
                participants.put(user.id(), role);
            }
            return consultations.create(caller.actor(), participants, scheduledFor,
                    Optional.ofNullable(body.maxParticipants()), RestSupport.origin(request));
        }).thenCompose(created -> created).thenApply(c -> support.respond(HttpResponseStatus.CREATED, view(c)));
    }

    private CompletionStage<HttpResponse> listConsultations(HttpRequest request) {
        int offset = RestSupport.intParameter(request, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = RestSupport.intParameter(request, "limit", 50, 1, 500);
        return support.blocking(() -> consultations.list(support.authenticate(request).actor(), offset, limit))
                .thenCompose(listed -> listed).thenApply(list -> support.respond(HttpResponseStatus.OK,
                Map.of("consultations", list.stream().map(ConsultationResource::view).toList())));
    }

    /**
     * The open consultations the signed-in user is listed in or attends, newest first, as a page offers them to someone
     * who came without a link: when, their role and where they stand, and who runs it (the providers' names).
     */
    private CompletionStage<HttpResponse> myConsultations(HttpRequest request) {
        return support.blocking(() -> {
            Caller caller = support.authenticate(request);
            if (caller.apiKey()) {
                throw new RestException(HttpResponseStatus.FORBIDDEN, "not_authorized",
                        "an API key attends no consultations; list them with GET /api/v1/consultations");
            }
            return caller.actor().user();
        }).thenCompose(user -> consultations.involving(user).thenCompose(found -> support.blocking(() -> {
            List<Map<String, Object>> mine = found.stream()
                    .sorted(java.util.Comparator.comparing(Consultation::createdAt).reversed())
                    .map(c -> mine(c, user)).toList();
            return support.respond(HttpResponseStatus.OK, Map.of("consultations", mine));
        })));
    }

    /** Blocking: looks the providers' names up. */
    private Map<String, Object> mine(Consultation c, UserId user) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", c.id().value());
        view.put("state", c.state().wireName());
        view.put("createdAt", c.createdAt().toString());
        c.scheduledFor().ifPresent(t -> view.put("scheduledFor", t.toString()));
        c.attendee(user).map(a -> a.role()).or(() -> c.listedRole(user))
                .ifPresent(role -> view.put("role", role.wireName()));
        c.attendee(user).ifPresent(a -> view.put("status", a.admitted() ? "admitted" : "waiting"));
        view.put("providers", c.listed().entrySet().stream().filter(e -> e.getValue() == Role.PROVIDER)
                .map(e -> support.accounts.find(e.getKey()).map(User::displayName).orElse(null))
                .filter(java.util.Objects::nonNull).sorted().toList());
        return view;
    }

    private CompletionStage<HttpResponse> getConsultation(HttpRequest request) {
        ConsultationId id = consultationPath(request, false);
        return support.blocking(() -> consultations.get(support.authenticate(request).actor(), id))
                .thenCompose(found -> found).thenApply(c -> support.respond(HttpResponseStatus.OK, view(c)));
    }

    private CompletionStage<HttpResponse> consultationAction(HttpRequest request) {
        Matcher m = CONSULTATION_PATH.matcher(request.path());
        if (m.matches() && "/invites".equals(m.group(2))) {
            return createInvite(request, new ConsultationId(m.group(1)));
        }
        return endConsultation(request);
    }

    private CompletionStage<HttpResponse> createInvite(HttpRequest request, ConsultationId id) {
        CreateInvite body = support.read(request, CreateInvite.class);
        if (body.role() == null) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "role is required");
        }
        Role role = RestSupport.role(body.role());
        Optional<Duration> ttl = Optional.ofNullable(body.ttl()).map(RestSupport::ttl);
        return support.blocking(() -> invites.create(support.authenticate(request).actor(), id, role, ttl, RestSupport.origin(request)))
                .thenCompose(creating -> creating).thenApply(created -> support.respond(HttpResponseStatus.CREATED, Map.of("invite", created.token(),
                        "consultation", id.value(), "role", role.wireName(),
                        "expiresAt", created.invite().expiresAt().toString(),
                        // the token in the fragment: a browser never sends it, so no proxy or server log holds it
                        "link", publicBase.apply(request) + "/#invite=" + java.net.URLEncoder.encode(created.token(),
                                java.nio.charset.StandardCharsets.UTF_8))));
    }

    private CompletionStage<HttpResponse> endConsultation(HttpRequest request) {
        ConsultationId id = consultationPath(request, true);
        return support.blocking(() -> consultations.end(support.authenticate(request).actor(), id, RestSupport.origin(request)))
                .thenCompose(ending -> ending).thenApply(c -> support.respond(HttpResponseStatus.OK, view(c)));
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

    private static ConsultationId consultationPath(HttpRequest request, boolean end) {
        Matcher m = CONSULTATION_PATH.matcher(request.path());
        if (!m.matches() || (end ? !"/end".equals(m.group(2)) : m.group(2) != null)) {
            throw new RestException(HttpResponseStatus.NOT_FOUND, "not_found", "no such resource");
        }
        return new ConsultationId(m.group(1));
    }
}
