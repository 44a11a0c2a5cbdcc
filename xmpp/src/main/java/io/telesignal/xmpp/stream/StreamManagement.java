package io.telesignal.xmpp.stream;

import io.telesignal.xmpp.xml.XmlElement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
        unacked.clear();
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
        if (count > unacked.size()) {
            return false;
        }
        for (long i = 0; i < count; i++) {
            unacked.poll();
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
        List<String> again = new ArrayList<>(unacked);
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

    private void counted(String xml) {
        if (!enabled) {
            return;
        }
        sent = (sent + 1) & 0xFFFFFFFFL;
        unacked.add(xml);
        if (transport != null && ++sinceRequest >= REQUEST_EVERY) {
            sinceRequest = 0;
            transport.send(XmlElement.empty("r", NS));
        }
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
            String xml = element.toXml();
            if (transport != null) {
                transport.sendSerialized(xml);
            }
            counted(xml);
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
        if (transport != null) {
            transport.sendSerialized(xml);
        }
        counted(xml);
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
