package io.telesignal.sip.registrar;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.NodeId;
import io.telesignal.core.identity.User;
import io.telesignal.core.location.Binding;
import io.telesignal.core.location.LocationStore;
import io.telesignal.sip.auth.DigestServer;
import io.telesignal.sip.message.Header;
import io.telesignal.sip.message.HeaderNames;
import io.telesignal.sip.message.NameAddr;
import io.telesignal.sip.message.SipParseException;
import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipResponse;
import io.telesignal.sip.message.SipResponses;
import io.telesignal.sip.message.SipUri;
import io.telesignal.sip.transport.Flow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The registrar (RFC 3261 §10.3): REGISTER, authenticated by digest against the user's device passwords, adds,
 * refreshes and removes the bindings of the user's address of record in the location SPI (Redis in cluster mode, so
 * a phone registered through one node is found from every node).
 * <ul>
 *   <li>no or bad credentials: 401 with challenges (SHA-256 and MD5); the address of record must be the authenticated
 *       user's own (else 403);</li>
 *   <li>each Contact's lifetime is its {@code expires} parameter, else the Expires header, else {@code defaultExpires};
 *       0 removes it; a non-zero one under {@code minExpires} is 423 with Min-Expires; longer than
 *       {@code maxExpires} is cut to it;</li>
 *   <li>{@code Contact: *} with {@code Expires: 0} removes every binding (anything else with {@code *} is 400);</li>
 *   <li>a binding is keyed by {@code +sip.instance} and {@code reg-id} (RFC 5626) when given, else by its URI; a
 *       REGISTER with the binding's Call-ID and a CSeq not higher than the binding's fails (500, §10.3 step 7);</li>
 *   <li>200 lists every current binding with its remaining {@code expires}, and a Date.</li>
 * </ul>
 * Blocking parts (digest) run on the caller's thread: call from the worker pool.
 */
public final class Registrar {
    /** Lifetimes in seconds. */
    public record Settings(int minExpires, int defaultExpires, int maxExpires) {
        public Settings {
            if (minExpires < 1 || defaultExpires < minExpires || maxExpires < defaultExpires) {
                throw new IllegalArgumentException("registrar: 1 <= minExpires <= defaultExpires <= maxExpires");
            }
        }
    }

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Settings settings;
    private final DigestServer digest;
    private final LocationStore locations;
    private final NodeId node;
    private final Clock clock;
    private final io.telesignal.core.presence.PresenceService presence;
    private final io.telesignal.sip.transaction.Scheduler scheduler;
    private final FlowPaths flowPaths;

    /**
     * @param presence  where a registered phone shows its user available (every door's watchers hear it)
     * @param scheduler when a binding's lifetime ends, its presence is cleared unless it was refreshed meanwhile
     * @param flowPaths whether a binding is reached through the flow it came on, and the Path entry (first in the
     *                  binding's Path) that leads any node to this node and that flow
     */
    public Registrar(Settings settings, DigestServer digest, LocationStore locations, NodeId node, Clock clock,
            io.telesignal.core.presence.PresenceService presence, io.telesignal.sip.transaction.Scheduler scheduler,
            FlowPaths flowPaths) {
        this.settings = settings;
        this.digest = digest;
        this.locations = locations;
        this.node = node;
        this.clock = clock;
        this.presence = presence;
        this.scheduler = scheduler;
        this.flowPaths = flowPaths;
    }

