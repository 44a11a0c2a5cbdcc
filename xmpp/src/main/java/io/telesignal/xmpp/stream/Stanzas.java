package io.telesignal.xmpp.stream;

import io.telesignal.xmpp.xml.XmlElement;
import io.telesignal.xmpp.xml.XmlStreamParser;

/** Stanza errors (RFC 6120 §8.3), the same for the session and the services behind it. */
public final class Stanzas {
    public static final String STANZAS_NS = "urn:ietf:params:xml:ns:xmpp-stanzas";

    private Stanzas() {}

    /** Whether an error may answer this stanza: never an error about an error, nor about a result (RFC 6120 §8.3.1). */
    public static boolean answerable(XmlElement stanza) {
        return !"error".equals(stanza.attr("type")) && !"result".equals(stanza.attr("type"));
    }

    /**
     * The stanza sent back with {@code type='error'}, addresses swapped ({@code from} is what it was sent to), and the
     * condition; {@code to} may be null.
     */
    public static XmlElement error(XmlElement stanza, String type, String condition, Jid to) {
        return error(stanza, type, condition, to, null);
    }

    /** As above, with an application-specific condition beside the defined one (may be null). */
    public static XmlElement error(XmlElement stanza, String type, String condition, Jid to, XmlElement specific) {
        XmlElement.Builder reply = XmlElement.builder(stanza.name(), XmlStreamParser.CLIENT_NS).attr("type", "error")
                .attr("id", stanza.attr("id"));
        if (stanza.attr("to") != null) {
            reply.attr("from", stanza.attr("to"));
        }
        if (to != null) {
            reply.attr("to", to.toString());
        }
        XmlElement.Builder error = XmlElement.builder("error", XmlStreamParser.CLIENT_NS).attr("type", type)
                .add(condition, STANZAS_NS);
        if (specific != null) {
            error.add(specific);
        }
        return reply.add(error.build()).build();
    }

    /**
     * A message as offline storage keeps it: stamped with a XEP-0203 delay from {@code domain} at this moment (to the
     * millisecond).
     */
    public static XmlElement delayed(XmlElement message, String domain) {
        return message.toBuilder().add(XmlElement.builder("delay", C2sSession.DELAY_NS).attr("from", domain)
                .attr("stamp", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString())
                .build()).build();
    }

    /**
     * An attribute's value in a serialised stanza's start tag (double-quoted, as this server writes them), without
     * parsing the stanza; null when absent.
     */
    public static String attribute(String xml, String name) {
        int end = xml.indexOf('>');
        String marker = " " + name + "=\"";
        int at = xml.indexOf(marker);
        if (end < 0 || at < 0 || at > end) {
            return null;
        }
        int from = at + marker.length();
        int to = xml.indexOf('"', from);
        return to < 0 || to > end ? null : xml.substring(from, to);
    }
}
