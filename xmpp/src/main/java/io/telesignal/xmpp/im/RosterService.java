package io.telesignal.xmpp.im;

import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.roster.RosterItem;
import io.telesignal.core.roster.RosterItem.Subscription;
import io.telesignal.core.roster.RosterStore;
import io.telesignal.xmpp.stream.Jid;
import io.telesignal.xmpp.stream.StanzaRouter;
import io.telesignal.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Rosters and presence subscriptions (RFC 6121 §2, §3) for users of this server: roster gets and sets with pushes to
 * every resource of the owner, and the subscription handshake in all its states, both ends being local users (there
 * is no server-to-server). Blocking (the roster store): run on the worker pool. Stanzas go out through the
 * {@link StanzaRouter}, so the resources they reach may be on any node.
 */
public final class RosterService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RosterService.class);
    public static final String ROSTER_NS = "jabber:iq:roster";
    private static final String CLIENT = "jabber:client";

    /** A roster set or remove refused: the stanza error condition. */
    public static final class RosterException extends RuntimeException {
        private final String condition;

        RosterException(String condition) {
            super(condition, null, false, false);
            this.condition = condition;
        }

        public String condition() {
            return condition;
        }
    }

    private final RosterStore store;
    private final StanzaRouter router;
    private final String domain;
    private final int maxItems;
    private final Function<String, Optional<User>> users;
    private final java.util.function.BiPredicate<UserId, Jid> blocks;

    /** {@code users} finds a local user by localpart (blocking). */
    /**
     * @param blocks whether a user blocks an address (XEP-0191): a subscription request or approval from it is dropped
     *               on the user's side, as everything else from it is
     */
    public RosterService(RosterStore store, StanzaRouter router, String domain, int maxItems,
            Function<String, Optional<User>> users, java.util.function.BiPredicate<UserId, Jid> blocks) {
        this.blocks = blocks;
        this.store = store;
        this.router = router;
        this.domain = domain;
        this.maxItems = maxItems;
        this.users = users;
    }

    /** The roster to send for a get: empty when the client's {@code ver} is the current one (RFC 6121 §2.6.3). */
    public Optional<XmlElement> get(UserId owner, String clientVersion) {
        long version = store.version(owner);
        if (clientVersion != null && clientVersion.equals(Long.toString(version))) {
            return Optional.empty();
        }
        XmlElement.Builder query = XmlElement.builder("query", ROSTER_NS).attr("ver", Long.toString(version));
        for (RosterItem item : store.items(owner)) {
            if (!item.hidden()) {
                query.add(itemElement(item));
            }
        }
        return Optional.of(query.build());
    }

    /** RFC 6121 §2.3: adds or updates the named item, or removes it ({@code subscription='remove'}). */
    public void set(User owner, XmlElement item) {
        Jid contact = Jid.parse(String.valueOf(item.attr("jid"))).filter(Jid::isBare)
                .orElseThrow(() -> new RosterException("bad-request"));
        if ("remove".equals(item.attr("subscription"))) {
            remove(owner, contact);
            return;
        }
        LinkedHashSet<String> groups = new LinkedHashSet<>();
        for (XmlElement group : item.elements()) {
            if (group.is("group", ROSTER_NS)) {
                String name = group.text().strip();
                if (name.isEmpty()) {
                    throw new RosterException("not-acceptable");
                }
                groups.add(name);
            }
        }
        String name = item.attr("name") == null ? "" : item.attr("name");
        RosterItem next;
        try {
            next = store.find(owner.id(), contact.toString()).map(i -> i.named(name, List.copyOf(groups)))
                    .orElseGet(() -> RosterItem.added(owner.id(), contact.toString(), name, List.copyOf(groups)));
        } catch (IllegalArgumentException tooLong) {
            throw new RosterException("not-acceptable");
        }
        OptionalLong version = store.put(next, maxItems);
        if (version.isEmpty()) {
            throw new RosterException("not-allowed");
        }
        push(next, version.getAsLong());
    }

    private void remove(User owner, Jid contact) {
        Optional<RosterItem> item = store.find(owner.id(), contact.toString());
        if (item.isEmpty() || item.get().hidden()) {
            throw new RosterException("item-not-found");
        }
        RosterItem it = item.get();
        Jid self = bare(owner);
        // RFC 6121 §2.5.2: cancel both subscriptions and requests with the contact
        if (it.subscription().to() || it.askOut()) {
            contactSide(contact, self, "unsubscribe");
        }
        if (it.subscription().from() || it.pendingIn()) {
            contactSide(contact, self, "unsubscribed");
        }
        store.remove(owner.id(), contact.toString()).ifPresent(version -> router.toResources(owner.id(), Optional.empty(),
                StanzaRouter.STANZA, pushStanza(XmlElement.builder("item", ROSTER_NS).attr("jid", contact.toString())
                        .attr("subscription", "remove").build(), version)));
    }

    /**
     * RFC 6121 §3: a presence subscription stanza ({@code subscribe}, {@code subscribed}, {@code unsubscribe},
     * {@code unsubscribed}) the user sends to {@code contact}: the user's roster changes, then the contact's, and the
     * presence goes to the contact's resources.
     */
    public void outbound(User user, String type, Jid contact) {
        // both rosters are read, then written: one change between the same two users at a time on this node, so that
        // a subscribe and an unsubscribed crossing each other cannot lose the one's pending state to the other
        synchronized (PAIRS[Math.floorMod(pair(bare(user).toString(), contact.toString()).hashCode(), PAIRS.length)]) {
            change(user, type, contact);
        }
    }

    private static final Object[] PAIRS = new Object[64];

    static {
        java.util.Arrays.setAll(PAIRS, i -> new Object());
    }

    private static String pair(String a, String b) {
        return a.compareTo(b) < 0 ? a + "\n" + b : b + "\n" + a;
    }

    private void change(User user, String type, Jid contact) {
        Jid self = bare(user);
        Optional<RosterItem> mine = store.find(user.id(), contact.toString());
        switch (type) {
            case "subscribe" -> {
                RosterItem item = mine.orElseGet(() -> RosterItem.added(user.id(), contact.toString(), "", List.of()));
                if (!item.subscription().to() && !item.askOut()) {
                    save(item.with(item.subscription(), true, item.pendingIn()), true);
                }
            }
            case "subscribed" -> {
                if (mine.isEmpty() || !mine.get().pendingIn()) {
                    return; // no request to approve (pre-approval is not supported): ignored (RFC 6121 §3.1.5)
                }
                RosterItem item = mine.get();
                save(item.with(Subscription.of(item.subscription().to(), true), item.askOut(), false), true);
            }
            case "unsubscribe" -> mine.filter(i -> i.subscription().to() || i.askOut()).ifPresent(i -> {
                save(i.with(Subscription.of(false, i.subscription().from()), false, i.pendingIn()), true);
                unwatch(user.id(), contact);
            });
            case "unsubscribed" -> mine.filter(i -> i.subscription().from() || i.pendingIn()).ifPresent(i -> {
                if (i.hidden()) {
                    store.remove(user.id(), i.contact()); // a request denied: nothing of it stays
                } else {
                    save(i.with(Subscription.of(i.subscription().to(), false), i.askOut(), false), true);
                }
            });
            default -> throw new IllegalArgumentException("not a subscription type");
        }
        contactSide(contact, self, type);
    }

    /** What the contact's server does with a subscription stanza from {@code from} (RFC 6121 §3.1.3 - §3.3.3). */
    private void contactSide(Jid contact, Jid from, String type) {
        if (!contact.domain().equals(domain)) {
            return; // no server-to-server: the user's side is recorded, nothing leaves
        }
        Optional<User> target = users.apply(contact.local());
        if (target.isEmpty()) {
            if (type.equals("subscribe")) {
                // RFC 6121 §3.1.3: no such contact, the user is told unsubscribed
                users.apply(from.local()).ifPresent(u -> contactSide(from, contact, "unsubscribed"));
            }
            return;
        }
        UserId owner = target.get().id();
        if ((type.equals("subscribe") || type.equals("subscribed")) && blocks.test(owner, from)) {
            // XEP-0191 §3.3: nothing from a blocked address reaches the user, nor changes the user's roster; a
            // withdrawal (unsubscribe, unsubscribed) still applies, so that the blocked contact's rights only shrink
            LOG.info("event=xmpp_subscription_blocked owner={} type={}", owner.value(), type);
            return;
        }
        Optional<RosterItem> theirs = store.find(owner, from.toString());
        XmlElement presence = XmlElement.builder("presence", CLIENT).attr("type", type).attr("from", from.toString())
                .attr("to", contact.toString()).build();
        switch (type) {
            case "subscribe" -> {
                if (theirs.map(i -> i.subscription().from()).orElse(false)) {
                    // already approved: answered at once on the contact's behalf (RFC 6121 §3.1.3)
                    approved(from, contact);
                    return;
                }
                RosterItem item = theirs.orElseGet(() -> RosterItem.added(owner, from.toString(), "", List.of()));
                if (!item.pendingIn()) {
                    save(item.with(item.subscription(), item.askOut(), true), false);
                }
                deliver(owner, presence);
            }
            case "subscribed" -> {
                if (theirs.isEmpty() || !theirs.get().askOut()) {
                    return; // nothing asked for: ignored (RFC 6121 §3.1.6)
                }
                approved(contact, from);
            }
            case "unsubscribe" -> {
                theirs.filter(i -> i.subscription().from() || i.pendingIn()).ifPresent(i -> {
                    if (i.hidden()) {
                        store.remove(owner, i.contact()); // a request withdrawn before it was answered
                    } else {
                        save(i.with(Subscription.of(i.subscription().to(), false), i.askOut(), false), true);
                    }
                });
                deliver(owner, presence);
            }
            case "unsubscribed" -> {
                if (theirs.filter(i -> i.subscription().to() || i.askOut()).isEmpty()) {
                    return;
                }
                RosterItem i = theirs.get();
                save(i.with(Subscription.of(false, i.subscription().from()), false, i.pendingIn()), true);
                deliver(owner, presence);
                unwatch(owner, from);
                // the contact's presence is withdrawn from the user (RFC 6121 §3.3.3)
                deliver(owner, XmlElement.builder("presence", CLIENT).attr("type", "unavailable")
                        .attr("from", from.toString()).attr("to", contact.toString()).build());
            }
            default -> { }
        }
    }

    /**
     * {@code subscriber} asked for {@code contact}'s presence and has it now: the subscriber's item moves to
     * {@code to}/{@code both}, the subscriber's resources get {@code subscribed} and then the contact's presence.
     */
    private void approved(Jid subscriber, Jid contact) {
        Optional<User> user = users.apply(subscriber.local());
        if (user.isEmpty()) {
            return;
        }
        UserId owner = user.get().id();
        store.find(owner, contact.toString()).filter(RosterItem::askOut).ifPresent(i ->
                save(i.with(Subscription.of(true, i.subscription().from()), false, i.pendingIn()), true));
        deliver(owner, XmlElement.builder("presence", CLIENT).attr("type", "subscribed").attr("from", contact.toString())
                .attr("to", subscriber.toString()).build());
        users.apply(contact.local()).ifPresent(c -> {
            router.toResources(c.id(), Optional.empty(), StanzaRouter.PROBE, probe(owner, subscriber));
            router.toResources(owner, Optional.empty(), StanzaRouter.WATCH, probe(c.id(), contact));
        });
    }

    /** The user's sessions stop showing {@code contact}'s overall presence. */
    private void unwatch(UserId owner, Jid contact) {
        users.apply(contact.local()).ifPresent(c -> router.toResources(owner, Optional.empty(), StanzaRouter.UNWATCH,
                probe(c.id(), contact)));
    }

    /** The body of a probe: who asks, and the address the answer goes to. */
    public static String probe(UserId requester, Jid replyTo) {
        return requester.value() + "\n" + replyTo;
    }

    private void save(RosterItem item, boolean push) {
        OptionalLong version = store.put(item, Integer.MAX_VALUE);
        if (push && version.isPresent() && !item.hidden()) {
            push(item, version.getAsLong());
        }
    }

    private void push(RosterItem item, long version) {
        router.toResources(item.owner(), Optional.empty(), StanzaRouter.STANZA, pushStanza(itemElement(item), version));
    }

    private static String pushStanza(XmlElement item, long version) {
        return XmlElement.builder("iq", CLIENT).attr("type", "set").attr("id", "push-" + version)
                .add(XmlElement.builder("query", ROSTER_NS).attr("ver", Long.toString(version)).add(item).build())
                .build().toXml();
    }

    private void deliver(UserId owner, XmlElement presence) {
        router.toResources(owner, Optional.empty(), StanzaRouter.STANZA, presence.toXml());
    }

    private Jid bare(User user) {
        return new Jid(user.login().value(), domain, "");
    }

    static XmlElement itemElement(RosterItem item) {
        XmlElement.Builder element = XmlElement.builder("item", ROSTER_NS).attr("jid", item.contact())
                .attr("subscription", item.subscription().name().toLowerCase(java.util.Locale.ROOT));
        if (!item.name().isEmpty()) {
            element.attr("name", item.name());
        }
        if (item.askOut()) {
            element.attr("ask", "subscribe");
        }
        for (String group : item.groups()) {
            element.textChild("group", ROSTER_NS, group);
        }
        return element.build();
    }

    /** A contact on this server: the user and the bare JID the roster names. */
    public record Contact(UserId user, String jid) {}

    /** The contacts who receive the user's presence ({@code from}, {@code both}) on this server. */
    public List<Contact> subscribers(UserId owner) {
        return contacts(owner, i -> i.subscription().from());
    }

    /** The contacts whose presence the user receives ({@code to}, {@code both}) on this server. */
    public List<Contact> subscriptions(UserId owner) {
        return contacts(owner, i -> i.subscription().to());
    }

    /** Whether {@code contact} (a bare JID) receives the owner's presence: {@code from} or {@code both}. */
    public boolean receivesPresence(UserId owner, String contact) {
        return store.find(owner, contact).map(i -> i.subscription().from()).orElse(false);
    }

    /** Subscription requests the user has not answered yet, to deliver again at the user's next presence. */
    public List<XmlElement> pendingRequests(User owner) {
        List<XmlElement> requests = new ArrayList<>();
        for (RosterItem item : store.items(owner.id())) {
            if (item.pendingIn()) {
                requests.add(XmlElement.builder("presence", CLIENT).attr("type", "subscribe").attr("from", item.contact())
                        .attr("to", bare(owner).toString()).build());
            }
        }
        return requests;
    }

    private List<Contact> contacts(UserId owner, java.util.function.Predicate<RosterItem> which) {
        List<Contact> contacts = new ArrayList<>();
        for (RosterItem item : store.items(owner)) {
            if (which.test(item)) {
                Jid.parse(item.contact()).filter(j -> j.domain().equals(domain) && !j.local().isEmpty())
                        .flatMap(j -> users.apply(j.local())).ifPresent(u -> contacts.add(new Contact(u.id(), item.contact())));
            }
        }
        return contacts;
    }
}
