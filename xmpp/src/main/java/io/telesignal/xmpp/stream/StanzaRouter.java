package io.telesignal.xmpp.stream;

import io.telesignal.core.directory.Accounts;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.FrontDoor;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.DeliveryOutcome;
import io.telesignal.core.routing.DoorMessage;
import io.telesignal.core.routing.Endpoint;
import io.telesignal.core.routing.EndpointSink;
import io.telesignal.core.routing.Router;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * XMPP resources as core endpoints, so that every node finds them: a bound resource is an endpoint of the XMPP door
 * whose id is derived from its user and resource ({@link #endpointOf}), registered with the core {@link Router}
 * (in Redis in cluster mode). Stanzas travel to a resource as {@link DoorMessage}s of kind {@code stanza}, through
 * the router to whichever node holds it.
 */
public final class StanzaRouter {
    /** A stanza for the resource, serialised with its namespace. */
    public static final String STANZA = "stanza";
    /** The resource was bound again elsewhere: the old stream ends with {@code conflict}. */
    public static final String REPLACED = "replaced";
    /** The user now receives a contact's presence: "contact-user-id\ncontact-jid"; its sessions watch the contact. */
    public static final String WATCH = "watch";
    /** The user no longer receives a contact's presence: "contact-user-id\ncontact-jid". */
    public static final String UNWATCH = "unwatch";
    /** Another resource of the user asks for this one's presence (RFC 6121 §4.4.2); the body is its full JID. */
    public static final String PROBE = "probe";
    /** A message carbon (XEP-0280), already wrapped: shown by a resource that enabled carbons, ignored by others. */
    public static final String CARBON = "carbon";
    /**
     * The client of a stream-managed session asks to resume it on another node; the body is the resumption id. The
     * session ends at once, what its client never acknowledged kept offline before the delivery is answered.
     */
    public static final String RESUMED_ELSEWHERE = "resumed-elsewhere";
    /**
     * A personal eventing notification (XEP-0163): "node\nstanza". A resource shows it only when its client wants that
     * node's notifications ({@code <node>+notify} in its capabilities).
     */
    public static final String PEP = "pep";
    /**
     * The user's block list changed (XEP-0191): "+" or "-" then one address a line (none after "-": everything
     * unblocked). Every resource applies it; those that asked for the list push it to their client.
     */
    public static final String BLOCKED = "blocked";
    /**
     * Messages were just kept offline for the user (no body): an available resource delivers them now, so that a kept
     * message written after its initial presence looked does not wait for the next sign-in.
     */
    public static final String KEPT = "kept";

    public enum BindOutcome { BOUND, TOO_MANY_SESSIONS }

    private final Router router;
    private final Accounts accounts;
    private final io.telesignal.core.work.WorkerPool workers;
    private final int maxSessionsPerUser;
    private final Clock clock;

    private final io.telesignal.core.work.TtlCache<Login, Optional<User>> users;
    /** What a dead node's sessions copied to the shared store (cluster mode); null on a single node. */
    private volatile io.telesignal.core.node.DeadNodeCleanup.Release orphans;

    /**
     * {@code userCacheTtl}: how long a user looked up by localpart is kept on this node (a disabled account is taken
     * out of it at once by {@link #forget}; elsewhere within the TTL).
     */
    public StanzaRouter(Router router, Accounts accounts, io.telesignal.core.work.WorkerPool workers, int maxSessionsPerUser,
            Clock clock, java.time.Duration userCacheTtl) {
        this.users = new io.telesignal.core.work.TtlCache<>(userCacheTtl, 100_000, System::nanoTime);
        this.router = router;
        this.accounts = accounts;
        this.workers = workers;
        this.maxSessionsPerUser = maxSessionsPerUser;
        this.clock = clock;
    }

    /**
     * Cluster mode: how a resource bound again, whose earlier session was on a node that died, first has that
     * session's copy kept offline ({@link SharedStreams#release}).
     */
    public void orphans(io.telesignal.core.node.DeadNodeCleanup.Release release) {
        this.orphans = release;
    }

    /** The endpoint of {@code user}'s resource {@code resource}: the same on every node. */
    public static EndpointId endpointOf(UserId user, String resource) {
        return new EndpointId(FrontDoor.XMPP.wireName() + "-"
                + UUID.nameUUIDFromBytes((user.value() + "/" + resource).getBytes(StandardCharsets.UTF_8)));
    }

    public NodeId node() {
        return router.self();
    }

    /**
     * Binds the resource: a session already bound to it (on any node) is told it was replaced; a user with
     * {@code maxSessionsPerUser} other resources gets none.
     */
    public CompletionStage<BindOutcome> bind(User user, String resource, EndpointSink sink, String remoteAddress) {
        EndpointId id = endpointOf(user.id(), resource);
        return router.endpointsOf(user.id()).thenCompose(endpoints -> {
            long others = endpoints.stream().filter(e -> e.door() == FrontDoor.XMPP && !e.id().equals(id)).count();
            if (others >= maxSessionsPerUser) {
                return CompletableFuture.completedFuture(BindOutcome.TOO_MANY_SESSIONS);
            }
            Optional<Endpoint> previous = endpoints.stream().filter(e -> e.id().equals(id)).findFirst();
            CompletionStage<?> replaced = previous.isEmpty() ? CompletableFuture.completedFuture(null)
                    : router.deliver(id, new DoorMessage(FrontDoor.XMPP, REPLACED, "")).thenCompose(o ->
                            // its node died: what it copied for its client is kept offline before the resource is reused
                            o == DeliveryOutcome.NODE_UNREACHABLE && orphans != null
                                    ? orphans.release(previous.get(), previous.get().node()).handle((r, e) -> null)
                                    : CompletableFuture.completedFuture(null))
                            .thenCompose(o -> router.disconnect(id));
            return replaced.thenCompose(ignored -> router.connect(new Endpoint(id, user.id(), FrontDoor.XMPP, router.self(),
                    remoteAddress, clock.instant()), sink)).thenApply(ignored -> BindOutcome.BOUND);
        });
    }

    public CompletionStage<Void> unbind(UserId user, String resource) {
        return router.disconnect(endpointOf(user, resource));
    }

    /** The user whose localpart is {@code local}: from this node's cache, or looked up on the worker pool. */
    public CompletionStage<Optional<User>> user(String local) {
        Optional<Login> login = Login.parse(local);
        if (login.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Optional<Optional<User>> kept = users.peek(login.get());
        if (kept.isPresent()) {
            return CompletableFuture.completedFuture(kept.get());
        }
        return workers.submit(() -> users.get(login.get(), accounts::find));
    }

    /** The user whose localpart is {@code local}, from this node's cache or the directory; blocking (on a worker). */
    public Optional<User> findUser(String local) {
        return Login.parse(local).flatMap(login -> users.get(login, accounts::find));
    }

    /** Drops a user from this node's cache (the account changed). */
    public void forget(Login login) {
        users.invalidate(login);
    }

    /** The node holding {@code user}'s resource, if it is bound anywhere. */
    public CompletionStage<Optional<NodeId>> holderOf(UserId user, String resource) {
        return router.registry().find(endpointOf(user, resource)).thenApply(found -> found.map(Endpoint::node));
    }

    /** Registers a resource whose session moved to this node (resumed here): no replacing, no limit. */
    CompletionStage<Void> adopt(User user, String resource, EndpointSink sink, String remoteAddress) {
        return router.connect(new Endpoint(endpointOf(user.id(), resource), user.id(), FrontDoor.XMPP, router.self(),
                remoteAddress, clock.instant()), sink);
    }

    /** Unbinds a resource only where this node holds it (another node's newer registration stays). */
    CompletionStage<Void> unbindFrom(UserId user, String resource) {
        EndpointId id = endpointOf(user, resource);
        router.release(id);
        return router.registry().unregisterFrom(id, router.self()).thenApply(removed -> null);
    }

    /** Lets go of a resource whose session moved to another node: it stays registered, under that node. */
    void letGo(UserId user, String resource) {
        router.release(endpointOf(user, resource));
    }

    /** Sends to one resource. */
    public CompletionStage<DeliveryOutcome> toResource(UserId user, String resource, String kind, String body) {
        return router.deliver(endpointOf(user, resource), new DoorMessage(FrontDoor.XMPP, kind, body));
    }

    /** Sends to every XMPP resource of the user but {@code except}; answers how many took it. */
    public CompletionStage<Integer> toResources(UserId user, Optional<EndpointId> except, String kind, String body) {
        return toResources(user, except, kind, () -> body);
    }

    /** Tells the user's resources that messages were kept offline for it ({@link #KEPT}); the available ones deliver. */
    public CompletionStage<Integer> keptOffline(UserId user) {
        return toResources(user, Optional.empty(), KEPT, "");
    }

    /** As above, the body written only when the user has such a resource (a carbon nobody would get costs nothing). */
    public CompletionStage<Integer> toResources(UserId user, Optional<EndpointId> except, String kind,
            java.util.function.Supplier<String> body) {
        return router.endpointsOf(user).thenCompose(endpoints -> {
            List<Endpoint> targets = endpoints.stream()
                    .filter(e -> e.door() == FrontDoor.XMPP && except.map(x -> !x.equals(e.id())).orElse(true)).toList();
            if (targets.isEmpty()) {
                return CompletableFuture.completedFuture(0);
            }
            DoorMessage message = new DoorMessage(FrontDoor.XMPP, kind, body.get());
            List<CompletableFuture<DeliveryOutcome>> sent = targets.stream()
                    .map(e -> router.deliver(e.id(), message).toCompletableFuture()).toList();
            return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).thenApply(ignored ->
                    (int) sent.stream().filter(f -> f.join() == DeliveryOutcome.DELIVERED).count());
        });
    }

    /** Every XMPP resource endpoint of the user. */
    public CompletionStage<List<Endpoint>> resourcesOf(UserId user) {
        return router.endpointsOf(user).thenApply(all -> all.stream().filter(e -> e.door() == FrontDoor.XMPP).toList());
    }
}
