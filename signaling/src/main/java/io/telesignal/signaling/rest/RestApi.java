package io.telesignal.signaling.rest;

import io.telesignal.core.apikey.ApiKeys;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.auth.TokenService;
import io.telesignal.core.consultation.ConsultationService;
import io.telesignal.core.directory.Accounts;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.net.http.Routes;
import io.telesignal.signaling.session.SessionRegistry;

/**
 * {@code /api/v1}: JSON in, JSON out, errors as {@code {"error":{"code","message"}}} with a matching status. One
 * resource per class (sign-in and tokens, users, device passwords, consultations, invites, sessions, this node), sharing one authentication and
 * one error mapping ({@link RestSupport}). Bodies are read strictly (unknown fields, wrong types refused). Every
 * handler hops to the worker pool for its blocking part (password hashing, directory, store) and answers from there.
 */
public final class RestApi {
    private final RestSupport support;
    private final SignInResource signIn;
    private final UserResource users;
    private final ConsultationResource consultations;
    private final InviteResource invites;
    private final SessionResource sessions;
    private final NodeResource node;

    public RestApi(TokenService tokens, Accounts accounts, ApiKeys apiKeys, ConsultationService consultations,
            WorkerPool workers, AuditTrail audit, io.telesignal.core.invite.InviteService invites, java.time.Clock clock,
            SessionRegistry sessions, String nodeId, Runnable drain, io.telesignal.core.auth.TokenSignIn tokenSignIn,
            WorkerPool hashing, io.telesignal.core.device.DevicePasswords devicePasswords,
            java.util.function.Function<io.telesignal.net.http.HttpRequest, String> publicBase) {
        this.support = new RestSupport(tokens, tokenSignIn, accounts, apiKeys, workers, audit);
        this.signIn = new SignInResource(support, tokenSignIn.throttle(), hashing);
        this.users = new UserResource(support, sessions, new DeviceResource(support, devicePasswords));
        this.consultations = new ConsultationResource(support, consultations, invites, publicBase);
        this.invites = new InviteResource(support, invites, clock);
        this.sessions = new SessionResource(support, sessions);
        this.node = new NodeResource(support, nodeId, drain);
    }

    public void register(Routes routes) {
        var guard = support.errors();
        signIn.register(routes, guard);
        users.register(routes, guard);
        consultations.register(routes, guard);
        invites.register(routes, guard);
        sessions.register(routes, guard);
        node.register(routes, guard);
    }
}
