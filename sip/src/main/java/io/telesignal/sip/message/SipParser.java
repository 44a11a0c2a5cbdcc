package io.telesignal.sip.message;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses SIP messages following the RFC 3261 grammar (§7, §25): CRLFs before the start line are skipped (§7.5),
 * folded header lines are joined (§7.3.1), header names may be compact and in any case, whitespace may surround the
 * colon, a comma list may come in one field or several. The head must be UTF-8.
 *
 * <p>A message is refused ({@link SipParseException}) when it is larger than the limit (513), speaks another SIP
 * version (505), or breaks the grammar or the rules every message must follow (400): a request line with other than
 * single spaces, a Request-URI with whitespace or a bad escape, a missing Via, From, To, Call-ID or CSeq, a CSeq
 * whose method is not the request's, a header that may appear once appearing twice with different values, a
 * Content-Length larger than the body, a value that does not parse. Unknown headers are kept as they are.
 *
 * <p>On a stream (TCP, TLS) the framer gives the parser the head and exactly the body its Content-Length names; a
 * datagram (UDP, a WebSocket message) is parsed whole, and bytes past the Content-Length are dropped (§18.3).
 */
public final class SipParser {
    private static final Set<String> SINGLE = Set.of(HeaderNames.FROM, HeaderNames.TO, HeaderNames.CALL_ID,
            HeaderNames.CSEQ, HeaderNames.MAX_FORWARDS, HeaderNames.CONTENT_LENGTH, HeaderNames.CONTENT_TYPE,
            HeaderNames.EXPIRES);

    private final SipLimits limits;

    public SipParser(SipLimits limits) {
        this.limits = limits;
    }

    public SipLimits limits() {
        return limits;
    }

    /** A whole message as one datagram or WebSocket message. */
    public SipMessage parseDatagram(byte[] data) {
        return parse(data, 0, data.length, true);
    }