    /** The response to a REGISTER that came over {@code flow}. */
    public CompletionStage<SipResponse> register(SipRequest request, Flow flow) {
        if (request.to().sipUri().isEmpty()) {
            // an address of record is a SIP or SIPS URI (RFC 3261 §10.2, RFC 4475 §3.3.4), whoever asks
            return done(reply(request, 400, "the To is not a SIP URI", List.of()));
        }
        DigestServer.Result auth = digest.check(request, "Authorization", flow.remote().getAddress().getHostAddress());
        if (auth instanceof DigestServer.Result.Challenge challenge) {
            return done(reply(request, 401, "Unauthorized", digest.challenges(challenge.stale()).stream()
                    .map(c -> new Header("WWW-Authenticate", c)).toList()));
        }
        if (auth instanceof DigestServer.Result.Refused refused) {
            return done(reply(request, refused.status(), refused.reason(), List.of()));
        }
        if (auth instanceof DigestServer.Result.Throttled throttled) {
            return done(reply(request, 503, "Too Many Failed Attempts", List.of(new Header("Retry-After",
                    String.valueOf(Math.max(1, throttled.retryAfter().toSeconds()))))));
        }
        User user = ((DigestServer.Result.Authenticated) auth).user();
        Optional<SipUri> aor = request.to().sipUri();
        if (aor.isEmpty() || aor.get().user().isEmpty() || !aor.get().user().get().equalsIgnoreCase(user.login().value())) {
            return done(reply(request, 403, "Forbidden: not your address of record", List.of()));
        }
        String callId = request.callId();
        long cseq = request.cseq().number();
        Optional<Integer> headerExpires;
        try {
            headerExpires = request.first(HeaderNames.EXPIRES).map(Registrar::seconds);
        } catch (SipParseException e) {
            return done(reply(request, 400, e.reason(), List.of()));
        }
        if (request.contactIsStar()) {
            if (headerExpires.filter(e -> e == 0).isEmpty()) {
                return done(reply(request, 400, "Contact: * needs Expires: 0", List.of()));
            }
            return locations.removeAll(user.id()).thenCompose(removed -> {
                removed.forEach(b -> gone(user.id(), b.key()));
                return ok(request, user);
            });
        }
        List<Change> changes = new ArrayList<>();
        Instant now = clock.instant();
        for (NameAddr contact : request.contacts()) {
            int expires;
            try {
                expires = Optional.ofNullable(contact.params().get("expires")).map(Registrar::seconds)
                        .or(() -> headerExpires).orElse(settings.defaultExpires());
            } catch (SipParseException e) {
                return done(reply(request, 400, e.reason(), List.of()));
            }
            if (expires > 0 && expires < settings.minExpires()) {
                return done(reply(request, 423, "Interval Too Brief", List.of(new Header("Min-Expires",
                        String.valueOf(settings.minExpires())))));
            }
            expires = Math.min(expires, settings.maxExpires());
            double q;
            try {
                q = Optional.ofNullable(contact.params().get("q")).map(Double::parseDouble).orElse(1.0);
            } catch (NumberFormatException e) {
                return done(reply(request, 400, "a Contact's q is not a number", List.of()));
            }
            if (q < 0 || q > 1) {
                return done(reply(request, 400, "a Contact's q is not 0-1", List.of()));
            }
            Optional<String> instance = Optional.ofNullable(contact.params().get("+sip.instance"));
            int regId = Optional.ofNullable(contact.params().get("reg-id")).filter(r -> r.matches("\\d{1,9}"))
                    .map(Integer::parseInt).orElse(0);
            String key = instance.map(i -> i + "|" + regId).orElse(contact.uri().toLowerCase(Locale.ROOT));
            List<String> path = new ArrayList<>();
            flowPaths.pathFor(flow, contact).ifPresent(path::add);
            path.addAll(request.values("Path"));
            changes.add(new Change(key, expires == 0 ? null : new Binding(user.id(), key, contact.uri(), q,
                    now.plusSeconds(expires), callId, cseq, instance, regId, path, flowId(flow), node)));
        }
        CompletionStage<Boolean> applied = CompletableFuture.completedFuture(true);
        for (Change change : changes) {
            applied = applied.thenCompose(ok -> !ok ? CompletableFuture.completedFuture(false)
                    : (change.binding() == null ? locations.remove(user.id(), change.key(), callId, cseq)
                            : locations.put(change.binding()))
                            .thenApply(outcome -> {
                                if (outcome == LocationStore.Outcome.DONE) {
                                    if (change.binding() == null) {
                                        gone(user.id(), change.key());
                                    } else {
                                        registered(change.binding());
                                    }
                                }
                                return outcome != LocationStore.Outcome.OUT_OF_ORDER;
                            }));
        }
        return applied.thenCompose(ok -> ok ? ok(request, user)
                : done(reply(request, 500, "Out of order: this Call-ID had a higher CSeq", List.of())));
    }

