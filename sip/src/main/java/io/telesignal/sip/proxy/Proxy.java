package io.telesignal.sip.proxy;

import io.telesignal.core.work.WorkerPool;
import io.telesignal.sip.auth.DigestServer;
import io.telesignal.sip.message.Header;
import io.telesignal.sip.message.HeaderNames;
import io.telesignal.sip.message.SipParseException;
import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipResponse;
import io.telesignal.sip.message.SipUri;
import io.telesignal.sip.message.Via;
import io.telesignal.sip.transaction.Scheduler;
import io.telesignal.sip.transaction.ServerTransaction;
import io.telesignal.sip.transaction.TimerSettings;
import io.telesignal.sip.transaction.TransactionLayer;
import io.telesignal.sip.transport.Connector;
import io.telesignal.sip.transport.Flow;
import io.telesignal.sip.transport.FlowFailedException;
import io.telesignal.sip.transport.FlowKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transaction-stateful proxy (RFC 3261 §16). A request is validated (§16.3: Proxy-Require, Max-Forwards 483, loop
 * detection 482), its route set preprocessed (§16.4: this node's own Route entries taken off, a strict router's
 * Request-URI undone), and its targets determined (§16.5): the flow a popped flow token names, else the next Route,
 * else, for a Request-URI in this server's domain, every binding of the user in the location service (forked in
 * parallel), else, inside a dialog, the Request-URI itself. A request from one of this server's own users must carry
 * digest credentials for a device password (407). Each branch is forwarded in a client transaction (§16.6) with this
 * node's Via, a decremented Max-Forwards and, for a dialog-creating request, a Record-Route that seals the two flows
 * of the call and the caller's From tag, so that the dialog's later requests find their flows (RFC 5626, on every
 * node: a flow's Route leads to the node that holds it). Responses (§16.7) are forwarded at once when provisional or
 * 2xx; the best final one is chosen when every branch has answered (6xx and 2xx cancel the others). A CANCEL reaches
 * every pending branch (§16.10); the ACK of a 2xx and stray responses go on statelessly (§16.11).
 */
public final class Proxy {
    private static final Logger LOG = LoggerFactory.getLogger(Proxy.class);
    /** Option tags this proxy supports in Proxy-Require (none: RFC 3261 §16.3 step 5). */
    private static final Set<String> PROXY_SUPPORTED = Set.of();
    /** Methods whose forwarding this proxy record-routes: they create dialogs. */
    private static final Set<String> DIALOG_CREATING = Set.of("INVITE", "SUBSCRIBE", "REFER");
    /** Branch prefix: RFC 3261's magic cookie, this proxy's mark, then the loop-detection hash (§16.6 step 8). */
    private static final String BRANCH_PREFIX = Via.MAGIC_COOKIE + "-ts";

    /** @param timerC how long an INVITE branch may ring after a provisional before it is cancelled (§16.6 step 11) */
    public record Settings(Duration timerC) {
        public static final Settings DEFAULTS = new Settings(Duration.ofMinutes(3));

        public Settings {
            if (timerC.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("Timer C must be at least a second");
            }
        }
    }

    private final SipDomain domain;
    private final FlowTokens tokens;
    private final Locator locator;
    private final Connector connector;
    private final TransactionLayer transactions;
    private final Optional<DigestServer> digest;
    private final WorkerPool workers;
    private final Scheduler scheduler;
    private final TimerSettings timers;
    private final Settings settings;
    private final Map<ServerTransaction, ResponseContext> contexts = new ConcurrentHashMap<>();
    private final AtomicLong branchCounter = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong statelessForwarded = new AtomicLong();

    /** @param digest challenges requests from this server's own users (407); empty: none are challenged */
    public Proxy(SipDomain domain, FlowTokens tokens, Locator locator, Connector connector,
            TransactionLayer transactions, Optional<DigestServer> digest, WorkerPool workers, Scheduler scheduler,
            TimerSettings timers, Settings settings) {
        this.domain = domain;
        this.tokens = tokens;
        this.locator = locator;
        this.connector = connector;
        this.transactions = transactions;
        this.digest = digest;
        this.workers = workers;
        this.scheduler = scheduler;
        this.timers = timers;
        this.settings = settings;
    }

    public SipDomain domain() {
        return domain;
    }

    /**
     * Whether a request is for this server itself rather than someone it routes to (an OPTIONS ping, RFC 3261 §11):
     * a Request-URI without a user, and no Route that leads anywhere but here. A Route that does not parse leads
     * nowhere here: the proxy refuses it when it routes.
     */
    public boolean addressedHere(SipRequest request) {
        return request.sipUri().map(uri -> uri.user().isEmpty()).orElse(false)
                && request.values(HeaderNames.ROUTE).stream()
                        .allMatch(route -> Routes.uri(route).filter(domain::isUs).isPresent());
    }

    /** Requests forwarded in a client transaction (one per branch). */
    public long forwarded() {
        return forwarded.get();
    }

    /** ACKs and responses forwarded statelessly. */
    public long statelessForwarded() {
        return statelessForwarded.get();
    }

    /** Server transactions with branches still out. */
    public int pendingContexts() {
        return contexts.size();
    }

    /** A new request in its server transaction (not REGISTER, not an OPTIONS for this server, not ACK or CANCEL). */
    public void request(ServerTransaction server, SipRequest request) {
        List<String> unsupported = request.values(HeaderNames.PROXY_REQUIRE).stream()
                .filter(option -> !PROXY_SUPPORTED.contains(option)).toList();
        if (!unsupported.isEmpty()) {
            respond(server, 420, "Bad Extension", List.of(new Header("Unsupported", String.join(", ", unsupported))));
            return;
        }
        if (request.maxForwards().orElse(70) == 0) {
            respond(server, 483, "Too Many Hops", List.of());
            return;
        }
        String loopHash = loopHash(request);
        if (looped(request, loopHash)) {
            respond(server, 482, "Loop Detected", List.of());
            return;
        }
        Routing routing = route(request, server.flow());
        if (routing instanceof Routing.Refuse refuse) {
            respond(server, refuse.status(), refuse.reason(), List.of());
        } else if (routing instanceof Routing.Hop hop) {
            forward(server, request, loopHash, List.of(hop.target()));
        } else {
            boolean outOfDialog = request.to().tag().isEmpty();
            boolean fromUs = request.from().sipUri().map(u -> domain.isOurDomain(u.host())).orElse(false);
            ResponseContext context = new ResponseContext(this, server, request);
            contexts.put(server, context);
            boolean challenged = outOfDialog && fromUs && digest.isPresent();
            // a request without credentials is challenged at once; checking credentials blocks: on the workers
            CompletionStage<Optional<SipRequest>> authorized = !challenged
                    ? CompletableFuture.completedFuture(Optional.of(request))
                    : request.first("Proxy-Authorization").isEmpty() ? CompletableFuture.completedFuture(
                            authenticate(server, request)) : workers.submit(() -> authenticate(server, request));
            authorized.thenCompose(checked -> checked.isEmpty() ? abandoned(context)
                    : locator.locate(checked.get()).thenAccept(target -> located(context, checked.get(), loopHash,
                            target)))
                    .whenComplete((ignored, failure) -> {
                        if (failure != null) {
                            Throwable cause = io.telesignal.core.work.Failures.cause(failure);
                            if (cause instanceof io.telesignal.core.DomainException) {
                                LOG.debug("event=sip_proxy outcome=busy kind={}", cause.getClass().getSimpleName());
                            } else {
                                io.telesignal.core.work.Failures.unexpected(LOG, "event=sip_proxy outcome=error", cause);
                            }
                            context.fail(503, "Service Unavailable", List.of(new Header("Retry-After", "1")));
                        }
                    });
        }
    }

    /** Where a request goes, by its Route set and Request-URI (RFC 3261 §16.4, §16.5). */
    sealed interface Routing {
        record Refuse(int status, String reason) implements Routing {}

        /** One next hop: {@code target} says which Request-URI and routes, and possibly which flow. */
        record Hop(Target target) implements Routing {}

        /** The Request-URI is in this server's domain: its user's bindings. */
        record Locate() implements Routing {}
    }

    /**
     * A branch's destination.
     *
     * @param requestUri the Request-URI it carries
     * @param routes     its Route set, this node's own entries already off
     * @param flow       the flow it must go through, when a token named one (else the next hop's address)
     * @param mustExist  whether that flow is one only the peer can open (a phone's): then it is used as is or fails
     */
    record Target(String requestUri, List<String> routes, Optional<FlowKey> flow, boolean mustExist) {}

    Routing route(SipRequest request, Flow inbound) {
        List<String> routes = request.values(HeaderNames.ROUTE);
        if (routes.stream().anyMatch(route -> Routes.uri(route).isEmpty())) {
            return new Routing.Refuse(400, "a Route is not a SIP URI");
        }
        String requestUri = request.uri();
        Optional<SipUri> ruri = request.sipUri();
        if (ruri.isEmpty()) {
            return new Routing.Refuse(416, "Unsupported URI Scheme");
        }
        // §16.4: a strict router before us put our Record-Route in the Request-URI; the real one is the last Route
        if (domain.isUs(ruri.get()) && ruri.get().params().containsKey("lr") && !routes.isEmpty()) {
            requestUri = Routes.nameAddr(routes.get(routes.size() - 1)).map(n -> n.uri()).orElse(requestUri);
            routes = routes.subList(0, routes.size() - 1);
            ruri = parse(requestUri);
            if (ruri.isEmpty()) {
                return new Routing.Refuse(416, "Unsupported URI Scheme");
            }
        }
        Routes.Popped popped = Routes.popOurs(routes, domain, tokens);
        if (popped.forged()) {
            return new Routing.Refuse(403, "Forbidden: a Route for this server with a flow token it did not make");
        }
        if (popped.flows().isPresent()) {
            List<FlowKey> flows = popped.flows().get();
            if (flows.size() == 1) {
                // a registrar's Path (this node, or another that holds the phone's flow): the phone's own flow
                return new Routing.Hop(new Target(requestUri, popped.remaining(), Optional.of(flows.get(0)), true));
            }
            // a Record-Route: the caller's flow and the callee's; the From tag says which way this request goes
            FlowKey caller = flows.get(0);
            FlowKey callee = flows.get(flows.size() - 1);
            boolean downstream = popped.ftag().map(tag -> tag.equals(request.from().tag().orElse("")))
                    .orElseGet(() -> !inbound.key().equals(callee));
            FlowKey next = downstream ? callee : caller;
            return new Routing.Hop(new Target(requestUri, popped.remaining(), Optional.of(next), false));
        }
        if (!popped.remaining().isEmpty()) {
            return new Routing.Hop(new Target(requestUri, popped.remaining(), Optional.empty(), false));
        }
        if (domain.isUs(ruri.get()) && ruri.get().user().isPresent()) {
            return new Routing.Locate();
        }
        if (request.to().tag().isPresent() && !domain.isUs(ruri.get())) {
            return new Routing.Hop(new Target(requestUri, List.of(), Optional.empty(), false)); // in a dialog
        }
        if (domain.isUs(ruri.get())) {
            return new Routing.Refuse(404, "Not Found");
        }
        return new Routing.Refuse(403, "Forbidden: this server relays only to its own users");
    }

    /** §22.3 for a proxy: a request from this server's domain proves its user with a device password. */
    private Optional<SipRequest> authenticate(ServerTransaction server, SipRequest request) {
        DigestServer.Result result = digest.get().check(request, "Proxy-Authorization",
                server.flow().remote().getAddress().getHostAddress());
        if (result instanceof DigestServer.Result.Challenge challenge) {
            respond(server, 407, "Proxy Authentication Required", digest.get().challenges(challenge.stale())
                    .stream().map(c -> new Header("Proxy-Authenticate", c)).toList());
            return Optional.empty();
        }
        if (result instanceof DigestServer.Result.Refused refused) {
            respond(server, refused.status(), refused.reason(), List.of());
            return Optional.empty();
        }
        if (result instanceof DigestServer.Result.Throttled throttled) {
            respond(server, 503, "Too Many Failed Attempts", List.of(new Header("Retry-After",
                    String.valueOf(Math.max(1, throttled.retryAfter().toSeconds())))));
            return Optional.empty();
        }
        DigestServer.Result.Authenticated authenticated = (DigestServer.Result.Authenticated) result;
        String login = authenticated.user().login().value();
        boolean own = request.from().sipUri().flatMap(SipUri::user).filter(login::equalsIgnoreCase).isPresent();
        if (!own) {
            respond(server, 403, "Forbidden: the From is not the authenticated user", List.of());
            return Optional.empty();
        }
        // the credentials were for this proxy: they go no further
        List<Header> headers = request.headers().stream()
                .filter(h -> !h.name().equals("Proxy-Authorization")).toList();
        return Optional.of(new SipRequest(request.method(), request.uri(), headers, request.body()));
    }

    private static CompletionStage<Void> abandoned(ResponseContext context) {
        context.abandon();
        return CompletableFuture.completedFuture(null);
    }

    private void located(ResponseContext context, SipRequest request, String loopHash, Locator.Target target) {
        if (target instanceof Locator.Target.Unknown) {
            context.fail(404, "Not Found");
        } else if (target instanceof Locator.Target.NotRegistered) {
            context.fail(480, "Temporarily Unavailable");
        } else {
            Locator.Target.Registered registered = (Locator.Target.Registered) target;
            List<Target> targets = new ArrayList<>();
            for (var binding : registered.bindings()) {
                // the binding's Path leads to the node holding its flow: off at once when that is this node
                Routes.Popped popped = Routes.popOurs(binding.path(), domain, tokens);
                Optional<FlowKey> flow = popped.flows().filter(f -> f.size() == 1).map(f -> f.get(0));
                targets.add(new Target(binding.contact(), popped.remaining(), flow, flow.isPresent()));
            }
            context.fork(targets, loopHash, request);
        }
    }

    private void forward(ServerTransaction server, SipRequest request, String loopHash, List<Target> targets) {
        ResponseContext context = new ResponseContext(this, server, request);
        contexts.put(server, context);
        context.fork(targets, loopHash, request);
    }

    /** The flow a target goes through: the one its token named, or one to its next hop's address. */
    CompletionStage<Flow> flowFor(Target target) {
        if (target.flow().isPresent() && !target.mustExist()) {
            return connector.flow(target.flow().get());
        }
        if (target.flow().isPresent()) {
            // a phone's own flow; when it has closed, its Contact if that can be reached as written (a stream phone
            // that listens), else the flow failed (430)
            Target asWritten = new Target(target.requestUri(), target.routes(), Optional.empty(), false);
            return connector.existing(target.flow().get()).handle((flow, failure) -> failure == null
                    ? CompletableFuture.completedFuture(flow)
                    : flowFor(asWritten).handle((other, again) -> again == null ? CompletableFuture.completedFuture(other)
                            : CompletableFuture.<Flow>failedFuture(failure)).thenCompose(f -> f))
                    .thenCompose(f -> f);
        }
        String next = target.routes().isEmpty() ? target.requestUri()
                : Routes.nameAddr(target.routes().get(0)).map(n -> n.uri()).orElse("");
        Optional<SipUri> uri = parse(next);
        if (uri.isEmpty()) {
            return CompletableFuture.failedFuture(new FlowFailedException("the next hop is not a SIP URI", false));
        }
        return address(uri.get()).thenCompose(address -> connector.flow(transportOf(uri.get()), address));
    }

    /** RFC 3263 in part: the transport parameter (or TLS for sips), the port (5060, 5061), an address or a name. */
    private CompletionStage<InetSocketAddress> address(SipUri uri) {
        String transport = transportOf(uri);
        int port = uri.port().orElse(transport.equals("TLS") || transport.equals("WSS") ? 5061 : 5060);
        String host = uri.host().startsWith("[") ? uri.host().substring(1, uri.host().length() - 1) : uri.host();
        if (FlowKey.isLiteral(host)) {
            try {
                return CompletableFuture.completedFuture(new InetSocketAddress(InetAddress.getByName(host), port));
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(new FlowFailedException("not an address", false));
            }
        }
        return workers.submit(() -> {
            try {
                return new InetSocketAddress(InetAddress.getByName(host), port);
            } catch (UnknownHostException e) {
                throw new FlowFailedException("the next hop's host does not resolve", false);
            }
        });
    }

    private static String transportOf(SipUri uri) {
        String param = uri.params().get("transport");
        if (param != null && !param.isEmpty()) {
            return param.toUpperCase(Locale.ROOT);
        }
        return uri.secure() ? "TLS" : "UDP";
    }

    /**
     * The request a branch sends (§16.6): its Request-URI and Route set, Max-Forwards one less, this node's
     * Record-Route when it creates a dialog (the flows in and out sealed in it, doubled when they differ in transport:
     * RFC 5658), and this node's Via on top.
     */
    SipRequest outgoing(SipRequest request, Target target, Flow inbound, Flow outbound, String branch) {
        List<Header> headers = new ArrayList<>(request.headers().size() + 4);
        String transport = outbound.transport();
        headers.add(new Header(HeaderNames.VIA, "SIP/2.0/" + transport + " " + domain.sentBy(transport)
                + ";branch=" + branch + ";rport"));
        boolean recordRoute = DIALOG_CREATING.contains(request.method()) && request.to().tag().isEmpty();
        boolean routesPlaced = false;
        boolean recordRoutePlaced = !recordRoute;
        int maxForwards = request.maxForwards().orElse(70);
        for (Header h : request.headers()) {
            switch (h.name()) {
                case HeaderNames.ROUTE -> {
                    if (!routesPlaced) {
                        target.routes().forEach(r -> headers.add(new Header(HeaderNames.ROUTE, r)));
                        routesPlaced = true;
                    }
                }
                case HeaderNames.MAX_FORWARDS -> headers.add(new Header(HeaderNames.MAX_FORWARDS,
                        String.valueOf(maxForwards - 1)));
                case HeaderNames.RECORD_ROUTE -> {
                    if (!recordRoutePlaced) {
                        headers.addAll(recordRoutes(request, inbound, outbound));
                        recordRoutePlaced = true;
                    }
                    headers.add(h);
                }
                default -> headers.add(h);
            }
        }
        if (!routesPlaced) {
            target.routes().forEach(r -> headers.add(new Header(HeaderNames.ROUTE, r)));
        }
        if (request.maxForwards().isEmpty()) {
            headers.add(new Header(HeaderNames.MAX_FORWARDS, String.valueOf(maxForwards - 1)));
        }
        if (!recordRoutePlaced) {
            headers.addAll(recordRoutes(request, inbound, outbound));
        }
        return new SipRequest(request.method(), target.requestUri(), headers, request.body());
    }

    private List<Header> recordRoutes(SipRequest request, Flow inbound, Flow outbound) {
        String token = tokens.seal(List.of(inbound.key(), outbound.key()));
        String ftag = request.from().tag().map(t -> ";ftag=" + t).orElse("");
        String out = "<" + domain.routeUri(token, outbound.transport(), ftag) + ">";
        if (inbound.transport().equalsIgnoreCase(outbound.transport()) || domain.port(inbound.transport()).isEmpty()) {
            return List.of(new Header(HeaderNames.RECORD_ROUTE, out));
        }
        // the callee's route set starts with the top one, the caller's with the bottom one: each on its transport
        String in = "<" + domain.routeUri(token, inbound.transport(), ftag) + ">";
        return List.of(new Header(HeaderNames.RECORD_ROUTE, out), new Header(HeaderNames.RECORD_ROUTE, in));
    }

    /** A fresh branch for a forwarded request, carrying the loop-detection hash of the request as received. */
    String branch(String loopHash) {
        return BRANCH_PREFIX + loopHash + "." + Long.toString(branchCounter.incrementAndGet(), 36)
                + Long.toString(System.nanoTime() & 0xffffffL, 36);
    }

    /**
     * RFC 3261 §16.3 step 4: a Via of this node's whose hash is the request's own means the request came back
     * unchanged: a loop, not a spiral (a spiral comes back with another Request-URI, hence another hash).
     */
    private boolean looped(SipRequest request, String hash) {
        for (Via via : request.vias()) {
            String branch = via.branch().orElse("");
            if (!branch.startsWith(BRANCH_PREFIX) || !domain.isUs(via.host(), via.port())) {
                continue;
            }
            int dot = branch.indexOf('.', BRANCH_PREFIX.length());
            if (dot > 0 && branch.substring(BRANCH_PREFIX.length(), dot).equals(hash)) {
                return true;
            }
        }
        return false;
    }

    /**
     * §16.6 step 8: what a request that loops keeps unchanged: its Request-URI, From and To tags, Call-ID, CSeq number,
     * Proxy-Require and Proxy-Authorization. (Not its top Via, which every pass changes.)
     */
    static String loopHash(SipRequest request) {
        String seed = request.uri() + "|" + request.to().tag().orElse("") + "|" + request.from().tag().orElse("")
                + "|" + request.callId() + "|" + request.cseq().number() + "|"
                + String.join(",", request.values(HeaderNames.PROXY_REQUIRE)) + "|"
                + String.join(",", request.values("Proxy-Authorization"));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** The upstream CANCEL of an INVITE this proxy forwards: every pending branch is cancelled (§16.10). */
    public void cancelled(ServerTransaction invite) {
        ResponseContext context = contexts.get(invite);
        if (context != null) {
            context.cancel();
        }
    }

    /**
     * The ACK of a 2xx (no transaction: end to end, §16.11 stateless): routed as any request in a dialog, with this
     * node's Via; dropped when it has nowhere to go or is out of hops.
     */
    public void ack(SipRequest ack, Flow inbound) {
        if (ack.maxForwards().orElse(70) == 0) {
            return;
        }
        Routing routing = route(ack, inbound);
        if (!(routing instanceof Routing.Hop hop)) {
            return;
        }
        // stateless: the branch is derived from the ACK's own, so a retransmitted ACK has the same one (§16.11)
        String branch = BRANCH_PREFIX + loopHash(ack) + "." + ack.vias().get(0).branch().map(b ->
                Integer.toString(b.hashCode() & 0x7fffffff, 36)).orElse("0");
        flowFor(hop.target()).whenComplete((flow, failure) -> {
            if (failure == null) {
                flow.send(outgoing(ack, hop.target(), inbound, flow, branch).encode());
                statelessForwarded.incrementAndGet();
            }
        });
    }

    /**
     * A response no client transaction claims (a 2xx retransmitted after its transaction ended): this node's Via off,
     * to the next Via (§16.7 step 3, §18.2.2): its {@code received} and {@code rport}, on the connection when a stream.
     */
    public void strayResponse(SipResponse response, Flow inbound) {
        List<Via> vias = response.vias();
        if (vias.size() < 2 || !domain.isUs(vias.get(0).host(), vias.get(0).port())) {
            return;
        }
        Via next = vias.get(1);
        String host = next.received().orElse(next.host());
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = next.rport().filter(p -> !p.isEmpty()).map(Integer::parseInt)
                .orElse(next.port().orElse(next.transport().equals("TLS") ? 5061 : 5060));
        if (!FlowKey.isLiteral(host)) {
            return;
        }
        FlowKey key;
        try {
            key = new FlowKey(next.transport(), new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (UnknownHostException | RuntimeException e) {
            return;
        }
        SipResponse upstream = io.telesignal.sip.message.SipResponses.withoutTopVia(response);
        connector.existing(key).whenComplete((flow, failure) -> {
            if (failure == null) {
                flow.send(upstream.encode());
                statelessForwarded.incrementAndGet();
            }
        });
    }

    void finished(ServerTransaction server, ResponseContext context) {
        contexts.remove(server, context);
    }

    void counted() {
        forwarded.incrementAndGet();
    }

    TransactionLayer transactions() {
        return transactions;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    TimerSettings timers() {
        return timers;
    }

    Settings settings() {
        return settings;
    }

    private static Optional<SipUri> parse(String uri) {
        try {
            return Optional.of(SipUri.parse(uri));
        } catch (SipParseException e) {
            return Optional.empty();
        }
    }

    private static void respond(ServerTransaction server, int status, String reason, List<Header> extra) {
        server.respond(status, reason, extra);
        LOG.debug("event=sip_answered method={} status={} transport={}", server.method(), status,
                server.flow().transport());
    }
}
