package io.telesignal.signaling.rest;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.telesignal.core.apikey.ApiKeyPolicy;
import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.net.http.HttpHandler;
import io.telesignal.net.http.HttpRequest;
import io.telesignal.net.http.HttpResponse;
import io.telesignal.net.http.Routes;
import io.telesignal.signaling.session.SessionRegistry;
import io.telesignal.signaling.ws.CloseCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code /api/v1/users}: provisioning, and disabling or enabling an account. */
final class UserResource {
    private static final Logger LOG = LoggerFactory.getLogger(UserResource.class);
    private static final Pattern USER_PATH = Pattern.compile("/api/v1/users/([^/]{1,128})/(disable|enable)");
    private final RestSupport support;
    private final SessionRegistry sessions;
    private final DeviceResource devices;

    UserResource(RestSupport support, SessionRegistry sessions, DeviceResource devices) {
        this.support = support;
        this.sessions = sessions;
        this.devices = devices;
    }

    record CreateUser(String login, String displayName, List<String> roles, String password) {}

    void register(Routes routes, Function<HttpHandler, HttpHandler> guard) {
        routes.post("/api/v1/users", guard.apply(this::createUser));
        routes.post("/api/v1/users/*", guard.apply(request -> DeviceResource.handles(request.path())
                ? devices.create(request) : userAction(request)));
        devices.register(routes, guard);
    }

    /**
     * Provisions a user: by a platform backend's API key (any role but admin) or an administrator's token.
     * Without a password the account is token-only; it signs in with tokens issued for it.
     */
    private CompletionStage<HttpResponse> createUser(HttpRequest request) {
        CreateUser body = support.read(request, CreateUser.class);
        if (body.login() == null || body.displayName() == null || body.roles() == null || body.roles().isEmpty()) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field",
                    "login, displayName and roles (at least one) are required");
        }
        Login login = RestSupport.login(body.login());
        if (body.displayName().isBlank() || body.displayName().length() > User.MAX_DISPLAY_NAME) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field",
                    "displayName must be 1-" + User.MAX_DISPLAY_NAME + " characters");
        }
        Set<Role> roles = new java.util.HashSet<>();
        for (String name : body.roles()) {
            if (name == null) {
                throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "roles must be role names");
            }
            roles.add(RestSupport.role(name));
        }
        return support.blocking(() -> {
            Caller caller = support.operator(request, "user.created", "users are created with an API key or by an administrator");
            String actor = caller.actor().user().value();
            if (caller.apiKey()) {
                support.keyPolicy(() -> ApiKeyPolicy.checkProvision(roles), AuditEvent.of("user.created", actor, Outcome.DENIED));
            }
            User user;
            try {
                user = body.password() == null
                        ? support.accounts.addWithoutPassword(login, body.displayName(), roles, actor)
                        : support.accounts.add(login, body.displayName(), roles, body.password().toCharArray(), actor);
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
            return support.respond(HttpResponseStatus.CREATED, answer);
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
        Login login = RestSupport.login(m.group(1));
        boolean enable = m.group(2).equals("enable");
        String action = enable ? "user.enabled" : "user.disabled";
        return support.blocking(() -> {
            // refused before the lookup: the answer must not tell which logins exist
            Caller caller = support.operator(request, action, "users are disabled and enabled with an API key or by an administrator");
            String actor = caller.actor().user().value();
            User target = support.accounts.find(login).orElseThrow(() -> new RestException(HttpResponseStatus.NOT_FOUND,
                    "user_not_found", "no such user"));
            if (caller.apiKey()) {
                support.keyPolicy(() -> ApiKeyPolicy.checkProvision(target.roles()),
                        AuditEvent.of(action, actor, Outcome.DENIED).subject(target.id().value()));
            } else if (!enable && target.id().equals(caller.actor().user())) {
                throw new RestException(HttpResponseStatus.CONFLICT, "conflict",
                        "administrators do not disable themselves (it would lock them out)");
            }
            User updated = support.accounts.setEnabled(login, enable, actor);
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
            return support.respond(HttpResponseStatus.OK, answer);
        });
    }
}
