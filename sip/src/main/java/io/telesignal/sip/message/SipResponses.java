package io.telesignal.sip.message;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Responses a server makes to a request (RFC 3261 §8.2.6): Via, From, To, Call-ID and CSeq copied, a To tag added. */
public final class SipResponses {
    private SipResponses() {}

    /**
     * A response to {@code request}. The To tag, when the request had none and the status is over 100, is derived from
     * the request (Call-ID, From tag, top branch), so a retransmitted request gets the same tag (§8.2.6.2).
     */
    public static SipResponse to(SipRequest request, int status, String reason, List<Header> extra) {
        List<Header> headers = new ArrayList<>();
        for (Header h : request.headers()) {
            if (h.name().equals(HeaderNames.VIA) || h.name().equals(HeaderNames.FROM)
                    || h.name().equals(HeaderNames.CALL_ID) || h.name().equals(HeaderNames.CSEQ)) {
                headers.add(h);
            } else if (h.name().equals(HeaderNames.TO)) {
                boolean tagged = request.to().tag().isPresent();
                headers.add(tagged || status == 100 ? h : new Header(HeaderNames.TO, h.value() + ";tag=" + tag(request)));
            }
        }
        headers.addAll(extra);
        return new SipResponse(status, reason, headers, new byte[0]);
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    });

    static String tag(SipRequest request) {
        String seed = request.callId() + "|" + request.from().tag().orElse("") + "|"
                + request.vias().get(0).branch().orElse("");
        byte[] digest = SHA256.get().digest(seed.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest, 0, 6);
    }

    /**
     * A response to a request that did not parse, from the raw header values a lenient scan finds (Via, From, To,
     * Call-ID, CSeq copied as they are, those present); null without a Via and a CSeq (nothing to address and match
     * one by), or when it was a response or an ACK itself.
     */
    public static byte[] toUnparsed(byte[] raw, int status, String reason) {
        String head = new String(raw, 0, Math.min(raw.length, 65536), StandardCharsets.ISO_8859_1);
        int headEnd = head.indexOf("\r\n\r\n");
        if (headEnd >= 0) {
            head = head.substring(0, headEnd);
        }
        String[] lines = head.split("\r?\n");
        if (lines.length < 2 || lines[0].regionMatches(true, 0, "SIP/", 0, 4) || lines[0].startsWith("ACK ")) {
            return null; // a response, or an ACK: never answered
        }
        StringBuilder out = new StringBuilder("SIP/2.0 ").append(status).append(' ')
                .append(reason.replaceAll("[\\r\\n]", " ")).append("\r\n");
        boolean cseq = false;
        boolean via = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = HeaderNames.canonical(lines[i].substring(0, colon).strip());
            if (name.equals(HeaderNames.VIA) || name.equals(HeaderNames.FROM) || name.equals(HeaderNames.TO)
                    || name.equals(HeaderNames.CALL_ID) || name.equals(HeaderNames.CSEQ)) {
                String value = lines[i].substring(colon + 1).strip();
                if (value.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
                    continue;
                }
                out.append(name).append(": ").append(value).append("\r\n");
                cseq |= name.equals(HeaderNames.CSEQ);
                via |= name.equals(HeaderNames.VIA);
            }
        }
        // a client matches a response by its top Via's branch and its CSeq method (RFC 3261 §17.1.3): with those two
        // it is addressed and matched, whatever else the request lacked (RFC 4475 §3.3.1)
        if (!via || !cseq) {
            return null;
        }
        out.append("Content-Length: 0\r\n\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A response as a proxy forwards it upstream: its own Via off the top (RFC 3261 §16.7 step 3). */
    public static SipResponse withoutTopVia(SipResponse response) {
        List<Header> headers = new ArrayList<>(response.headers().size());
        boolean removed = false;
        for (Header h : response.headers()) {
            if (!removed && h.name().equals(HeaderNames.VIA)) {
                removed = true;
                List<String> values = Syntax.splitList(h.value());
                if (values.size() > 1) {
                    headers.add(new Header(HeaderNames.VIA, String.join(", ", values.subList(1, values.size()))));
                }
                continue;
            }
            headers.add(h);
        }
        return new SipResponse(response.status(), response.reason(), headers, response.body());
    }
}