    private record Change(String key, Binding binding) {}

    private CompletionStage<SipResponse> ok(SipRequest request, User user) {
        Instant now = clock.instant();
        return locations.bindingsOf(user.id(), now).thenApply(bindings -> {
            List<Header> extra = new ArrayList<>();
            for (Binding b : bindings) {
                long left = Math.max(0, Duration.between(now, b.expiresAt()).toSeconds());
                extra.add(new Header(HeaderNames.CONTACT, "<" + b.contact() + ">;expires=" + left));
            }
            // RFC 3327 §5.3: the Path the registrar stored, as the REGISTER brought it (this node's own entry is not
            // the phone's business)
            request.values("Path").forEach(p -> extra.add(new Header("Path", p)));
            extra.add(new Header("Date", DATE.format(now)));
            return reply(request, 200, "OK", extra);
        });
    }

    /**
     * A phone is registered: its user shows available through it, until the binding's lifetime ends without a
     * refresh (checked then against the location store, which any node may have refreshed it in).
     */
    private void registered(Binding binding) {
        String id = binding.user().value() + "|" + binding.key();
        io.telesignal.sip.transaction.Scheduler.Timer expiry = scheduler.schedule(
                Duration.between(clock.instant(), binding.expiresAt()).plusMillis(500), () ->
                        locations.bindingsOf(binding.user(), clock.instant()).thenAccept(live -> {
                            if (live.stream().noneMatch(b -> b.key().equals(binding.key()))) {
                                gone(binding.user(), binding.key());
                            } else {
                                expiries.remove(id); // refreshed through another node: its registrar watches it now
                            }
                        }));
        io.telesignal.sip.transaction.Scheduler.Timer before = expiries.put(id, expiry);
        if (before != null) {
            before.cancel(); // a refresh: one timer per binding, and presence says available already
            return;
        }
        presence.update(binding.user(), presenceEndpoint(binding.user(), binding.key()),
                new io.telesignal.core.presence.Presence(io.telesignal.core.presence.PresenceStatus.AVAILABLE, ""));
    }

    private void gone(io.telesignal.core.identity.UserId user, String key) {
        io.telesignal.sip.transaction.Scheduler.Timer expiry = expiries.remove(user.value() + "|" + key);
        if (expiry != null) {
            expiry.cancel();
        }
        presence.endpointGone(user, presenceEndpoint(user, key));
    }

    /** The bindings this node registered, each with the timer that checks it when its lifetime ends. */
    private final java.util.concurrent.ConcurrentMap<String, io.telesignal.sip.transaction.Scheduler.Timer> expiries =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A binding's endpoint in presence: stable for its key, whatever node or flow refreshes it. */
    static EndpointId presenceEndpoint(io.telesignal.core.identity.UserId user, String key) {
        return new EndpointId("sip-" + java.util.UUID.nameUUIDFromBytes((user.value() + "|" + key)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Where the phone's registration came from: the flow that reaches it again (RFC 5626 in spirit). */
    static EndpointId flowId(Flow flow) {
        String address = flow.remote().getAddress().getHostAddress();
        return new EndpointId("sip-" + flow.transport().toLowerCase(Locale.ROOT) + "-" + address + "-"
                + flow.remote().getPort());
    }

    private static int seconds(String text) {
        String s = text.strip();
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new SipParseException(400, "an expires value is not a number of seconds");
        }
        long value = Long.parseLong(s);
        return (int) Math.min(value, Integer.MAX_VALUE);
    }

    private static SipResponse reply(SipRequest request, int status, String reason, List<Header> extra) {
        return SipResponses.to(request, status, reason, extra);
    }

    private static CompletionStage<SipResponse> done(SipResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
