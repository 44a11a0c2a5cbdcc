package io.telesignal.xmpp.pep;

import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.pep.PepItem;
import io.telesignal.core.pep.PepNode;
import io.telesignal.core.pep.PepStore;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.xmpp.im.RosterService;
import io.telesignal.xmpp.stream.Jid;
import io.telesignal.xmpp.stream.StanzaRouter;
import io.telesignal.xmpp.stream.Stanzas;
import io.telesignal.xmpp.xml.StreamErrorException;
import io.telesignal.xmpp.xml.XmlElement;
import io.telesignal.xmpp.xml.XmlStreamParser;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Personal eventing (XEP-0163): every account is a publish-subscribe service (XEP-0060) at its bare JID. Its owner
 * publishes (nodes created on first use, {@code publish-options} as preconditions), retracts, creates, configures,
 * purges and deletes nodes; anyone entitled by a node's access model reads its items and is told of new ones. Who is
 * told: the owner's resources, and for {@code presence} and {@code open} nodes the contacts subscribed to the owner's
 * presence, each resource only when its capabilities carry {@code <node>+notify} (checked where it is connected, see
 * {@link EntityCaps.Interest}). A resource that becomes available, or starts to care about a node, gets its last item.
 * Explicit subscriptions, collections and item-level affiliations are not offered: {@code feature-not-implemented}.
 * vcard-temp (XEP-0054) rides on it: a user's vCard is the one item of the personal node {@code vcard-temp}, read by
 * the user's contacts as its access model says, sealed and limited like any item.
 * Store work runs on the worker pool; answers go back through the requester.
 */
public final class PepService {
    public static final String NS = "http://jabber.org/protocol/pubsub";
    public static final String OWNER_NS = NS + "#owner";
    public static final String EVENT_NS = NS + "#event";
    static final String ERRORS_NS = NS + "#errors";
    static final String DATA_NS = "jabber:x:data";
    static final String CONFIG_FORM = NS + "#node_config";
    static final String PUBLISH_OPTIONS = NS + "#publish-options";
    static final String META_DATA = NS + "#meta-data";
    static final String DISCO_INFO_NS = EntityCaps.DISCO_INFO_NS;
    static final String DISCO_ITEMS_NS = "http://jabber.org/protocol/disco#items";
    /** vcard-temp (XEP-0054): a user's vCard, kept as the one item of the personal node of that name. */
    public static final String VCARD_NS = "vcard-temp";
    private static final String CLIENT = XmlStreamParser.CLIENT_NS;
    private static final Logger LOG = LoggerFactory.getLogger(PepService.class);

    /** The XEP-0060 features a personal service has, advertised on the account (XEP-0163 §5). */
    public static final List<String> FEATURES = List.of(NS, NS + "#access-open", NS + "#access-presence",
            NS + "#access-whitelist", NS + "#auto-create", NS + "#auto-subscribe", NS + "#config-node", NS + "#create-nodes",
            NS + "#delete-items", NS + "#delete-nodes", NS + "#filtered-notifications", NS + "#item-ids",
            NS + "#last-published", NS + "#multi-items", NS + "#persistent-items", NS + "#presence-notifications",
            NS + "#publish", NS + "#publish-options", NS + "#purge-nodes", NS + "#retract-items", NS + "#retrieve-default",
            NS + "#retrieve-items");

    /** Who asks: the session, whose answers keep their order on its loop. */
    public interface Requester {
        User user();

        Jid jid();

        void send(XmlElement stanza);

        /** Whether the requester's user blocks this address (XEP-0191). */
        boolean blocks(Jid jid);
    }

    /** A refusal: the error's type, its condition and, if any, the pubsub-specific condition. */
    private static final class Refused extends RuntimeException {
        final String type;
        final String condition;
        final String specific;
        final String feature;

        Refused(String type, String condition, String specific, String feature) {
            super(condition, null, false, false);
            this.type = type;
            this.condition = condition;
            this.specific = specific;
            this.feature = feature;
        }

        Refused(String type, String condition, String specific) {
            this(type, condition, specific, null);
        }

        Refused(String type, String condition) {
            this(type, condition, null, null);
        }

        static Refused unsupported(String feature) {
            return new Refused("cancel", "feature-not-implemented", "unsupported", feature);
        }

        static Refused notFound() {
            return new Refused("cancel", "item-not-found");
        }
    }

