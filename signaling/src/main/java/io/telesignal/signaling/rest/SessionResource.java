package io.telesignal.signaling.rest;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.telesignal.core.apikey.ApiKeyPolicy;
import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.UserId;
import io.telesignal.net.http.HttpHandler;
import io.telesignal.net.http.HttpRequest;
import io.telesignal.net.http.HttpResponse;
import io.telesignal.net.http.Routes;
import io.telesignal.signaling.session.SessionRegistry;
import io.telesignal.signaling.session.SignalingSession;
import io.telesignal.signaling.ws.CloseCode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /api/v1/sessions}: this node's sessions, for operators: list, disconnect (resumable), end. */
final class SessionResource {
    private static final Logger LOG = LoggerFactory.getLogger(SessionResource.class);
    private static final Pattern SESSION_PATH = Pattern.compile("/api/v1/sessions/([A-Za-z0-9_-]{1,64})/(disconnect|end)");
    static final String SESSIONS_ARE_OPERATORS = "sessions are managed with an API key or by an administrator";
    private final RestSupport support;
    private final SessionRegistry sessions;

    SessionResource(RestSupport support, SessionRegistry sessions) {
        this.support = support;
        this.sessions = sessions;
    }

    void register(Routes routes, Function<HttpHandler, HttpHandler> guard) {
        routes.get("/api/v1/sessions", guard.apply(this::listSessions));
        routes.post("/api/v1/sessions/*", guard.apply(this::sessionAction));
    }

    private CompletionStage<HttpResponse> listSessions(HttpRequest request) {
        int offset = RestSupport.intParameter(request, "offset", 0, 0, Integer.MAX_VALUE);
        int limit = RestSupport.intParameter(request, "limit", 50, 1, 500);
        Optional<Login> login = request.queryParameter("user").map(RestSupport::login);
        return support.blocking(() -> {
            Caller caller = support.operator(request, "session.listed", SESSIONS_ARE_OPERATORS);
            Optional<UserId> user = login.map(l -> support.accounts.find(l).orElseThrow(() -> new RestException(
                    HttpResponseStatus.NOT_FOUND, "user_not_found", "no such user")).id());
            List<Map<String, Object>> page = sessions.list(user).stream()
                    .filter(s -> !caller.apiKey() || ApiKeyPolicy.managesSessionOf(s.actor().roles()))
                    .skip(offset).limit(limit).map(SessionResource::view).toList();
            return support.respond(HttpResponseStatus.OK, Map.of("sessions", page));
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
        return support.blocking(() -> {
            Caller caller = support.operator(request, action, SESSIONS_ARE_OPERATORS);
            SignalingSession session = sessions.find(id).orElseThrow(() -> new RestException(
                    HttpResponseStatus.NOT_FOUND, "session_not_found", "no such session on this node"));
            if (caller.apiKey()) {
                support.keyPolicy(() -> ApiKeyPolicy.checkSessionOf(session.actor().roles()), AuditEvent.of(action,
                        caller.actor().user().value(), Outcome.DENIED).subject(session.actor().user().value()));
            }
            // recorded before it is done: when the audit trail cannot record, the session is left alone (503)
            support.audit.recordNow(AuditEvent.of(action, caller.actor().user().value(), Outcome.OK)
                    .subject(session.actor().user().value()).endpoint(session.endpoint().value())
                    .remoteAddress(RestSupport.address(request)));
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
            return support.respond(HttpResponseStatus.OK, answer);
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
}
