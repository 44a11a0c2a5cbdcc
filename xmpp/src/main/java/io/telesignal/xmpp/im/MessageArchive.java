package io.telesignal.xmpp.im;

import io.telesignal.core.archive.ArchiveQuery;
import io.telesignal.core.archive.ArchiveStore;
import io.telesignal.core.archive.ArchivedMessage;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.work.WorkerPool;
import io.telesignal.xmpp.stream.Jid;
import io.telesignal.xmpp.xml.XmlElement;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message archive management (XEP-0313, {@code urn:xmpp:mam:2}) over the store's archive: each chat or normal message
 * with a body that someone took is archived for its sender and for its recipient, and the recipient's copy carries its
 * archive id as a XEP-0359 stanza id. Queries take the XEP's form ({@code with}, {@code start}, {@code end}) and
 * XEP-0059 paging. Archive writes go to the worker pool and do not hold up delivery.
 */
public final class MessageArchive {
    public static final String MAM_NS = "urn:xmpp:mam:2";
    public static final String SID_NS = "urn:xmpp:sid:0";
    static final String RSM_NS = "http://jabber.org/protocol/rsm";
    static final String DATA_NS = "jabber:x:data";
    private static final String CLIENT = "jabber:client";
    private static final Logger LOG = LoggerFactory.getLogger(MessageArchive.class);

    /** A query refused: the stanza error condition. */
    public static final class QueryException extends RuntimeException {
        private final String condition;

        QueryException(String condition) {
            super(condition, null, false, false);
            this.condition = condition;
        }

        public String condition() {
            return condition;
        }
    }

    private final ArchiveStore store;
    private final WorkerPool workers;
    private final Clock clock;

    /** Whether a bare JID is in the owner's roster (for the roster default); blocking, called on the writer. */
    private final java.util.function.BiPredicate<UserId, String> inRoster;
    /** Each owner's preferences as this node last read or set them (another node's change shows within the TTL). */
    private final io.telesignal.core.work.TtlCache<UserId, io.telesignal.core.archive.ArchivePrefs> prefs;

    public MessageArchive(ArchiveStore store, WorkerPool workers, Clock clock,
            java.util.function.BiPredicate<UserId, String> inRoster, java.time.Duration prefsTtl) {
        this.store = store;
        this.workers = workers;
        this.clock = clock;
        this.inRoster = inRoster;
        this.prefs = new io.telesignal.core.work.TtlCache<>(prefsTtl, 100_000, System::nanoTime);
    }