    private final PepSettings settings;
    private final PepStore store;
    private final StanzaRouter router;
    private final RosterService rosters;
    private final WorkerPool workers;
    private final Clock clock;
    private final String domain;
    private final SecureRandom random;
    private final EntityCaps caps;
    private final io.telesignal.xmpp.im.Blocking blocking;

    public PepService(PepSettings settings, PepStore store, StanzaRouter router, RosterService rosters, WorkerPool workers,
            Clock clock, String domain, SecureRandom random, io.telesignal.xmpp.im.Blocking blocking) {
        this.blocking = blocking;
        this.settings = settings;
        this.store = store;
        this.router = router;
        this.rosters = rosters;
        this.workers = workers;
        this.clock = clock;
        this.domain = domain;
        this.random = random;
        this.caps = new EntityCaps(2_000);
    }

    /** The capabilities this node has learnt, shared by its sessions. */
    public EntityCaps caps() {
        return caps;
    }

    /** The account's own disco#info: the personal service's identity and features (XEP-0163 §5), and vcard-temp. */
    public void describeAccount(XmlElement.Builder info) {
        info.add(XmlElement.builder("identity", DISCO_INFO_NS).attr("category", "pubsub").attr("type", "pep").build());
        info.add(XmlElement.builder("feature", DISCO_INFO_NS).attr("var", VCARD_NS).build());
        for (String feature : FEATURES) {
            info.add(XmlElement.builder("feature", DISCO_INFO_NS).attr("var", feature).build());
        }
    }

    /**
     * Whether this IQ request is the personal service's: a pubsub or vcard-temp request to an account (the requester's
     * own when {@code to} is absent); disco#info or disco#items about another account or about a node; disco#items of one's
     * own account.
     */
    public boolean handles(XmlElement iq, Jid to, boolean toAccount, Jid self) {
        if (iq.elements().size() != 1 || !to.domain().equals(domain)) {
            return false;
        }
        if (!toAccount && (to.local().isEmpty() || !to.isBare())) {
            return false;
        }
        XmlElement query = iq.elements().get(0);
        if (query.is("pubsub", NS) || query.is("pubsub", OWNER_NS) || query.is("vCard", VCARD_NS)) {
            return true;
        }
        boolean own = toAccount || to.equals(self.bare());
        if (query.is("query", DISCO_INFO_NS)) {
            return query.attr("node") != null || !own;
        }
        return query.is("query", DISCO_ITEMS_NS);
    }

    /** Answers a request {@link #handles} took, on the workers; the answer goes to the requester. */
    public CompletionStage<Void> iq(Requester requester, XmlElement iq, Jid to, boolean toAccount) {
        return workers.submit(() -> {
            try {
                Optional<XmlElement> payload = answer(requester, iq, toAccount ? requester.jid().bare() : to);
                requester.send(result(iq, requester, payload.orElse(null)));
            } catch (Refused refused) {
                requester.send(error(iq, requester, refused));
            } catch (RuntimeException e) {
                LOG.warn("event=pep_failed user={} error={}", requester.user().id().value(), e.getClass().getSimpleName());
                requester.send(error(iq, requester, new Refused("wait", "internal-server-error")));
            }
            return (Void) null;
        }).exceptionally(rejected -> {
            // the workers took no more (busy): the client is answered all the same
            requester.send(error(iq, requester, new Refused("wait", "resource-constraint")));
            return null;
        });
    }