    /** {@code length} bytes from {@code offset}: a datagram, or a stream frame the framer cut to its Content-Length. */
    public SipMessage parse(byte[] data, int offset, int length, boolean datagram) {
        if (length > limits.maxMessageBytes()) {
            throw new SipParseException(513, "Message Too Large");
        }
        int start = offset;
        int end = offset + length;
        while (start < end && (data[start] == '\r' || data[start] == '\n')) {
            start++;
        }
        int headEnd = headerEnd(data, start, end);
        if (headEnd < 0) {
            throw SipParseException.malformed("no blank line after the headers");
        }
        String head = utf8(data, start, headEnd - start);
        List<String> lines = unfold(head);
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
            throw SipParseException.malformed("no start line");
        }
        List<Header> headers = headers(lines);
        byte[] body = body(data, headEnd, end, headers, datagram);
        String startLine = lines.get(0);
        SipMessage message = startLine.regionMatches(true, 0, "SIP/", 0, 4)
                ? response(startLine, headers, body) : request(startLine, headers, body);
        check(message);
        return message;
    }

    /** The index after the blank line that ends the head (CRLF CRLF, or LF LF), or -1. */
    public static int headerEnd(byte[] data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data[i] == '\n') {
                if (i + 1 < to && data[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < to && data[i + 1] == '\r' && data[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    private static String utf8(byte[] data, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw SipParseException.malformed("the head is not UTF-8");
        }
    }

    /** Lines of the head with folding undone: a line starting with whitespace continues the one before. */
    private static List<String> unfold(String head) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = null;
        int i = 0;
        while (i < head.length()) {
            int nl = head.indexOf('\n', i);
            int lineEnd = nl < 0 ? head.length() : nl;
            String line = head.substring(i, lineEnd > i && head.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd);
            i = nl < 0 ? head.length() : nl + 1;
            if (line.isEmpty()) {
                continue; // the blank line that ends the head
            }
            if (line.indexOf('\r') >= 0) {
                throw SipParseException.malformed("a bare CR in the head");
            }
            if (Syntax.isWhitespace(line.charAt(0))) {
                if (current == null || lines.isEmpty()) {
                    throw SipParseException.malformed("the start line begins with whitespace");
                }
                current.append(' ').append(line.strip());
                lines.set(lines.size() - 1, current.toString());
            } else {
                current = new StringBuilder(line);
                lines.add(line);
            }
        }
        return lines;
    }

    private List<Header> headers(List<String> lines) {
        if (lines.size() - 1 > limits.maxHeaders()) {
            throw SipParseException.malformed("more than " + limits.maxHeaders() + " header fields");
        }
        List<Header> headers = new ArrayList<>(lines.size() - 1);
        for (int n = 1; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.length() > limits.maxHeaderBytes()) {
                throw SipParseException.malformed("a header field longer than " + limits.maxHeaderBytes() + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw SipParseException.malformed("a header line without a name and a colon");
            }
            String name = line.substring(0, colon).stripTrailing();
            if (!Syntax.isToken(name)) {
                throw SipParseException.malformed("a header name that is not a token");
            }
            headers.add(new Header(HeaderNames.canonical(name), line.substring(colon + 1).strip()));
        }
        return headers;
    }

    private static byte[] body(byte[] data, int headEnd, int end, List<Header> headers, boolean datagram) {
        String length = null;
        for (Header h : headers) {
            if (h.name().equals(HeaderNames.CONTENT_LENGTH)) {
                if (length != null && !length.equals(h.value())) {
                    throw SipParseException.malformed("Content-Length given twice with different values");
                }
                length = h.value();
            }
        }
        int available = end - headEnd;
        if (length == null) {
            if (!datagram && available > 0) {
                throw SipParseException.malformed("a message on a stream needs Content-Length");
            }
            return Arrays.copyOfRange(data, headEnd, end);
        }
        if (length.isEmpty() || length.length() > 9 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw SipParseException.malformed("Content-Length is not a number");
        }
        int declared = Integer.parseInt(length);
        if (declared > available) {
            throw SipParseException.malformed("Content-Length larger than the body");
        }
        return Arrays.copyOfRange(data, headEnd, headEnd + declared);
    }

    private static SipRequest request(String line, List<Header> headers, byte[] body) {
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw SipParseException.malformed("the request line is not method, URI and version with single spaces");
        }
        if (!Syntax.isToken(parts[0])) {
            throw SipParseException.malformed("the method is not a token");
        }
        version(parts[2]);
        String uri = parts[1];
        int colon = uri.indexOf(':');
        if (colon <= 0 || uri.indexOf('\t') >= 0) {
            throw SipParseException.malformed("the Request-URI is not an absolute URI");
        }
        String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        if (scheme.equals("sip") || scheme.equals("sips")) {
            if (SipUri.parse(uri).headers().isPresent()) {
                // RFC 3261 §19.1.1: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11)
                throw SipParseException.malformed("the Request-URI has headers");
            }
        } else if (!scheme.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.')) {
            throw SipParseException.malformed("the Request-URI's scheme is not a scheme");
        }
        return new SipRequest(parts[0], uri, headers, body);
    }

    private static SipResponse response(String line, List<Header> headers, byte[] body) {
        int space = line.indexOf(' ');
        if (space < 0) {
            throw SipParseException.malformed("the status line has no status code");
        }
        version(line.substring(0, space));
        String rest = line.substring(space + 1);
        if (rest.length() < 3 || !rest.substring(0, 3).chars().allMatch(c -> c >= '0' && c <= '9')
                || (rest.length() > 3 && rest.charAt(3) != ' ')) {
            throw SipParseException.malformed("the status code is not three digits");
        }
        int status = Integer.parseInt(rest.substring(0, 3));
        if (status < 100 || status > 699) {
            throw SipParseException.malformed("the status code is not 100-699");
        }
        return new SipResponse(status, rest.length() > 4 ? rest.substring(4) : "", headers, body);
    }

    /** {@code SIP/2.0}, the literal case-insensitively (RFC 5234 §2.3); another SIP version is 505. */
    private static void version(String text) {
        if (text.equalsIgnoreCase("SIP/2.0")) {
            return;
        }
        int slash = text.indexOf('/');
        if (slash == 3 && text.regionMatches(true, 0, "SIP", 0, 3)) {
            String v = text.substring(4);
            int dot = v.indexOf('.');
            if (dot > 0 && dot < v.length() - 1 && v.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
                throw new SipParseException(505, "Version Not Supported");
            }
        }
        throw SipParseException.malformed("the SIP version is not SIP/2.0");
    }

    /** The rules every message must follow, checked at once so that nothing later meets a bad value. */
    private static void check(SipMessage message) {
        for (String single : SINGLE) {
            List<String> values = new ArrayList<>();
            for (Header h : message.headers()) {
                if (h.name().equals(single)) {
                    values.add(h.value());
                }
            }
            if (values.size() > 1 && values.stream().distinct().count() > 1) {
                throw SipParseException.malformed(single + " may appear once");
            }
        }
        List<Via> vias = message.vias();
        if (vias.isEmpty()) {
            throw SipParseException.malformed("missing Via");
        }
        message.from();
        message.to();
        if (message.callId().isEmpty()) {
            throw SipParseException.malformed("empty Call-ID");
        }
        CSeq cseq = message.cseq();
        message.maxForwards();
        message.contacts();
        if (message instanceof SipRequest request && !cseq.method().equals(request.method())) {
            throw SipParseException.malformed("the CSeq method is not the request's");
        }
    }
}