    /** A new archive id: time-ordered, unique, 20 characters. */
    public String newId() {
        // as String.format("%011x%09x", ...) wrote it, at a fraction of the cost (one per archived copy)
        String time = Long.toHexString(clock.millis());
        String rest = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xfffffffffL);
        StringBuilder id = new StringBuilder(20);
        id.append("0".repeat(Math.max(0, 11 - time.length()))).append(time);
        id.append("0".repeat(9 - rest.length())).append(rest);
        return id.toString();
    }

    private final java.util.concurrent.ConcurrentLinkedQueue<ArchivedMessage> queue = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean();
    private static final int BATCH = 500;

    /**
     * Archives one copy, soon, once the owner's preferences allowed it ({@link #archives}): copies are written in the
     * order they are archived, in batches of up to 500 per transaction, by one worker at a time. A failed batch is
     * logged (ids only).
     */
    public void archive(String id, UserId owner, Jid with, XmlElement stanza) {
        ArchivedMessage copy = new ArchivedMessage(id, owner, with.bare().toString(), stanza.toXml(), clock.instant());
        synchronized (queue) { // counted in queue order, so that a query waits for exactly what came before it
            queue.add(copy);
            queued++;
        }
        drain();
    }

    /** Copies queued so far (under the queue's lock), and copies taken off the queue and written (by the writer). */
    private long queued;
    private final java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
    private record Waiter(long upTo, java.util.concurrent.CompletableFuture<Void> done) {}
    private final java.util.concurrent.ConcurrentLinkedQueue<Waiter> waiters = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * Done once every copy queued before this call is written (or failed), so that a client that received a message
     * and then queries its archive on this node finds it there.
     */
    java.util.concurrent.CompletableFuture<Void> written() {
        long upTo;
        synchronized (queue) {
            upTo = queued;
        }
        if (written.get() >= upTo) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        Waiter waiter = new Waiter(upTo, new java.util.concurrent.CompletableFuture<>());
        waiters.add(waiter);
        wake(); // the writer may have passed it meanwhile
        return waiter.done();
    }

    private void wake() {
        long now = written.get();
        for (Waiter waiter : waiters) {
            if (waiter.upTo() <= now && waiters.remove(waiter)) {
                waiter.done().complete(null);
            }
        }
    }

    private void drain() {
        if (queue.isEmpty() || !writing.compareAndSet(false, true)) {
            return;
        }
        workers.submit(() -> {
            List<ArchivedMessage> batch = new ArrayList<>();
            int taken = 0;
            try {
                for (ArchivedMessage next; taken < BATCH && (next = queue.poll()) != null; ) {
                    taken++;
                    batch.add(next); // the owner's preferences were asked before it was queued (see archives)
                }
                store.appendAll(batch);
            } catch (RuntimeException e) {
                LOG.warn("event=xmpp_archive_failed messages={} first_id={} error={}", taken,
                        batch.isEmpty() ? "-" : batch.get(0).id(), e.getClass().getSimpleName());
            } finally {
                written.addAndGet(taken); // written or failed: a query waiting for them goes on
                wake();
            }
            return null;
        }).whenComplete((ignored, error) -> {
            writing.set(false);
            if (error != null) {
                // the workers took no more (busy): tried again shortly, never in a loop on this thread
                LOG.warn("event=xmpp_archive_failed error={}", error.getClass().getSimpleName());
                java.util.concurrent.CompletableFuture.delayedExecutor(100, java.util.concurrent.TimeUnit.MILLISECONDS)
                        .execute(this::drain);
            } else {
                drain(); // what came meanwhile
            }
        });
    }

    /**
     * Whether the owner's preferences (XEP-0313 §8) archive a conversation with {@code with} (a bare JID): at once when
     * they are known here and need no roster lookup, else on the workers. Asked before a copy is queued, and before a
     * recipient's message is given a stanza id, so that an id names a copy that will be in the archive.
     */
    public CompletionStage<Boolean> archives(UserId owner, String with) {
        Optional<io.telesignal.core.archive.ArchivePrefs> known = prefs.peek(owner);
        if (known.isPresent() && (known.get().mode() != io.telesignal.core.archive.ArchivePrefs.Mode.ROSTER
                || known.get().always().contains(with) || known.get().never().contains(with))) {
            return java.util.concurrent.CompletableFuture.completedFuture(known.get().archives(with, () -> false));
        }
        return workers.submit(() -> prefs.get(owner, store::prefs).archives(with, () -> inRoster.test(owner, with)));
    }

    /** Archive copies not written yet (for tests and metrics). */
    public int pending() {
        return queue.size() + (writing.get() ? 1 : 0);
    }

    /** XEP-0313 §8: the owner's preferences, as the {@code prefs} element; on the workers. */
    public CompletionStage<XmlElement> preferences(UserId owner) {
        return workers.submit(() -> prefsElement(prefs.get(owner, store::prefs)));
    }

    /**
     * XEP-0313 §8: replaces the owner's preferences with those of a {@code prefs} set (lists left out are emptied) and
     * answers them as stored.
     *
     * @throws QueryException {@code bad-request} for a default that is not always, never or roster, a JID that is not
     *     one, or more than {@link io.telesignal.core.archive.ArchivePrefs#MAX_JIDS} in a list
     */
    public CompletionStage<XmlElement> setPreferences(UserId owner, XmlElement element) {
        var mode = io.telesignal.core.archive.ArchivePrefs.Mode.fromWireName(String.valueOf(element.attr("default")))
                .orElseThrow(() -> new QueryException("bad-request"));
        io.telesignal.core.archive.ArchivePrefs changed;
        try {
            changed = new io.telesignal.core.archive.ArchivePrefs(owner, mode, jids(element, "always"),
                    jids(element, "never"));
        } catch (IllegalArgumentException tooMany) {
            throw new QueryException("bad-request");
        }
        return workers.submit(() -> {
            store.setPrefs(changed);
            prefs.invalidate(owner);
            return prefsElement(changed);
        });
    }

    private static java.util.Set<String> jids(XmlElement element, String list) {
        java.util.Set<String> jids = new java.util.HashSet<>();
        element.child(list, MAM_NS).ifPresent(l -> {
            for (XmlElement jid : l.elements()) {
                if (jid.is("jid", MAM_NS)) {
                    jids.add(Jid.parse(jid.text().strip()).map(j -> j.bare().toString())
                            .orElseThrow(() -> new QueryException("bad-request")));
                }
            }
        });
        return jids;
    }

    private static XmlElement prefsElement(io.telesignal.core.archive.ArchivePrefs p) {
        XmlElement.Builder always = XmlElement.builder("always", MAM_NS);
        new java.util.TreeSet<>(p.always()).forEach(j -> always.textChild("jid", MAM_NS, j));
        XmlElement.Builder never = XmlElement.builder("never", MAM_NS);
        new java.util.TreeSet<>(p.never()).forEach(j -> never.textChild("jid", MAM_NS, j));
        return XmlElement.builder("prefs", MAM_NS).attr("default", p.mode().wireName()).add(always.build())
                .add(never.build()).build();
    }

    /** XEP-0313 §6: the query form's fields, for an IQ get. */
    public static XmlElement form() {
        XmlElement.Builder x = XmlElement.builder("x", DATA_NS).attr("type", "form");
        x.add(XmlElement.builder("field", DATA_NS).attr("var", "FORM_TYPE").attr("type", "hidden")
                .textChild("value", DATA_NS, MAM_NS).build());
        x.add(XmlElement.builder("field", DATA_NS).attr("var", "with").attr("type", "jid-single").build());
        x.add(XmlElement.builder("field", DATA_NS).attr("var", "start").attr("type", "text-single").build());
        x.add(XmlElement.builder("field", DATA_NS).attr("var", "end").attr("type", "text-single").build());
        return XmlElement.builder("query", MAM_NS).add(x.build()).build();
    }

    /** The answer to a query: the result messages to send first, then the {@code fin} for the IQ result. */
    public record Answer(List<XmlElement> results, XmlElement fin) {}

    /** Runs a query (on the workers): {@code to} is the requesting resource, {@code query} the IQ's child. */
    public CompletionStage<Answer> query(UserId owner, Jid to, XmlElement query) {
        ArchiveQuery parsed = parse(query);
        String queryId = query.attr("queryid");
        // what was archived on this node before the query is in its answer (a copy written on another node may take
        // a few milliseconds more to show)
        return written().completeOnTimeout(null, 5, java.util.concurrent.TimeUnit.SECONDS)
                .thenCompose(ready -> workers.submit(() -> {
            ArchiveQuery.Page page;
            try {
                page = store.query(owner, parsed);
            } catch (ArchiveStore.ArchiveItemNotFoundException e) {
                throw new QueryException("item-not-found");
            }
            List<XmlElement> results = new ArrayList<>();
            for (ArchivedMessage m : page.messages()) {
                XmlElement original = reparse(m.stanza());
                results.add(XmlElement.builder("message", CLIENT).attr("to", to.toString())
                        .add(XmlElement.builder("result", MAM_NS).attr("queryid", queryId).attr("id", m.id())
                                .add(XmlElement.builder("forwarded", "urn:xmpp:forward:0")
                                        .add(XmlElement.builder("delay", "urn:xmpp:delay").attr("stamp", m.at().toString()).build())
                                        .add(original).build()).build()).build());
            }
            XmlElement.Builder set = XmlElement.builder("set", RSM_NS);
            if (!page.messages().isEmpty()) {
                set.add(XmlElement.builder("first", RSM_NS).text(page.messages().get(0).id()).build());
                set.add(XmlElement.builder("last", RSM_NS).text(page.messages().get(page.messages().size() - 1).id()).build());
            }
            set.textChild("count", RSM_NS, Integer.toString(page.count()));
            XmlElement fin = XmlElement.builder("fin", MAM_NS).attr("complete", Boolean.toString(page.complete()))
                    .add(set.build()).build();
            return new Answer(results, fin);
        }));
    }

    /** The form and paging of a query; {@code bad-request} for values that do not parse. */
    static ArchiveQuery parse(XmlElement query) {
        Optional<String> with = Optional.empty();
        Optional<Instant> start = Optional.empty();
        Optional<Instant> end = Optional.empty();
        Optional<XmlElement> form = query.child("x", DATA_NS);
        if (form.isPresent()) {
            for (XmlElement field : form.get().elements()) {
                String value = field.child("value", DATA_NS).map(XmlElement::text).orElse("").strip();
                switch (String.valueOf(field.attr("var"))) {
                    case "FORM_TYPE" -> {
                        if (!value.equals(MAM_NS)) {
                            throw new QueryException("bad-request");
                        }
                    }
                    case "with" -> with = Optional.of(Jid.parse(value).orElseThrow(() -> new QueryException("jid-malformed"))
                            .bare().toString());
                    case "start" -> start = Optional.of(instant(value));
                    case "end" -> end = Optional.of(instant(value));
                    default -> throw new QueryException("bad-request"); // XEP-0313 §4.1.1: unknown fields are refused
                }
            }
        }
        int max = ArchiveQuery.MAX_PAGE;
        Optional<String> after = Optional.empty();
        Optional<String> before = Optional.empty();
        Optional<XmlElement> set = query.child("set", RSM_NS);
        if (set.isPresent()) {
            Optional<XmlElement> maxElement = set.get().child("max", RSM_NS);
            if (maxElement.isPresent()) {
                try {
                    max = Math.min(ArchiveQuery.MAX_PAGE, Math.max(0, Integer.parseInt(maxElement.get().text().strip())));
                } catch (NumberFormatException e) {
                    throw new QueryException("bad-request");
                }
            }
            after = set.get().child("after", RSM_NS).map(e -> e.text().strip());
            before = set.get().child("before", RSM_NS).map(e -> e.text().strip());
            if (after.isPresent() && before.isPresent()) {
                throw new QueryException("bad-request");
            }
        }
        return new ArchiveQuery(with, start, end, after, before, max);
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException notEither) {
                throw new QueryException("bad-request");
            }
        }
    }

    /** An archived stanza as an element again (it was written by this server from a parsed element). */
    private static XmlElement reparse(String xml) {
        try {
            return io.telesignal.xmpp.xml.XmlStreamParser.parseElement(xml, Integer.MAX_VALUE, 1000);
        } catch (io.telesignal.xmpp.xml.StreamErrorException e) {
            throw new IllegalStateException("an archived stanza does not parse: " + e.condition());
        }
    }

    public int purgeBefore(Instant cutoff) {
        return store.purgeBefore(cutoff);
    }
}