    private Optional<XmlElement> answer(Requester requester, XmlElement iq, Jid account) {
        XmlElement query = iq.elements().get(0);
        boolean get = "get".equals(iq.attr("type"));
        User self = requester.user();
        boolean own = account.equals(requester.jid().bare());
        if (query.is("query", DISCO_INFO_NS)) {
            return Optional.of(get ? info(self, account, own, query.attr("node")) : bad());
        }
        if (query.is("query", DISCO_ITEMS_NS)) {
            return Optional.of(get ? items(self, account, own, query.attr("node")) : bad());
        }
        if (query.is("vCard", VCARD_NS)) {
            return get ? vcard(self, account, own) : setVcard(requester, own, query);
        }
        XmlElement action = action(query);
        boolean owner = query.namespace().equals(OWNER_NS);
        if (!own && !(get && !owner && action.name().equals("items"))) {
            // another account's service: reading items is all anyone else may do
            throw new Refused("auth", "forbidden");
        }
        if (owner) {
            return switch (action.name()) {
                case "configure" -> get ? Optional.of(configuration(self, node(action))) : configure(self, action);
                case "default" -> get ? Optional.of(XmlElement.builder("pubsub", OWNER_NS).add(XmlElement.builder(
                        "default", OWNER_NS).add(form(defaults(self.id(), "default"), "form")).build()).build())
                        : bad();
                case "delete" -> get ? bad() : delete(requester, action);
                case "purge" -> get ? bad() : purge(requester, action);
                case "subscriptions", "affiliations" -> throw Refused.unsupported("manage-" + action.name());
                default -> throw new Refused("cancel", "feature-not-implemented");
            };
        }
        return switch (action.name()) {
            case "publish" -> get ? bad() : publish(requester, action, query.child("publish-options", NS));
            case "retract" -> get ? bad() : retract(requester, action);
            case "items" -> get ? Optional.of(read(self, account, action)) : bad();
            case "create" -> get ? bad() : create(self, action, query.child("configure", NS));
            case "subscribe", "unsubscribe" -> throw Refused.unsupported("subscribe");
            case "subscriptions" -> throw Refused.unsupported("retrieve-subscriptions");
            case "affiliations" -> throw Refused.unsupported("retrieve-affiliations");
            case "options" -> throw Refused.unsupported("subscription-options");
            default -> throw new Refused("cancel", "feature-not-implemented");
        };
    }

    private static <T> T bad() {
        throw new Refused("modify", "bad-request");
    }

    /** The one action of a pubsub element, beside the options that may come with it. */
    private static XmlElement action(XmlElement pubsub) {
        List<XmlElement> actions = pubsub.elements().stream().filter(e -> e.namespace().equals(pubsub.namespace())
                && !e.name().equals("publish-options") && !(e.name().equals("configure") && pubsub.namespace().equals(NS)
                && pubsub.elements().size() > 1) && !e.name().equals("options")).toList();
        if (actions.size() != 1) {
            throw new Refused("modify", "bad-request");
        }
        return actions.get(0);
    }

    private static String node(XmlElement action) {
        String node = action.attr("node");
        if (node == null || node.isEmpty()) {
            throw new Refused("modify", "bad-request", "nodeid-required");
        }
        if (node.length() > PepNode.MAX_NAME) {
            throw new Refused("modify", "not-acceptable");
        }
        return node;
    }

    // ---- access

    /** The user whose account this is, when there is one on this server. */
    private Optional<User> ownerOf(User self, Jid account) {
        if (account.local().equals(self.login().value())) {
            return Optional.of(self);
        }
        return router.findUser(account.local());
    }

    /** Whether {@code reader} may see the node's items and be told of them. */
    private boolean mayRead(User reader, PepNode node) {
        if (reader.id().equals(node.owner())) {
            return true;
        }
        if (node.access() != PepNode.Access.WHITELIST
                && blocking.blocks(node.owner(), Jid.parse(bare(reader)).orElseThrow())) {
            return false; // XEP-0191: nothing of the owner's for a reader the owner blocks
        }
        return switch (node.access()) {
            case OPEN -> true;
            case PRESENCE -> rosters.receivesPresence(node.owner(), bare(reader));
            case WHITELIST -> false;
        };
    }

    private String bare(User user) {
        return user.login().value() + "@" + domain;
    }

    /** Another account's node, when it exists and the reader may see it: else item-not-found, which hides it. */
    private PepNode readable(User reader, Jid account, String name) {
        Optional<User> owner = ownerOf(reader, account);
        Optional<PepNode> node = owner.flatMap(o -> store.node(o.id(), name));
        if (node.isEmpty() || !mayRead(reader, node.get())) {
            throw Refused.notFound();
        }
        return node.get();
    }

    // ---- discovery

