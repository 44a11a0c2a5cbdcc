package io.telesignal.xmpp.stream;

import io.telesignal.core.session.SharedSessions;
import io.telesignal.xmpp.xml.XmlElement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Stream management (XEP-0198, {@code urn:xmpp:sm:3}) as a {@link Link} between a session and its transport: once
 * enabled it numbers the stanzas sent, keeps each until the client acknowledges it ({@code <a h/>}), and counts the
 * stanzas received for the client's {@code <r/>}. When the transport is lost the session stays, detached: stanzas for
 * it are kept (up to the queue's limit) until the client resumes on a new connection, which gets every unacknowledged
 * stanza again, or until the resumption window lapses. What the client, inactive, does not need at once waits in its
 * {@link ClientState} (XEP-0352) and is numbered when it goes out. Used on the session's event loop only.
 */
public final class StreamManagement implements Link {
    public static final String NS = "urn:xmpp:sm:3";
    /** How many stanzas may wait for an acknowledgement before the server asks for one. */
    private static final int REQUEST_EVERY = 5;

    private Link transport;
    private final ScheduledExecutorService loop;
    private boolean enabled;
    private long received;
    private long sent;
    private final ArrayDeque<String> unacked = new ArrayDeque<>();
    private int sinceRequest;
    /** What waits while the client is inactive (XEP-0352); it is numbered when it goes out. */
    private final ClientState state;

    /**
     * Where numbered stanzas are copied before the client sees them (cluster mode: {@link SharedStreams}), so that
     * another node has what the client never acknowledged should this one die.
     */
    interface Mirror {
        /** Copies stanza {@code seq} (1 for the first numbered). */
        CompletionStage<SharedSessions.Mirrored> mirror(long seq, String xml);

        /** The store took a stanza of the copy. */
        void stored();

        /** The client has every stanza up to {@code seq}. */
        void acknowledged(long seq);

        /** Writes the copy in full: {@code unacknowledged} are stanzas {@code first} onwards. */
        CompletionStage<Void> write(long first, List<String> unacknowledged);

        /** Another node took the session: this one lets it go. */
        void moved();
    }

    /** A numbered stanza waiting for its copy before it is written. */
    private static final class Copying {
        final String xml;
        boolean copied;

        Copying(String xml) {
            this.xml = xml;
        }
    }

    private Mirror mirror;
    /** Stanzas numbered since enable, not wrapped (the copy's numbering). */
    private long total;
    /** The tail of {@link #unacked} whose copies are not stored yet: written in order once they are. */
    private final ArrayDeque<Copying> copying = new ArrayDeque<>();
    /** Done when the last numbered stanza's copy is stored (or failed). */
    private CompletableFuture<Void> lastCopy = CompletableFuture.completedFuture(null);
    private boolean rewriting;
    private boolean rewriteDue;

    StreamManagement(Link transport, int maxHeldWhileInactive) {
        this.transport = transport;
        this.loop = transport.loop();
        this.state = new ClientState(maxHeldWhileInactive);
    }

    /** {@code <active/>} or {@code <inactive/>} from the client (XEP-0352). */
    void clientState(boolean active) {
        if (active) {
            state.active(this::deliver);
        } else {
            state.goInactive();
        }
    }

    ClientState clientState() {
        return state;
    }

    /** Numbering starts (the client sent {@code <enable/>}). */
    void enable() {
        enabled = true;
        received = 0;
        sent = 0;
        total = 0;
        unacked.clear();
    }

    /**
     * Takes up a stream another node numbered (its session moved here): {@code received} stanzas came from the client,
     * {@code sent} were numbered, and {@code unacknowledged} (the last of those) the client has not acknowledged. They
     * are sent again once a transport is {@link #attachMoved attached}.
     */
    void restore(long received, long sent, List<String> unacknowledged) {
        enabled = true;
        this.received = received & 0xFFFFFFFFL;
        this.total = sent;
        this.sent = sent & 0xFFFFFFFFL;
        unacked.clear();
        unacked.addAll(unacknowledged);
    }

    /** Whether the client's {@code h} acknowledges no more than was written, and no less than was acknowledged. */
    boolean fits(long h) {
        long count = (h - (sent - unacked.size())) & 0xFFFFFFFFL;
        return count <= unacked.size() - copying.size();
    }

    /** Stanzas numbered since enable (the copy's numbering). */
    long total() {
        return total;
    }

    /** Runs {@code then} on the loop once every numbered stanza's copy is stored (or failed). */
    void whenCopied(Runnable then) {
        loop.execute(() -> {
            if (copying.isEmpty()) {
                then.run(); // checked and run in one turn of the loop: nothing is numbered in between
            } else {
                lastCopy.whenComplete((done, failure) -> whenCopied(then));
            }
        });
    }

    /** The new connection of a stream that moved here: every unacknowledged stanza is written again, in order. */
    void attachMoved(Link next) {
        transport = next;
        for (String xml : unacked) {
            next.sendSerialized(xml);
        }
        sinceRequest = 0;
    }

    /** From now on every numbered stanza is copied before it is written (a resumable stream in cluster mode). */
    void mirror(Mirror copies) {
        this.mirror = copies;
    }

    /** No more copies: the session ended here, or another node took it. */
    void stopMirroring() {
        mirror = null;
    }

    /** Done when every stanza numbered so far is copied (at once without copies). */
    CompletableFuture<Void> copied() {
        return lastCopy;
    }

    boolean enabled() {
        return enabled;
    }

    boolean attached() {
        return transport != null;
    }

    /** One more stanza came from the client. */
    void receivedOne() {
        if (enabled) {
            received = (received + 1) & 0xFFFFFFFFL;
        }
    }

    long received() {
        return received;
    }

    int queued() {
        return unacked.size();
    }

    /** The client acknowledged up to {@code h}: those are dropped. False when {@code h} acknowledges more than was sent. */
    boolean acknowledged(long h) {
        long count = (h - (sent - unacked.size())) & 0xFFFFFFFFL;
        if (count > unacked.size() - copying.size()) {
            return false; // more than was written
        }
        for (long i = 0; i < count; i++) {
            unacked.poll();
        }
        if (mirror != null && count > 0) {
            mirror.acknowledged(total - unacked.size());
        }
        return true;
    }

    /** The transport is gone; stanzas are kept from now on. */
    void detach() {
        transport = null;
    }

    /**
     * A new transport takes over after the client acknowledged up to {@code h}: answers the stanzas to send again, in
     * order, or empty when {@code h} does not fit what was sent.
     */
    Optional<List<String>> attach(Link next, long h) {
        if (!acknowledged(h)) {
            return Optional.empty();
        }
        transport = next;
        // what is still being copied is written once copied, after these
        List<String> again = new ArrayList<>(unacked).subList(0, unacked.size() - copying.size());
        for (String xml : again) {
            next.sendSerialized(xml);
        }
        sinceRequest = 0;
        return Optional.of(again);
    }

    /** What is still unacknowledged, oldest first (when the session ends without a resume). */
    List<String> unacknowledged() {
        return List.copyOf(unacked);
    }

    /** Writes a numbered stanza (when attached), asking for an acknowledgement every few. */
    private void write(String xml) {
        if (transport != null) {
            transport.sendSerialized(xml);
            if (++sinceRequest >= REQUEST_EVERY) {
                sinceRequest = 0;
                transport.send(XmlElement.empty("r", NS));
            }
        }
    }

    /** Numbers a stanza and writes it: at once, or once copied when the stream has copies. */
    private void counted(String xml) {
        sent = (sent + 1) & 0xFFFFFFFFL;
        total++;
        unacked.add(xml);
        if (mirror == null) {
            write(xml);
            return;
        }
        Copying entry = new Copying(xml);
        copying.add(entry);
        CompletableFuture<Void> done = new CompletableFuture<>();
        lastCopy = done;
        mirror.mirror(total, xml).whenComplete((result, failure) -> loop.execute(() -> {
            entry.copied = true;
            while (!copying.isEmpty() && copying.peek().copied) {
                write(copying.poll().xml);
            }
            done.complete(null);
            if (mirror == null) {
                return; // the session ended meanwhile: its copy is gone, or another node's
            }
            if (failure != null || result == SharedSessions.Mirrored.MISSING || result == SharedSessions.Mirrored.GAP) {
                // the store was away or lost the copy: written again in full (the client is not kept waiting)
                rewrite();
            } else if (result == SharedSessions.Mirrored.MOVED) {
                mirror.moved();
            } else {
                mirror.stored();
            }
        }));
    }

    /** Writes the copy again from what is unacknowledged, one write at a time. */
    private void rewrite() {
        if (mirror == null) {
            return;
        }
        if (rewriting) {
            rewriteDue = true;
            return;
        }
        rewriting = true;
        rewriteDue = false;
        mirror.write(total - unacked.size() + 1, List.copyOf(unacked)).whenComplete((done, failure) -> loop.execute(() -> {
            rewriting = false;
            if (rewriteDue || failure != null) {
                loop.schedule(this::rewrite, failure != null ? 1000 : 0, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }));
    }

    private static boolean stanza(XmlElement element) {
        return element.namespace().equals(io.telesignal.xmpp.xml.XmlStreamParser.CLIENT_NS)
                && (element.name().equals("message") || element.name().equals("presence") || element.name().equals("iq"));
    }

    // ---- Link

    @Override
    public void openStream(String id, String domain) {
        if (transport != null) {
            transport.openStream(id, domain);
        }
    }

    @Override
    public void send(XmlElement element) {
        if (stanza(element) && state.hold(element, this::deliver)) {
            return;
        }
        if (enabled && stanza(element)) {
            counted(element.toXml());
        } else if (transport != null) {
            transport.send(element);
        }
    }

    @Override
    public void sendSerialized(String xml) {
        if (!state.hold(xml, this::deliver)) {
            deliver(xml);
        }
    }

    /** A serialised stanza written (when attached) and numbered. */
    private void deliver(String xml) {
        if (enabled) {
            counted(xml);
        } else if (transport != null) {
            transport.sendSerialized(xml);
        }
    }

    @Override
    public void closeStream() {
        if (transport != null) {
            transport.closeStream();
        }
    }

    @Override
    public boolean secure() {
        return transport != null && transport.secure();
    }

    @Override
    public boolean canStartTls() {
        return transport != null && transport.canStartTls();
    }

    @Override
    public void startTls() {
        transport.startTls();
    }

    @Override
    public void restartStream() {
        transport.restartStream();
    }

    @Override
    public String remoteAddress() {
        return transport == null ? "" : transport.remoteAddress();
    }

    @Override
    public ScheduledExecutorService loop() {
        return loop;
    }

    @Override
    public Optional<byte[]> tlsServerEndPoint() {
        return transport == null ? Optional.empty() : transport.tlsServerEndPoint();
    }

    @Override
    public void handOver(C2sSession session) {
        if (transport != null) {
            transport.handOver(session);
        }
    }

    /** The transport underneath (for a resume to move it). */
    Link transport() {
        return transport;
    }
}
