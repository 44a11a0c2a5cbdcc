package io.telesignal.xmpp.im;

import io.telesignal.core.blocking.BlockStore;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.xmpp.stream.Jid;
import io.telesignal.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Blocking (XEP-0191, {@code urn:xmpp:blocking}): each user's block list, kept in the store, read and changed with
 * the XEP's IQs, and the matching rule the sessions apply to what comes to them. Each session holds its user's list
 * (loaded before the resource is bound, changed by pushes every resource gets, on any node), so a block takes effect
 * at once everywhere. Store work on the workers.
 */
public final class Blocking {
    public static final String NS = "urn:xmpp:blocking";
    public static final String ERRORS_NS = "urn:xmpp:blocking:errors";

    /** A request refused: the stanza error's type and condition. */
    public static final class Refused extends RuntimeException {
        private final String type;
        private final String condition;

        Refused(String type, String condition) {
            super(condition, null, false, false);
            this.type = type;
            this.condition = condition;
        }

        public String type() {
            return type;
        }

        public String condition() {
            return condition;
        }
    }

    /** A change to push to the user's resources: blocked (true) or unblocked these addresses (none: all). */
    public record Change(boolean block, List<String> jids) {
        /** The body of the push door message: "+" or "-", then one address a line. */
        public String body() {
            return (block ? "+" : "-") + (jids.isEmpty() ? "" : "\n" + String.join("\n", jids));
        }

        public static Optional<Change> parse(String body) {
            if (body.isEmpty() || (body.charAt(0) != '+' && body.charAt(0) != '-')) {
                return Optional.empty();
            }
            List<String> jids = body.length() <= 2 ? List.of() : List.of(body.substring(2).split("\n"));
            return Optional.of(new Change(body.charAt(0) == '+', jids));
        }
    }

    private final BlockStore store;
    private final WorkerPool workers;
    private final int maxItems;

    /** {@code maxItems}: addresses one list may hold ({@code xmpp.maxBlockedJids}). */
    public Blocking(BlockStore store, WorkerPool workers, int maxItems) {
        this.store = store;
        this.workers = workers;
        this.maxItems = maxItems;
    }

    /** The user's list, for a session about to bind. */
    public CompletionStage<List<String>> load(UserId owner) {
        return workers.submit(() -> store.blocked(owner));
    }

    /** Whether {@code owner} blocks {@code from} (a store read: for the paths without the owner's session at hand). */
    public boolean blocks(UserId owner, Jid from) {
        return !blockers(List.of(owner), from).isEmpty();
    }

    /** Of these owners, those who block {@code from}: one store read however many (blocking, on a worker). */
    public Set<UserId> blockers(java.util.Collection<UserId> owners, Jid from) {
        return store.blockers(owners, addresses(from));
    }

    /** The list items that would block {@code from}, by the matching of {@link #blocks(Set, Jid)}. */
    private static List<String> addresses(Jid from) {
        List<String> addresses = new ArrayList<>(List.of(from.toString(), from.bare().toString(), from.domain()));
        if (!from.resource().isEmpty()) {
            addresses.add(from.domain() + "/" + from.resource());
        }
        return addresses;
    }

    /** The {@code <blocklist/>} answer. */
    public CompletionStage<XmlElement> list(UserId owner) {
        return workers.submit(() -> {
            XmlElement.Builder list = XmlElement.builder("blocklist", NS);
            for (String jid : store.blocked(owner)) {
                list.add(XmlElement.builder("item", NS).attr("jid", jid).build());
            }
            return list.build();
        });
    }

    /**
     * A {@code <block/>} or {@code <unblock/>} set: the change made, to push to every resource of the user (none when
     * an unblock named only addresses that were not blocked).
     *
     * @throws Refused {@code jid-malformed} for an address that is not one, {@code bad-request} for a block without
     *     items, {@code resource-constraint} past {@code xmpp.maxBlockedJids}
     */
    public CompletionStage<Optional<Change>> change(UserId owner, XmlElement request) {
        boolean block = request.name().equals("block");
        List<String> jids = new ArrayList<>();
        for (XmlElement item : request.elements()) {
            if (!item.is("item", NS)) {
                continue;
            }
            String jid = item.attr("jid");
            Optional<Jid> parsed = jid == null ? Optional.empty() : Jid.parse(jid);
            if (parsed.isEmpty() || parsed.get().toString().length() > BlockStore.MAX_JID) {
                throw new Refused("modify", "jid-malformed");
            }
            jids.add(parsed.get().toString());
        }
        if (block && jids.isEmpty()) {
            throw new Refused("modify", "bad-request"); // XEP-0191 §3.2: a block names what it blocks
        }
        List<String> distinct = List.copyOf(new LinkedHashSet<>(jids));
        return workers.submit(() -> {
            if (block) {
                if (!store.block(owner, distinct, maxItems)) {
                    throw new Refused("wait", "resource-constraint");
                }
                return Optional.of(new Change(true, distinct));
            }
            List<String> removed = store.unblock(owner, distinct);
            if (distinct.isEmpty()) {
                return Optional.of(new Change(false, List.of())); // everything unblocked
            }
            // addresses that were not blocked change nothing: no push (an empty unblock would mean all of them)
            return removed.isEmpty() ? Optional.<Change>empty() : Optional.of(new Change(false, removed));
        });
    }

    /**
     * Whether an address is blocked by this list (XEP-0191 §3.3, the matching of RFC 3921 §10): an item that is a full
     * JID blocks that resource, a bare JID every resource of it, a domain everything from it, a domain with a resource
     * that resource of the domain.
     */
    public static boolean blocks(Set<String> list, Jid from) {
        if (list.isEmpty()) {
            return false;
        }
        String bare = from.bare().toString();
        return list.contains(from.toString()) || list.contains(bare) || list.contains(from.domain())
                || (!from.resource().isEmpty() && list.contains(from.domain() + "/" + from.resource()));
    }

    /** The list after a change a push carried. */
    public static Set<String> apply(Set<String> list, Change change) {
        Set<String> now = new LinkedHashSet<>(list);
        if (change.block()) {
            now.addAll(change.jids());
        } else if (change.jids().isEmpty()) {
            now.clear();
        } else {
            now.removeAll(change.jids());
        }
        return Set.copyOf(now);
    }

    /** Addresses to the push IQ's items. */
    public static XmlElement push(Change change) {
        XmlElement.Builder element = XmlElement.builder(change.block() ? "block" : "unblock", NS);
        for (String jid : change.jids()) {
            element.add(XmlElement.builder("item", NS).attr("jid", jid).build());
        }
        return element.build();
    }
}