    private XmlElement info(User self, Jid account, boolean own, String name) {
        XmlElement.Builder info = XmlElement.builder("query", DISCO_INFO_NS);
        if (name != null) {
            PepNode node = readable(self, account, name);
            info.attr("node", name);
            info.add(XmlElement.builder("identity", DISCO_INFO_NS).attr("category", "pubsub").attr("type", "leaf").build());
            info.add(XmlElement.builder("feature", DISCO_INFO_NS).attr("var", NS).build());
            info.add(XmlElement.builder("x", DATA_NS).attr("type", "result")
                    .add(hidden(META_DATA))
                    .add(field("pubsub#access_model", null, node.access().wireName()))
                    .add(field("pubsub#owner", null, account.toString()))
                    .add(field("pubsub#max_items", null, Integer.toString(node.maxItems())))
                    .build());
            return info.build();
        }
        // another account: described to the contacts who receive its presence only (anyone else learns nothing)
        Optional<User> owner = ownerOf(self, account);
        if (own || owner.isEmpty() || !rosters.receivesPresence(owner.get().id(), bare(self))
                || blocking.blocks(owner.get().id(), Jid.parse(bare(self)).orElseThrow())) {
            throw new Refused("cancel", "service-unavailable");
        }
        info.add(XmlElement.builder("identity", DISCO_INFO_NS).attr("category", "account").attr("type", "registered").build());
        describeAccount(info);
        return info.build();
    }

    private XmlElement items(User self, Jid account, boolean own, String name) {
        XmlElement.Builder items = XmlElement.builder("query", DISCO_ITEMS_NS);
        if (name != null) {
            PepNode node = readable(self, account, name);
            items.attr("node", name);
            for (PepItem item : store.items(node.owner(), name, node.maxItems())) {
                items.add(XmlElement.builder("item", DISCO_ITEMS_NS).attr("jid", account.toString())
                        .attr("name", item.id()).build());
            }
            return items.build();
        }
        Optional<User> owner = ownerOf(self, account);
        if (owner.isPresent()) {
            for (PepNode node : store.nodes(owner.get().id())) {
                if (mayRead(self, node)) {
                    items.add(XmlElement.builder("item", DISCO_ITEMS_NS).attr("jid", account.toString())
                            .attr("node", node.name()).build());
                }
            }
        }
        return items.build();
    }

    // ---- vcard-temp (XEP-0054)

    /**
     * A vCard: one's own (empty when none was set), or another account's for the contacts who receive its presence
     * (as its personal node's access model says); for anyone else, and for an account without one,
     * {@code item-not-found}.
     */
    private Optional<XmlElement> vcard(User self, Jid account, boolean own) {
        Optional<User> owner = ownerOf(self, account);
        Optional<PepNode> node = owner.flatMap(o -> store.node(o.id(), VCARD_NS));
        if (own && node.isEmpty()) {
            return Optional.of(XmlElement.empty("vCard", VCARD_NS));
        }
        if (node.isEmpty() || !mayRead(self, node.get())) {
            throw Refused.notFound();
        }
        List<PepItem> items = store.items(node.get().owner(), VCARD_NS, 1);
        if (items.isEmpty()) {
            if (own) {
                return Optional.of(XmlElement.empty("vCard", VCARD_NS));
            }
            throw Refused.notFound();
        }
        return Optional.of(payload(items.get(0)));
    }

    /** One's own vCard replaced (another's: {@code forbidden}); kept sealed like any item, size-limited alike. */
    private Optional<XmlElement> setVcard(Requester requester, boolean own, XmlElement vcard) {
        if (!own) {
            throw new Refused("auth", "forbidden");
        }
        String xml = vcard.toXml();
        if (xml.getBytes(StandardCharsets.UTF_8).length > settings.maxItemBytes()) {
            throw new Refused("modify", "not-acceptable"); // no pubsub condition: this is not a pubsub request
        }
        User self = requester.user();
        // the node's defaults: its contacts read it, nobody is sent it unasked
        PepNode node = new PepNode(self.id(), VCARD_NS, PepNode.Access.PRESENCE, 1, false, clock.instant());
        PepStore.Published published = store.publish(new PepItem(self.id(), VCARD_NS, "current", xml, clock.instant()),
                node, existing -> true, settings.maxNodes());
        if (published.status() == PepStore.Status.TOO_MANY_NODES) {
            throw new Refused("wait", "resource-constraint");
        }
        LOG.info("event=vcard_set user={}", self.id().value());
        return Optional.empty();
    }

    // ---- publishing (XEP-0060 §7)

