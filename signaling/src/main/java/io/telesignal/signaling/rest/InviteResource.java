package io.telesignal.signaling.rest;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.telesignal.core.auth.IssuedToken;
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

/**
 * {@code /api/v1/invites/redeem}: an invite link turned into a place in its consultation and a token;
 * {@code /api/v1/invites/check}: whether it would be, told before its holder tries.
 */
final class InviteResource {
    private final RestSupport support;
    private final io.telesignal.core.invite.InviteService invites;
    private final java.time.Clock clock;

    InviteResource(RestSupport support, io.telesignal.core.invite.InviteService invites, java.time.Clock clock) {
        this.support = support;
        this.invites = invites;
        this.clock = clock;
    }

    record RedeemInvite(String invite, String displayName) {}

    record CheckInvite(String invite) {}

    void register(Routes routes, Function<HttpHandler, HttpHandler> guard) {
        routes.post("/api/v1/invites/redeem", guard.apply(this::redeemInvite));
        routes.post("/api/v1/invites/check", guard.apply(this::checkInvite));
    }

    /**
     * Checks an invite without using it, for the page its link opens: what it grants and until when, or the error
     * redeeming it would meet (used, expired or not valid, consultation ended). Needs no credential, as redeeming
     * does not: the invite is the credential, and the answer tells nothing about the consultation beyond its id.
     */
    private CompletionStage<HttpResponse> checkInvite(HttpRequest request) {
        CheckInvite body = support.read(request, CheckInvite.class);
        if (body.invite() == null) {
            throw new RestException(HttpResponseStatus.BAD_REQUEST, "invalid_field", "invite is required");
        }
        return invites.inspect(body.invite()).thenApply(invite -> support.respond(HttpResponseStatus.OK, Map.of(
                "consultation", invite.consultation().value(), "role", invite.role().wireName(),
                "expiresAt", invite.expiresAt().toString())));
    }

    /**
     * Redeems an invite. With a user's token the invite lists that user (an interpreter with an account); without
     * one a guest account is made for the display name given. Either way the answer carries an access token that
     * lives as long as the invite would have, so the holder can resume after a dropped connection.
     */
    private CompletionStage<HttpResponse> redeemInvite(HttpRequest request) {
        RedeemInvite body = support.read(request, RedeemInvite.class);
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
            redeemer = support.blocking(() -> {
                Caller caller = support.authenticate(request);
                if (caller.apiKey()) {
                    throw new RestException(HttpResponseStatus.FORBIDDEN, "not_authorized", "API keys do not join");
                }
                return support.accounts.find(caller.actor().user()).orElseThrow();
            }).thenCompose(user -> invites.claim(body.invite(), user.id().value(), RestSupport.origin(request)).thenApply(i -> user));
        } else {
            redeemer = invites.claim(body.invite(), "guest", RestSupport.origin(request))
                    .thenCompose(claimed -> support.blocking(() -> support.accounts.addGuest(body.displayName(), "invite:" + invite.id())));
        }
        return redeemer.thenCompose(user -> invites.admitToList(invite, user.id()).thenApply(listed -> user))
                .thenCompose(user -> {
            // an ordinary token (tokens.ttl), refreshed while it is used (POST /api/v1/tokens/refresh): never one that
            // lives as long as the invite did
            IssuedToken token = support.tokens.issue(user.id(), user.roles(), Optional.empty());
            return support.audit.record(io.telesignal.core.audit.AuditEvent.of("token.issued", user.id().value(),
                    io.telesignal.core.audit.Outcome.OK).subject(user.id().value())
                    .consultation(invite.consultation().value()).remoteAddress(RestSupport.address(request)))
                    .thenApply(recorded -> answer(user, token, invite));
        });
    }

    private HttpResponse answer(User user, IssuedToken token, io.telesignal.core.invite.Invite invite) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("token", token.jwt());
        answer.put("expiresAt", token.claims().expiresAt().toString());
        answer.put("consultation", invite.consultation().value());
        answer.put("role", invite.role().wireName());
        answer.put("user", Map.of("id", user.id().value(), "displayName", user.displayName(),
                "roles", user.roles().stream().map(Role::wireName).sorted().toList()));
        return support.respond(HttpResponseStatus.OK, answer);
    }
}
