package io.telesignal.xmpp.im;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.archive.ArchiveQuery;
import io.telesignal.xmpp.xml.XmlElement;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** XEP-0313 query forms and XEP-0059 paging as the archive reads them, and the refusals. */
class MessageArchiveTest {
    private static XmlElement field(String var, String value) {
        return XmlElement.builder("field", MessageArchive.DATA_NS).attr("var", var)
                .textChild("value", MessageArchive.DATA_NS, value).build();
    }

    private static XmlElement query(XmlElement... children) {
        XmlElement.Builder query = XmlElement.builder("query", MessageArchive.MAM_NS).attr("queryid", "q1");
        for (XmlElement child : children) {
            query.add(child);
        }
        return query.build();
    }

    private static XmlElement form(XmlElement... fields) {
        XmlElement.Builder x = XmlElement.builder("x", MessageArchive.DATA_NS).attr("type", "submit")
                .add(field("FORM_TYPE", MessageArchive.MAM_NS));
        for (XmlElement f : fields) {
            x.add(f);
        }
        return x.build();
    }

    @Test
    void formFieldsAndPagingAreRead() {
        ArchiveQuery parsed = MessageArchive.parse(query(form(field("with", "Bob@Clinic.example/desk"),
                field("start", "2026-12-01T00:00:00Z"), field("end", "2026-12-06T10:00:00+01:00")),
                XmlElement.builder("set", MessageArchive.RSM_NS).textChild("max", MessageArchive.RSM_NS, "10")
                        .textChild("after", MessageArchive.RSM_NS, "abc").build()));
        assertThat(parsed.with()).contains("bob@clinic.example");
        assertThat(parsed.start()).contains(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(parsed.end()).contains(Instant.parse("2026-12-06T09:00:00Z"));
        assertThat(parsed.after()).contains("abc");
        assertThat(parsed.max()).isEqualTo(10);

        ArchiveQuery everything = MessageArchive.parse(query());
        assertThat(everything.max()).isEqualTo(ArchiveQuery.MAX_PAGE);
        assertThat(everything.with()).isEmpty();
        ArchiveQuery last = MessageArchive.parse(query(XmlElement.builder("set", MessageArchive.RSM_NS)
                .textChild("max", MessageArchive.RSM_NS, "100000").add(XmlElement.empty("before", MessageArchive.RSM_NS))
                .build()));
        assertThat(last.before()).contains("");
        assertThat(last.max()).as("capped").isEqualTo(ArchiveQuery.MAX_PAGE);
    }

    @Test
    void badFormsAreRefused() {
        for (XmlElement bad : new XmlElement[] {query(form(field("start", "yesterday"))), query(form(field("colour", "red"))),
                query(XmlElement.builder("x", MessageArchive.DATA_NS).add(field("FORM_TYPE", "urn:other")).build()),
                query(XmlElement.builder("set", MessageArchive.RSM_NS).textChild("max", MessageArchive.RSM_NS, "ten").build()),
                query(XmlElement.builder("set", MessageArchive.RSM_NS).textChild("after", MessageArchive.RSM_NS, "a")
                        .textChild("before", MessageArchive.RSM_NS, "b").build())}) {
            assertThatThrownBy(() -> MessageArchive.parse(bad)).isInstanceOf(MessageArchive.QueryException.class)
                    .extracting(e -> ((MessageArchive.QueryException) e).condition()).isEqualTo("bad-request");
        }
        assertThatThrownBy(() -> MessageArchive.parse(query(form(field("with", "not a jid@@"))))).isInstanceOf(
                MessageArchive.QueryException.class);
        assertThat(Optional.of(MessageArchive.form().toXml())).hasValueSatisfying(x -> assertThat(x)
                .contains("var=\"with\"", "var=\"start\"", "var=\"end\"", MessageArchive.MAM_NS));
    }

    /** An archive store whose writes wait for a gate, as a slow disk would. */
    private static final class SlowStore implements io.telesignal.core.archive.ArchiveStore {
        final io.telesignal.core.archive.InMemoryArchiveStore inner = new io.telesignal.core.archive.InMemoryArchiveStore();
        final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);

        @Override
        public void append(io.telesignal.core.archive.ArchivedMessage message) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inner.append(message);
        }

