package io.telesignal.sip.proxy;

import io.telesignal.core.directory.Accounts;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.User;
import io.telesignal.core.location.Binding;
import io.telesignal.core.location.LocationStore;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.sip.message.SipRequest;
import io.telesignal.sip.message.SipUri;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The proxy's first step (RFC 3261 §16.5): who a request is for. Its Request-URI's user is a login: no such user is
 * 404, a user with no live registration is 480, else the user's bindings, best first (highest q, then longest to live).
 * The directory lookup blocks: it runs on the worker pool; the bindings come from the location SPI (Redis in cluster
 * mode: a phone registered through any node).
 */
public final class Locator {
    /** Where a request goes. */
    public sealed interface Target {
        record Unknown() implements Target {}

        record NotRegistered(User user) implements Target {}

        record Registered(User user, List<Binding> bindings) implements Target {}
    }

    private final Accounts accounts;
    private final LocationStore locations;
    private final WorkerPool workers;
    private final Clock clock;

    public Locator(Accounts accounts, LocationStore locations, WorkerPool workers, Clock clock) {
        this.accounts = accounts;
        this.locations = locations;
        this.workers = workers;
        this.clock = clock;
    }

    public CompletionStage<Target> locate(SipRequest request) {
        Optional<String> user = request.sipUri().flatMap(SipUri::user);
        if (user.isEmpty()) {
            return CompletableFuture.completedFuture(new Target.Unknown());
        }
        return workers.submit(() -> find(user.get())).thenCompose(found -> found
                .<CompletionStage<Target>>map(u -> locations.bindingsOf(u.id(), clock.instant()).thenApply(bindings -> {
                    if (bindings.isEmpty()) {
                        return new Target.NotRegistered(u);
                    }
                    List<Binding> sorted = bindings.stream().sorted(Binding.PREFERENCE).toList();
                    return new Target.Registered(u, sorted);
                }))
                .orElseGet(() -> CompletableFuture.completedFuture(new Target.Unknown())));
    }

    private Optional<User> find(String user) {
        try {
            return accounts.find(new Login(user)).filter(User::enabled);
        } catch (IllegalArgumentException notALogin) {
            return Optional.empty();
        }
    }
}
