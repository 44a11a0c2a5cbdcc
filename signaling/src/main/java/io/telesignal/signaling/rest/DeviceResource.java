package io.telesignal.signaling.rest;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.telesignal.core.Refusal;
import io.telesignal.core.apikey.ApiKeyPolicy;
import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.device.DevicePassword;
import io.telesignal.core.device.DevicePasswords;
import io.telesignal.core.directory.InvalidPasswordException;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.net.http.HttpHandler;
import io.telesignal.net.http.HttpRequest;
import io.telesignal.net.http.HttpResponse;
import io.telesignal.net.http.Routes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/users/<login>/devices}: a user's device passwords (one per SIP phone or XMPP client), listed,
 * created and revoked by the user or by an operator (an administrator, or an API key for the users it may
 * provision). A generated password is in the creation's answer only, once.
 */
final class DeviceResource {
    static final Pattern DEVICES = Pattern.compile("/api/v1/users/([^/]{1,128})/devices(?:/([A-Za-z0-9]{1,16}))?");
    private final RestSupport support;
    private final DevicePasswords devices;

    DeviceResource(RestSupport support, DevicePasswords devices) {
        this.support = support;
        this.devices = devices;
    }

    record CreateDevice(String label, String password) {}

    /** GET and DELETE here; POST is shared with the user actions ({@link UserResource} hands devices paths on). */
    void register(Routes routes, Function<HttpHandler, HttpHandler> guard) {
        routes.get("/api/v1/users/*", guard.apply(this::list));
        routes.add(HttpMethod.DELETE, "/api/v1/users/*", guard.apply(this::revoke));
    }

    static boolean handles(String path) {
        return DEVICES.matcher(path).matches();
    }

    private CompletionStage<HttpResponse> list(HttpRequest request) {
        Matcher m = match(request, false);
        return support.blocking(() -> {
            Target target = target(request, m.group(1), "device.listed");
            List<Map<String, Object>> list = devices.list(target.user()).stream().map(DeviceResource::view).toList();
            return support.respond(HttpResponseStatus.OK, Map.of("devices", list));
        });
    }

    CompletionStage<HttpResponse> create(HttpRequest request) {
        Matcher m = match(request, false);
        CreateDevice body = support.read(request, CreateDevice.class);
        if (body.label() == null) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "label is required");
        }
        return support.blocking(() -> {
            Target target = target(request, m.group(1), "device.created");
            DevicePasswords.Created created;
            try {
                created = devices.create(target.user(), body.label(),
                        Optional.ofNullable(body.password()).map(String::toCharArray), target.actor());
            } catch (InvalidPasswordException e) {
                throw new RestException(HttpResponseStatus.BAD_REQUEST, e.code(), e.getMessage());
            } catch (Refusal refused) {
                throw new RestException(switch (refused.code()) {
                    case "device_limit_reached", "conflict" -> HttpResponseStatus.CONFLICT;
                    case "not_authorized" -> HttpResponseStatus.FORBIDDEN;
                    case "user_not_found" -> HttpResponseStatus.NOT_FOUND;
                    default -> HttpResponseStatus.BAD_REQUEST;
                }, refused.code(), refused.getMessage());
            }
            Map<String, Object> answer = view(created.device());
            created.password().ifPresent(password -> answer.put("password", password));
            answer.put("sipUsername", target.user().login().value());
            answer.put("sipRealm", devices.settings().sipRealm());
            return support.respond(HttpResponseStatus.CREATED, answer);
        });
    }

    private CompletionStage<HttpResponse> revoke(HttpRequest request) {
        Matcher m = match(request, true);
        return support.blocking(() -> {
            Target target = target(request, m.group(1), "device.revoked");
            if (!devices.revoke(target.user(), m.group(2), target.actor())) {
                throw new RestException(HttpResponseStatus.NOT_FOUND, "device_not_found", "no such device password");
            }
            return support.respond(HttpResponseStatus.OK, Map.of("id", m.group(2), "revoked", true));
        });
    }

    private static Matcher match(HttpRequest request, boolean withId) {
        Matcher m = DEVICES.matcher(request.path());
        if (!m.matches() || (m.group(2) != null) != withId) {
            throw new RestException(HttpResponseStatus.NOT_FOUND, "not_found", "no such resource");
        }
        return m;
    }

    /**
     * The user named in the path, when the caller may manage that user's device passwords: the user, an
     * administrator, or an API key allowed to provision the user. Anyone else is refused before the lookup, so the
     * answer does not tell which logins exist.
     */
    private record Target(User user, String actor) {}

    private Target target(HttpRequest request, String loginText, String action) {
        Login login = RestSupport.login(loginText);
        Caller caller = support.authenticate(request);
        String actor = caller.actor().user().value();
        boolean operator = caller.apiKey() || caller.actor().roles().contains(Role.ADMIN);
        Optional<User> target = support.accounts.find(login);
        boolean self = !caller.apiKey() && target.map(u -> u.id().equals(caller.actor().user())).orElse(false);
        if (!operator && !self) {
            support.audit.recordNow(AuditEvent.of(action, actor, Outcome.DENIED).reason("not_authorized"));
            throw new RestException(HttpResponseStatus.FORBIDDEN, "not_authorized",
                    "device passwords are managed by their user, an administrator or an API key");
        }
        User user = target.orElseThrow(() -> new RestException(HttpResponseStatus.NOT_FOUND, "user_not_found",
                "no such user"));
        if (caller.apiKey()) {
            support.keyPolicy(() -> ApiKeyPolicy.checkProvision(user.roles()),
                    AuditEvent.of(action, actor, Outcome.DENIED).subject(user.id().value()));
        }
        return new Target(user, actor);
    }

    private static Map<String, Object> view(DevicePassword device) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", device.id());
        view.put("label", device.label());
        view.put("createdAt", device.createdAt().toString());
        view.put("lastUsedAt", device.lastUsedAt().map(Object::toString).orElse(null));
        return view;
    }
}
