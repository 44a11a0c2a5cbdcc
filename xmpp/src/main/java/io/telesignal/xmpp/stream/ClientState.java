package io.telesignal.xmpp.stream;

import io.telesignal.xmpp.xml.XmlElement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Client state indication (XEP-0352, {@code urn:xmpp:csi:0}): while the client says it is inactive (a phone in a
 * pocket), stanzas it does not need at once are held instead of waking its radio: presence broadcasts (only the last
 * from each sender is kept), and messages without a body (chat states, receipts, personal eventing notifications).
 * Everything else (a message with a body or a subject, an IQ, a subscription request, an error) goes out at once,
 * after what was held, in order; so does everything held when the client becomes active again, or when more than
 * {@code maxHeld} wait. On the session's event loop only.
 */
final class ClientState {
    static final String NS = "urn:xmpp:csi:0";
    private static final String CLIENT = io.telesignal.xmpp.xml.XmlStreamParser.CLIENT_NS;

    private final int maxHeld;
    private boolean inactive;
    /** What waits, in the order it came: presence keyed by its sender (a newer one replaces it), the rest by number. */
    private final LinkedHashMap<String, String> held = new LinkedHashMap<>();
    private long numbered;

    ClientState(int maxHeld) {
        this.maxHeld = maxHeld;
    }

    boolean isInactive() {
        return inactive;
    }

    int held() {
        return held.size();
    }

    /** {@code <active/>}: everything held goes out now. */
    void active(Consumer<String> send) {
        inactive = false;
        flush(send);
    }

    /** {@code <inactive/>}: from now on, what can wait does. */
    void goInactive() {
        inactive = true;
    }

    /**
     * A stanza on its way to the client: held (answers true), or let through (false), what was held before it sent
     * first through {@code send}.
     */
    boolean hold(String xml, Consumer<String> send) {
        if (inactive) {
            String key = canWait(xml);
            if (key != null) {
                held.remove(key); // a newer presence from the same sender replaces the one held, and goes to the end
                held.put(key.isEmpty() ? "#" + (numbered++) : key, xml);
                if (held.size() > maxHeld) {
                    flush(send);
                }
                return true;
            }
        }
        flush(send);
        return false;
    }

    /** As {@link #hold(String, Consumer)}, for an element (serialised only when it is held). */
    boolean hold(XmlElement element, Consumer<String> send) {
        if (inactive && !important(element)) {
            return hold(element.toXml(), send);
        }
        flush(send);
        return false;
    }

    /** The session ends or detaches: what was held is dropped (presence and notifications are never kept). */
    void clear() {
        held.clear();
    }

    private void flush(Consumer<String> send) {
        if (held.isEmpty()) {
            return;
        }
        Map<String, String> out = new LinkedHashMap<>(held);
        held.clear();
        out.values().forEach(send);
    }

    private static boolean important(XmlElement element) {
        String type = element.attr("type");
        return switch (element.name()) {
            case "presence" -> type != null && !type.equals("unavailable");
            case "message" -> "error".equals(type) || element.child("body", CLIENT).isPresent()
                    || element.child("subject", CLIENT).isPresent();
            default -> true;
        };
    }

    /**
     * The key a stanza waits under: its sender for an available or unavailable presence, empty for a message that
     * can wait; null when it cannot wait. Reads only the serialised start tag and looks for a body or subject (a
     * carbon of a message with a body has one inside, and goes at once too).
     */
    static String canWait(String xml) {
        if (xml.indexOf('>') < 0) {
            return null;
        }
        String type = Stanzas.attribute(xml, "type");
        if (xml.startsWith("<presence")) {
            if (type != null && !type.equals("unavailable")) {
                return null;
            }
            String from = Stanzas.attribute(xml, "from");
            return "p " + (from == null ? "" : from);
        }
        if (xml.startsWith("<message")) {
            if ("error".equals(type) || xml.contains("<body") || xml.contains("<subject")) {
                return null;
            }
            return "";
        }
        return null;
    }
}
