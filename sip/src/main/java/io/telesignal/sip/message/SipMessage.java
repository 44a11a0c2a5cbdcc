package io.telesignal.sip.message;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A SIP message (RFC 3261 §7): a start line, header fields in the order received, and a body. Immutable; the typed
 * accessors parse on demand and throw {@link SipParseException} (400) for a value that does not parse.
 */
public abstract sealed class SipMessage permits SipRequest, SipResponse {
    private final List<Header> headers;
    private final byte[] body;
    // parsed once, on first use: the parser checks them, then the transaction layer, the door and the responses read
    // them again (an immutable message: a racing first read parses twice and stores the same value)
    private List<Via> vias;
    private NameAddr from;
    private NameAddr to;
    private CSeq cseq;
    private List<NameAddr> contacts;

    SipMessage(List<Header> headers, byte[] body) {
        this.headers = List.copyOf(headers);
        this.body = body.clone();
    }

    public List<Header> headers() {
        return headers;
    }

    public byte[] body() {
        return body.clone();
    }

    public int bodyLength() {
        return body.length;
    }

    /** Every value of the header, in order; a list header's fields split at their separating commas. */
    public List<String> values(String name) {
        String canonical = HeaderNames.canonical(name);
        boolean list = HeaderNames.isList(canonical);
        List<String> values = new ArrayList<>();
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(canonical)) {
                if (list) {
                    values.addAll(Syntax.splitList(h.value()));
                } else {
                    values.add(h.value());
                }
            }
        }
        return values;
    }

    public Optional<String> first(String name) {
        String canonical = HeaderNames.canonical(name);
        for (Header h : headers) {
            if (h.name().equals(canonical) || h.name().equalsIgnoreCase(canonical)) {
                if (!HeaderNames.isList(canonical)) {
                    return Optional.of(h.value());
                }
                List<String> split = Syntax.splitList(h.value());
                return split.isEmpty() ? Optional.empty() : Optional.of(split.get(0));
            }
        }
        return Optional.empty();
    }

    /**
     * A copy of this message's parsed From, To and CSeq, and its Vias but the top one replaced, for a message made from
     * this one with the same headers otherwise (a request whose top Via was stamped): nothing is parsed twice.
     */
    void copyParsed(SipMessage from, Via newTop) {
        this.from = from.from;
        this.to = from.to;
        this.cseq = from.cseq;
        this.contacts = from.contacts;
        List<Via> old = from.vias;
        if (old != null && !old.isEmpty()) {
            List<Via> copied = new ArrayList<>(old);
            copied.set(0, newTop);
            this.vias = List.copyOf(copied);
        }
    }

    private String required(String name) {
        return first(name).orElseThrow(() -> SipParseException.malformed("missing " + name));
    }

    public List<Via> vias() {
        List<Via> parsed = vias;
        if (parsed == null) {
            parsed = values(HeaderNames.VIA).stream().map(Via::parse).toList();
            vias = parsed;
        }
        return parsed;
    }

    public NameAddr from() {
        NameAddr parsed = from;
        if (parsed == null) {
            parsed = NameAddr.parse(required(HeaderNames.FROM));
            from = parsed;
        }
        return parsed;
    }

    public NameAddr to() {
        NameAddr parsed = to;
        if (parsed == null) {
            parsed = NameAddr.parse(required(HeaderNames.TO));
            to = parsed;
        }
        return parsed;
    }

    public String callId() {
        return required(HeaderNames.CALL_ID);
    }

    public CSeq cseq() {
        CSeq parsed = cseq;
        if (parsed == null) {
            parsed = CSeq.parse(required(HeaderNames.CSEQ));
            cseq = parsed;
        }
        return parsed;
    }

    /** RFC 3261 §20.22: 0-255; empty when absent. */
    public OptionalInt maxForwards() {
        Optional<String> value = first(HeaderNames.MAX_FORWARDS);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        String v = value.get();
        if (v.isEmpty() || v.length() > 9 || !v.chars().allMatch(c -> c >= '0' && c <= '9') || Integer.parseInt(v) > 255) {
            throw SipParseException.malformed("Max-Forwards is not 0-255");
        }
        return OptionalInt.of(Integer.parseInt(v));
    }

    /** The Contact values; {@code *} (unregister all, RFC 3261 §10.2.2) is reported by {@link #contactIsStar}. */
    public List<NameAddr> contacts() {
        List<NameAddr> parsed = contacts;
        if (parsed == null) {
            parsed = contactIsStar() ? List.of() : values(HeaderNames.CONTACT).stream().map(NameAddr::parse).toList();
            contacts = parsed;
        }
        return parsed;
    }

    public boolean contactIsStar() {
        List<String> contacts = values(HeaderNames.CONTACT);
        return contacts.size() == 1 && contacts.get(0).equals("*");
    }

    abstract String startLine();

    /**
     * The message on the wire: start line, headers as held (their canonical names), a Content-Length that is the
     * body's, the body.
     */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + body.length);
        StringBuilder head = new StringBuilder(256).append(startLine()).append("\r\n");
        for (Header h : headers) {
            if (!h.name().equalsIgnoreCase(HeaderNames.CONTENT_LENGTH)) {
                head.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
        }
        head.append(HeaderNames.CONTENT_LENGTH).append(": ").append(body.length).append("\r\n\r\n");
        byte[] bytes = head.toString().getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.write(body, 0, body.length);
        return out.toByteArray();
    }

    @Override
    public String toString() {
        // never the headers or body: they carry names, numbers and SDP
        return getClass().getSimpleName() + "[" + summary() + "]";
    }

    abstract String summary();
}