    private Optional<XmlElement> publish(Requester requester, XmlElement publish, Optional<XmlElement> options) {
        String name = node(publish);
        List<XmlElement> children = publish.elements();
        if (children.isEmpty() || !children.get(0).is("item", NS)) {
            throw new Refused("modify", "bad-request", "item-required");
        }
        if (children.size() > 1) {
            throw new Refused("modify", "bad-request", "invalid-payload");
        }
        XmlElement item = children.get(0);
        if (item.elements().isEmpty()) {
            throw new Refused("modify", "bad-request", "payload-required");
        }
        if (item.elements().size() > 1) {
            throw new Refused("modify", "bad-request", "invalid-payload");
        }
        String id = item.attr("id") == null || item.attr("id").isEmpty() ? newId() : item.attr("id");
        if (id.length() > PepItem.MAX_ID) {
            throw new Refused("modify", "not-acceptable");
        }
        XmlElement payload = item.elements().get(0);
        String xml = payload.toXml();
        if (xml.getBytes(StandardCharsets.UTF_8).length > settings.maxItemBytes()) {
            throw new Refused("modify", "not-acceptable", "payload-too-big");
        }
        User self = requester.user();
        Map<String, String> wanted = options.map(o -> submitted(o, PUBLISH_OPTIONS)).orElse(Map.of());
        PepNode createAs;
        try {
            createAs = configured(defaults(self.id(), name), wanted, true);
        } catch (Refused invalid) {
            throw new Refused("cancel", "conflict", "precondition-not-met");
        }
        Predicate<PepNode> precondition = existing -> wanted.isEmpty() || matches(existing, createAs, wanted);
        PepStore.Published published = store.publish(new PepItem(self.id(), name, id, xml, clock.instant()), createAs,
                precondition, settings.maxNodes());
        switch (published.status()) {
            case TOO_MANY_NODES -> throw new Refused("cancel", "not-allowed", "max-nodes-exceeded");
            case PRECONDITION_NOT_MET -> throw new Refused("cancel", "conflict", "precondition-not-met");
            default -> { }
        }
        PepNode node = published.node().orElseThrow();
        LOG.info("event=pep_published user={} access={}", self.id().value(), node.access().wireName());
        notify(requester, node, XmlElement.builder("items", EVENT_NS).attr("node", name)
                .add(XmlElement.builder("item", EVENT_NS).attr("id", id).add(payload).build()).build());
        return Optional.of(XmlElement.builder("pubsub", NS).add(XmlElement.builder("publish", NS).attr("node", name)
                .add(XmlElement.builder("item", NS).attr("id", id).build()).build()).build());
    }

    private String newId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Whether an existing node already has what the publish options ask for (XEP-0060 §7.1.5). */
    private boolean matches(PepNode existing, PepNode wantedNode, Map<String, String> wanted) {
        return (!wanted.containsKey("pubsub#access_model") || existing.access() == wantedNode.access())
                && (!wanted.containsKey("pubsub#max_items") || existing.maxItems() == wantedNode.maxItems())
                && (!wanted.containsKey("pubsub#send_last_published_item") || existing.sendLast() == wantedNode.sendLast());
    }

    private Optional<XmlElement> retract(Requester requester, XmlElement retract) {
        String name = node(retract);
        List<XmlElement> items = retract.elements().stream().filter(e -> e.is("item", NS)).toList();
        if (items.size() != 1 || items.get(0).attr("id") == null || items.get(0).attr("id").isEmpty()) {
            throw new Refused("modify", "bad-request", "item-required");
        }
        UserId self = requester.user().id();
        PepNode node = store.node(self, name).orElseThrow(Refused::notFound);
        String id = items.get(0).attr("id");
        if (!store.retract(self, name, id)) {
            throw Refused.notFound();
        }
        if ("true".equals(retract.attr("notify")) || "1".equals(retract.attr("notify"))) {
            notify(requester, node, XmlElement.builder("items", EVENT_NS).attr("node", name)
                    .add(XmlElement.builder("retract", EVENT_NS).attr("id", id).build()).build());
        }
        return Optional.empty();
    }

