package io.telesignal.xmpp.component;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.FrontDoor;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.routing.DeliveryOutcome;
import io.telesignal.core.routing.DoorMessage;
import io.telesignal.core.routing.Endpoint;
import io.telesignal.core.routing.EndpointSink;
import io.telesignal.core.routing.Router;
import io.telesignal.xmpp.stream.Jid;
import io.telesignal.xmpp.stream.StanzaRouter;
import io.telesignal.xmpp.stream.Stanzas;
import io.telesignal.xmpp.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The external components (XEP-0114) this server knows, as {@code xmpp.components} configures them: each serves one
 * domain and signs in with its secret. A connected component is a core endpoint (one per domain, on the node it
 * connected to), so a stanza to its domain reaches it from a client on any node, through the router.
 */
public final class Components {
    /** The content namespace of a component's stream. */
    public static final String NS = "jabber:component:accept";
    /** A stanza for the component, serialised in {@code jabber:client}. */
    static final String STANZA = StanzaRouter.STANZA;
    /** Asks the node holding a component's endpoint whether its connection is still there (a stale registration). */
    static final String PROBE = "component-probe";

    private final ComponentSettings settings;
    private final Router router;
    private final Clock clock;

    public Components(ComponentSettings settings, Router router, Clock clock) {
        this.settings = settings;
        this.router = router;
        this.clock = clock;
    }

    public ComponentSettings settings() {
        return settings;
    }

    /** Whether {@code domain} is a configured component's. */
    public boolean serves(String domain) {
        return settings.secrets().containsKey(domain);
    }

    Optional<String> secret(String domain) {
        return Optional.ofNullable(settings.secrets().get(domain));
    }

    /** The endpoint of the component serving {@code domain}: the same on every node. */
    static EndpointId endpointOf(String domain) {
        return new EndpointId(FrontDoor.XMPP.wireName() + "-component-" + key(domain));
    }

    /** The owner the router files a component's endpoint under (it is nobody's resource). */
    static UserId ownerOf(String domain) {
        return new UserId("component-" + key(domain));
    }

    private static String key(String domain) {
        return UUID.nameUUIDFromBytes(domain.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }

    /**
     * Registers a component's connection: refused (false) while another connection for the domain, on this or
     * another node, is still there (signing in or signed in); a registration left by a connection that is gone (its
     * node died) is taken over. Two connections registering at once on two nodes: the registry keeps the last, and
     * the one that reads another node's registration back after writing its own steps aside.
     */
    CompletionStage<Boolean> connect(String domain, EndpointSink sink, String remoteAddress) {
        EndpointId id = endpointOf(domain);
        return router.registry().find(id).thenCompose(found -> found.isEmpty()
                ? CompletableFuture.completedFuture(DeliveryOutcome.NOT_CONNECTED)
                : router.deliver(id, new DoorMessage(FrontDoor.XMPP, PROBE, ""))).thenCompose(outcome -> {
                    if (outcome == DeliveryOutcome.DELIVERED) {
                        return CompletableFuture.completedFuture(false);
                    }
                    return router.connect(new Endpoint(id, ownerOf(domain), FrontDoor.XMPP, router.self(), remoteAddress,
                            clock.instant()), sink).thenCompose(done -> {
                                router.registry().forget(id); // read it back from the shared registry
                                return router.registry().find(id);
                            }).thenApply(now -> {
                                boolean mine = now.map(e -> e.node().equals(router.self())).orElse(false);
                                if (!mine) {
                                    router.release(id); // another node registered after this one: its connection serves
                                }
                                return mine;
                            });
                });
    }

    /** Lets the component's endpoint go: only this node's registration (another node's newer one stays). */
    CompletionStage<Void> disconnect(String domain) {
        EndpointId id = endpointOf(domain);
        router.release(id);
        return router.registry().unregisterFrom(id, router.self()).thenApply(removed -> null);
    }

    /**
     * Passes a stanza a client sent to the component serving {@code to}'s domain ({@code from} stamped by the client's
     * session); answers whether the component took it (not when it is not connected).
     */
    public CompletionStage<DeliveryOutcome> deliver(XmlElement stanza, Jid to) {
        return router.deliver(endpointOf(to.domain()), new DoorMessage(FrontDoor.XMPP, STANZA, stanza.toXml()));
    }

    /**
     * A client's stanza for a component: passed on, or answered {@code service-unavailable} (RFC 6120 §10.4.3) when
     * the component is not connected and the stanza calls for an answer; {@code reply} writes that answer.
     */
    public CompletionStage<DeliveryOutcome> forward(XmlElement stanza, Jid to, Jid sender,
            java.util.function.Consumer<XmlElement> reply) {
        return deliver(stanza, to).whenComplete((outcome, failure) -> {
            if ((failure != null || outcome != DeliveryOutcome.DELIVERED) && Stanzas.answerable(stanza)
                    && !stanza.name().equals("presence")) {
                reply.accept(Stanzas.error(stanza, "cancel", "service-unavailable", sender));
            }
        });
    }

    /** The components as items of the server's service discovery (XEP-0030 §4). */
    public List<XmlElement> discoItems() {
        return settings.secrets().keySet().stream().sorted().map(domain -> XmlElement.builder("item",
                "http://jabber.org/protocol/disco#items").attr("jid", domain).build()).toList();
    }
}