        @Override
        public ArchiveQuery.Page query(io.telesignal.core.identity.UserId owner, ArchiveQuery query) {
            return inner.query(owner, query);
        }

        @Override
        public int purgeBefore(Instant cutoff) {
            return inner.purgeBefore(cutoff);
        }

        @Override
        public io.telesignal.core.archive.ArchivePrefs prefs(io.telesignal.core.identity.UserId owner) {
            return inner.prefs(owner);
        }

        @Override
        public void setPrefs(io.telesignal.core.archive.ArchivePrefs prefs) {
            inner.setPrefs(prefs);
        }
    }

    @Test
    void aQueryWaitsForTheCopiesArchivedBeforeItOnThisNode() throws Exception {
        SlowStore store = new SlowStore();
        try (var workers = new io.telesignal.core.work.WorkerPool("archive-test", 2, 100)) {
            MessageArchive archive = new MessageArchive(store, workers, java.time.Clock.systemUTC(), (o, w) -> false,
                    java.time.Duration.ofSeconds(30));
            var owner = new io.telesignal.core.identity.UserId("u-bob");
            XmlElement message = XmlElement.builder("message", "jabber:client").attr("type", "chat")
                    .textChild("body", "jabber:client", "hello").build();
            archive.archive(archive.newId(), owner, io.telesignal.xmpp.stream.Jid.parse("alice@localhost/desk").orElseThrow(),
                    message);
            var answer = archive.query(owner, io.telesignal.xmpp.stream.Jid.parse("bob@localhost/phone").orElseThrow(),
                    query()).toCompletableFuture();
            Thread.sleep(200);
            assertThat(answer).isNotDone(); // the copy is still being written
            store.gate.countDown();
            assertThat(answer.get(10, java.util.concurrent.TimeUnit.SECONDS).results()).hasSize(1);
            // nothing pending: at once
            assertThat(archive.query(owner, io.telesignal.xmpp.stream.Jid.parse("bob@localhost/phone").orElseThrow(),
                    query()).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS).results()).hasSize(1);
        }
    }

    @Test
    void aBatchTheBusyPoolRefusesIsWrittenWhenThePoolFrees() throws Exception {
        SlowStore store = new SlowStore();
        store.gate.countDown(); // writes are quick; the pool is what is busy
        try (var workers = new io.telesignal.core.work.WorkerPool("archive-busy", 1, 1)) {
            MessageArchive archive = new MessageArchive(store, workers, java.time.Clock.systemUTC(), (o, w) -> false,
                    java.time.Duration.ofSeconds(30));
            var owner = new io.telesignal.core.identity.UserId("u-bob");
            // the one thread and the one queue slot taken: the writer's batch is refused
            var hold = new java.util.concurrent.CountDownLatch(1);
            java.util.function.Supplier<Object> waiting = () -> {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            };
            workers.submit(waiting);
            workers.submit(waiting);
            XmlElement message = XmlElement.builder("message", "jabber:client").attr("type", "chat")
                    .textChild("body", "jabber:client", "while busy").build();
            archive.archive(archive.newId(), owner, io.telesignal.xmpp.stream.Jid.parse("alice@localhost/desk").orElseThrow(),
                    message);
            Thread.sleep(300);
            assertThat(archive.pending()).isPositive(); // not lost, not written yet
            hold.countDown();
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (archive.pending() > 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(archive.query(owner, io.telesignal.xmpp.stream.Jid.parse("bob@localhost/phone").orElseThrow(),
                    query()).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS).results()).hasSize(1);
        }
    }
}