    private XmlElement read(User self, Jid account, XmlElement request) {
        String name = node(request);
        PepNode node = readable(self, account, name);
        List<String> ids = request.elements().stream().filter(e -> e.is("item", NS)).map(e -> e.attr("id")).toList();
        List<PepItem> items;
        if (!ids.isEmpty()) {
            if (ids.stream().anyMatch(i -> i == null || i.isEmpty())) {
                throw new Refused("modify", "bad-request", "item-required");
            }
            items = store.items(node.owner(), name, ids);
        } else {
            int max = node.maxItems();
            String asked = request.attr("max_items");
            if (asked != null) {
                try {
                    max = Math.min(max, Integer.parseInt(asked));
                } catch (NumberFormatException e) {
                    throw new Refused("modify", "bad-request");
                }
                if (max < 0) {
                    throw new Refused("modify", "bad-request");
                }
            }
            items = store.items(node.owner(), name, max);
        }
        XmlElement.Builder found = XmlElement.builder("items", NS).attr("node", name);
        // XEP-0060 §6.5.7 lets a service answer with fewer: newest first, up to four items' worth of bytes, so that an
        // answer stays a stanza clients take (older items are read by id)
        long budget = 4L * settings.maxItemBytes();
        int answered = 0;
        for (PepItem item : items) {
            budget -= item.payload().length();
            if (budget < 0 && answered > 0) {
                break;
            }
            answered++;
            found.add(XmlElement.builder("item", NS).attr("id", item.id()).add(payload(item)).build());
        }
        return XmlElement.builder("pubsub", NS).add(found.build()).build();
    }

    private static XmlElement payload(PepItem item) {
        try {
            return XmlStreamParser.parseElement(item.payload(), Integer.MAX_VALUE, 1000);
        } catch (StreamErrorException e) {
            throw new IllegalStateException("a stored payload does not parse", e); // it was serialised by this server
        }
    }

    // ---- nodes (XEP-0060 §8)

    private Optional<XmlElement> create(User self, XmlElement create, Optional<XmlElement> configure) {
        String name = create.attr("node");
        if (name == null || name.isEmpty()) {
            throw new Refused("modify", "not-acceptable", "nodeid-required"); // no instant nodes
        }
        name = node(create);
        PepNode node = defaults(self.id(), name);
        Optional<XmlElement> form = configure.flatMap(c -> c.child("x", DATA_NS));
        if (form.isPresent()) {
            node = configured(node, submitted(configure.get(), CONFIG_FORM), false);
        }
        switch (store.create(node, settings.maxNodes())) {
            case EXISTS -> throw new Refused("cancel", "conflict");
            case TOO_MANY_NODES -> throw new Refused("cancel", "not-allowed", "max-nodes-exceeded");
            default -> { }
        }
        LOG.info("event=pep_node_created user={} access={}", self.id().value(), node.access().wireName());
        return Optional.empty();
    }

    private PepNode defaults(UserId owner, String name) {
        return new PepNode(owner, name, PepNode.Access.PRESENCE, 1, true, clock.instant());
    }

    private XmlElement configuration(User self, String name) {
        PepNode node = store.node(self.id(), name).orElseThrow(Refused::notFound);
        return XmlElement.builder("pubsub", OWNER_NS).add(XmlElement.builder("configure", OWNER_NS).attr("node", name)
                .add(form(node, "form")).build()).build();
    }

    private Optional<XmlElement> configure(User self, XmlElement configure) {
        String name = node(configure);
        PepNode node = store.node(self.id(), name).orElseThrow(Refused::notFound);
        XmlElement form = configure.child("x", DATA_NS).orElseThrow(() -> new Refused("modify", "bad-request"));
        if ("cancel".equals(form.attr("type"))) {
            return Optional.empty();
        }
        if (!"submit".equals(form.attr("type"))) {
            throw new Refused("modify", "bad-request");
        }
        PepNode changed = configured(node, submitted(configure, CONFIG_FORM), false);
        if (!store.configure(changed)) {
            throw Refused.notFound();
        }
        LOG.info("event=pep_node_configured user={} access={} max_items={}", self.id().value(),
                changed.access().wireName(), changed.maxItems());
        return Optional.empty();
    }

    private Optional<XmlElement> delete(Requester requester, XmlElement delete) {
        String name = node(delete);
        UserId self = requester.user().id();
        PepNode node = store.node(self, name).orElseThrow(Refused::notFound);
        if (!store.delete(self, name)) {
            throw Refused.notFound();
        }
        LOG.info("event=pep_node_deleted user={}", self.value());
        notify(requester, node, XmlElement.builder("delete", EVENT_NS).attr("node", name).build());
        return Optional.empty();
    }

    private Optional<XmlElement> purge(Requester requester, XmlElement purge) {
        String name = node(purge);
        UserId self = requester.user().id();
        PepNode node = store.node(self, name).orElseThrow(Refused::notFound);
        if (!store.purge(self, name)) {
            throw Refused.notFound();
        }
        notify(requester, node, XmlElement.builder("purge", EVENT_NS).attr("node", name).build());
        return Optional.empty();
    }

    // ---- configuration forms (XEP-0060 §16.4.3)

    /** The fields of a submitted form inside {@code holder}, checked to be of {@code formType} when it says. */
    private static Map<String, String> submitted(XmlElement holder, String formType) {
        Optional<XmlElement> x = holder.child("x", DATA_NS);
        if (x.isEmpty()) {
            return Map.of();
        }
        Map<String, String> values = new HashMap<>();
        for (XmlElement field : x.get().elements()) {
            if (field.is("field", DATA_NS) && field.attr("var") != null) {
                values.put(field.attr("var"), field.child("value", DATA_NS).map(XmlElement::text).orElse("").strip());
            }
        }
        String type = values.remove("FORM_TYPE");
        if (type != null && !type.equals(formType) && !type.equals(CONFIG_FORM)) {
            throw new Refused("modify", "bad-request");
        }
        return values;
    }

    /**
     * The node as these fields configure it; a value out of range, or (when {@code strict}, for publish options) a field
     * this service does not know, is {@code not-acceptable}.
     */
    private PepNode configured(PepNode node, Map<String, String> values, boolean strict) {
        PepNode.Access access = node.access();
        int maxItems = node.maxItems();
        boolean sendLast = node.sendLast();
        for (var field : values.entrySet()) {
            String value = field.getValue();
            switch (field.getKey()) {
                case "pubsub#access_model" -> access = PepNode.Access.fromWireName(value)
                        .orElseThrow(() -> new Refused("modify", "not-acceptable"));
                case "pubsub#max_items" -> maxItems = maxItems(value);
                case "pubsub#send_last_published_item" -> sendLast = switch (value) {
                    case "never" -> false;
                    case "on_sub", "on_sub_and_presence" -> true;
                    default -> throw new Refused("modify", "not-acceptable");
                };
                case "pubsub#persist_items", "pubsub#deliver_payloads", "pubsub#deliver_notifications",
                        "pubsub#presence_based_delivery", "pubsub#notify_retract" -> {
                    if (!value.equals("1") && !value.equals("true")) {
                        throw new Refused("modify", "not-acceptable"); // items are always kept, and always carried
                    }
                }
                default -> {
                    if (strict) {
                        throw new Refused("modify", "not-acceptable");
                    }
                }
            }
        }
        return node.with(access, maxItems, sendLast);
    }

    private int maxItems(String value) {
        if (value.equals("max")) {
            return settings.maxItems();
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= settings.maxItems()) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new Refused("modify", "not-acceptable");
    }

    private XmlElement form(PepNode node, String type) {
        return XmlElement.builder("x", DATA_NS).attr("type", type)
                .add(hidden(CONFIG_FORM))
                .add(XmlElement.builder("field", DATA_NS).attr("var", "pubsub#access_model").attr("type", "list-single")
                        .textChild("value", DATA_NS, node.access().wireName())
                        .add(option("open")).add(option("presence")).add(option("whitelist")).build())
                .add(field("pubsub#max_items", "text-single", Integer.toString(node.maxItems())))
                .add(field("pubsub#persist_items", "boolean", "1"))
                .add(field("pubsub#deliver_payloads", "boolean", "1"))
                .add(XmlElement.builder("field", DATA_NS).attr("var", "pubsub#send_last_published_item")
                        .attr("type", "list-single").textChild("value", DATA_NS, node.sendLast() ? "on_sub_and_presence" : "never")
                        .add(option("never")).add(option("on_sub_and_presence")).build())
                .build();
    }

    private static XmlElement hidden(String formType) {
        return XmlElement.builder("field", DATA_NS).attr("var", "FORM_TYPE").attr("type", "hidden")
                .textChild("value", DATA_NS, formType).build();
    }

    private static XmlElement field(String var, String type, String value) {
        XmlElement.Builder field = XmlElement.builder("field", DATA_NS).attr("var", var);
        if (type != null) {
            field.attr("type", type);
        }
        return field.textChild("value", DATA_NS, value).build();
    }

    private static XmlElement option(String value) {
        return XmlElement.builder("option", DATA_NS).textChild("value", DATA_NS, value).build();
    }

    // ---- notifications

    /**
     * Tells the owner's resources and, unless the node is the owner's alone, the contacts who receive the owner's
     * presence; each resource shows it only if it wants this node's notifications. On a worker.
     */
    private void notify(Requester publisher, PepNode node, XmlElement event) {
        String ownerJid = bare(publisher.user());
        XmlElement message = XmlElement.builder("message", CLIENT).attr("from", ownerJid).attr("type", "headline")
                .add(XmlElement.builder("event", EVENT_NS).add(event).build()).build();
        router.toResources(node.owner(), Optional.empty(), StanzaRouter.PEP,
                node.name() + "\n" + message.with("to", ownerJid).toXml());
        if (node.access() != PepNode.Access.WHITELIST) {
            for (RosterService.Contact contact : rosters.subscribers(node.owner())) {
                if (Jid.parse(contact.jid()).map(publisher::blocks).orElse(false)) {
                    continue; // XEP-0191: a contact the owner blocks hears nothing of it
                }
                // written only when the contact has a resource connected
                router.toResources(contact.user(), Optional.empty(), StanzaRouter.PEP,
                        () -> node.name() + "\n" + message.with("to", contact.jid()).toXml());
            }
        }
    }

    /**
     * Sends this resource the last item of each of these nodes, of its own account and of every contact whose presence
     * it receives, as far as each node's access model lets it (XEP-0163 §4.3: on becoming available, or on starting to
     * want a node's notifications). On the workers.
     */
    public CompletionStage<Void> sendLast(Requester requester, Set<String> nodes) {
        return workers.submit(() -> {
            User self = requester.user();
            List<UserId> owners = new ArrayList<>();
            Map<UserId, String> jids = new HashMap<>();
            owners.add(self.id());
            jids.put(self.id(), bare(self));
            for (RosterService.Contact contact : rosters.subscriptions(self.id())) {
                if (jids.putIfAbsent(contact.user(), contact.jid()) == null) {
                    owners.add(contact.user());
                }
            }
            Set<UserId> blockers = blocking.blockers(owners, requester.jid());
            for (PepStore.Last last : store.lastItems(owners, new LinkedHashSet<>(nodes))) {
                PepNode node = last.node();
                // a contact's node: presence access is met by the subscription itself
                if (!node.owner().equals(self.id()) && (node.access() == PepNode.Access.WHITELIST
                        || requester.blocks(Jid.parse(jids.get(node.owner())).orElseThrow())
                        || blockers.contains(node.owner()))) {
                    continue; // nor across a block, either way (XEP-0191)
                }
                requester.send(XmlElement.builder("message", CLIENT).attr("from", jids.get(node.owner()))
                        .attr("to", requester.jid().toString()).attr("type", "headline")
                        .add(XmlElement.builder("event", EVENT_NS).add(XmlElement.builder("items", EVENT_NS)
                                .attr("node", node.name()).add(XmlElement.builder("item", EVENT_NS)
                                        .attr("id", last.item().id()).add(payload(last.item())).build()).build()).build())
                        .build());
            }
            return (Void) null;
        }).exceptionally(e -> {
            LOG.warn("event=pep_last_items_failed user={} error={}", requester.user().id().value(),
                    e.getClass().getSimpleName());
            return null;
        });
    }

    // ---- answers

    private static XmlElement result(XmlElement iq, Requester requester, XmlElement payload) {
        XmlElement.Builder result = XmlElement.builder("iq", CLIENT).attr("type", "result").attr("id", iq.attr("id"))
                .attr("to", requester.jid().toString());
        if (iq.attr("to") != null) {
            result.attr("from", iq.attr("to"));
        }
        if (payload != null) {
            result.add(payload);
        }
        return result.build();
    }

    private static XmlElement error(XmlElement iq, Requester requester, Refused refused) {
        XmlElement specific = null;
        if (refused.specific != null) {
            XmlElement.Builder condition = XmlElement.builder(refused.specific, ERRORS_NS);
            if (refused.feature != null) {
                condition.attr("feature", refused.feature);
            }
            specific = condition.build();
        }
        return Stanzas.error(iq, refused.type, refused.condition, requester.jid(), specific);
    }
}
