package io.telesignal.core.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses SDP text (RFC 8866 §9 grammar, as WebRTC uses it). The size limit is checked before anything else; lines
 * end with CRLF or, tolerated per RFC 8866 §5, LF. Each line is {@code <letter>=<value>}; {@code v=0} comes first,
 * then {@code o=} and {@code s=}; the session part may hold {@code i u e p c b t r z k a} lines, each media part
 * ({@code m=}) {@code i c b k a} lines. At least one {@code t=} precedes the media. Unknown line types are errors,
 * as RFC 8866 §5 allows them only in later versions.
 */
public final class SdpParser {
    /*
     * The o= and m= lines are split by hand, not with a regular expression: this runs for every relayed description,
     * and the matchers were a tenth of the parse. What they accept is what the expressions
     * (\S+) (\d{1,20}) (\d{1,20}) (\S+) (\S+) (\S+) and ([a-z]+) (\d{1,5})(/\d{1,5})? ([A-Za-z0-9/._-]+) (.+)
     * accepted; the formats are then split one by one (a regex group repeated per format overflowed the stack).
     */
    /** RFC 8866 token-char, as a lookup table (attribute names are checked on every relayed description). */
    private static final boolean[] TOKEN_CHAR = new boolean[128];

    static {
        for (char c : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+.^_`{|}~-".toCharArray()) {
            TOKEN_CHAR[c] = true;
        }
    }
    private static final String SESSION_TYPES = "iuepcbtrzka";
    private static final String MEDIA_TYPES = "icbka";
    public static final int MAX_LINES = 4096;

    private final int maxBytes;

    public SdpParser(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * The lines as offsets into the text, split at LF with a CR before it dropped (as {@code split("\r?\n", -1)} would,
     * without a regex and without a string per line: this runs for every relayed description). Refuses more than
     * {@link #MAX_LINES} as soon as it sees them. NUL and CR inside lines are found with two forward cursors, each
     * moving through the text once.
     */
    private static final class Lines {
        final String sdp;
        int[] starts;
        int[] ends;
        int size;
        private int nul;
        private int cr;

        Lines(String sdp) {
            this.sdp = sdp;
            int capacity = Math.min(MAX_LINES + 2, 16 + sdp.length() / 24);
            starts = new int[capacity];
            ends = new int[capacity];
            int start = 0;
            while (true) {
                int lf = sdp.indexOf('\n', start);
                int end = lf < 0 ? sdp.length() : lf;
                int trimmed = lf > start && sdp.charAt(lf - 1) == '\r' ? end - 1 : end;
                if (size == starts.length) {
                    starts = java.util.Arrays.copyOf(starts, size * 2);
                    ends = java.util.Arrays.copyOf(ends, size * 2);
                }
                starts[size] = start;
                ends[size] = trimmed;
                size++;
                if (size > MAX_LINES + 1) {
                    throw SdpException.invalid(MAX_LINES + 1, "more than " + MAX_LINES + " lines");
                }
                if (lf < 0) {
                    break;
                }
                start = lf + 1;
            }
            nul = sdp.indexOf(0);
            cr = sdp.indexOf('\r');
        }

        boolean empty(int i) {
            return starts[i] == ends[i];
        }

        /** Whether line {@code i} (lines are asked for in order) holds a NUL or a CR. */
        boolean holdsNulOrCr(int i) {
            int start = starts[i];
            int end = ends[i];
            if (nul >= 0 && nul < start) {
                nul = sdp.indexOf(0, start);
            }
            if (cr >= 0 && cr < start) {
                cr = sdp.indexOf('\r', start);
            }
            return nul >= 0 && nul < end || cr >= 0 && cr < end;
        }
    }

    public SessionDescription parse(String sdp) {
        if (sdp.length() > maxBytes || utf8Exceeds(sdp, maxBytes)) {
            throw SdpException.tooLarge(maxBytes);
        }
        Lines lines = new Lines(sdp);
        int count = lines.size;
        // the line end after the last line leaves an empty one; blank lines after it (CRLF CRLF, as some stacks end
        // a description) are tolerated too
        while (count > 0 && lines.empty(count - 1)) {
            count--;
        }
        if (count > MAX_LINES) {
            throw SdpException.invalid(MAX_LINES + 1, "more than " + MAX_LINES + " lines");
        }
        expect(lines, count, 0, 'v');
        if (lines.ends[0] - lines.starts[0] != 3 || sdp.charAt(lines.starts[0] + 2) != '0') {
            throw SdpException.invalid(1, "version must be 0");
        }
        expect(lines, count, 1, 'o');
        if (!origin(sdp, lines.starts[1], lines.ends[1], null)) {
            throw SdpException.invalid(2, "o= needs username, session id, version, nettype, addrtype, address");
        }
        expect(lines, count, 2, 's');
        boolean timing = false;
        int i = 3;
        for (; i < count; i++) {
            char type = lineType(lines, i);
            if (type == 'm') {
                break;
            }
            if (SESSION_TYPES.indexOf(type) < 0) {
                throw SdpException.invalid(i + 1, "'" + type + "=' is not a session-level line");
            }
            if (type == 't') {
                timing = true;
            } else if (type == 'a') {
                attribute(lines, i);
            }
        }
        if (!timing) {
            throw SdpException.invalid(i + 1, "at least one t= line is required");
        }
        List<SessionDescription.Media> media = new ArrayList<>(4);
        SessionDescription description = new SessionDescription(sdp, lines.starts, lines.ends, i,
                java.util.Collections.unmodifiableList(media));
        while (i < count) {
            int line = i;
            int[] m = media(sdp, lines.starts[line], lines.ends[line]);
            if (m == null) {
                throw SdpException.invalid(line + 1, "m= needs media, port, proto and formats");
            }
            int start = lines.starts[line];
            int port = Integer.parseInt(sdp, m[0] + 1, m[1], 10);
            if (port > 65535) {
                throw SdpException.invalid(line + 1, "port out of range");
            }
            formats(sdp, m[3] + 1, lines.ends[line], line + 1);
            for (i = line + 1; i < count; i++) {
                char type = lineType(lines, i);
                if (type == 'm') {
                    break;
                }
                if (MEDIA_TYPES.indexOf(type) < 0) {
                    throw SdpException.invalid(i + 1, "'" + type + "=' is not a media-level line");
                }
                if (type == 'a') {
                    attribute(lines, i);
                }
            }
            media.add(description.new Media(common(sdp, start + 2, m[0], MEDIA_NAMES), port,
                    common(sdp, m[2] + 1, m[3], PROTOCOLS), m[3] + 1, line, i));
        }
        return description;
    }

    private static final String[] MEDIA_NAMES = {"audio", "video", "application", "text", "message", "image"};
    private static final String[] PROTOCOLS = {"UDP/TLS/RTP/SAVPF", "RTP/AVP", "RTP/SAVP", "RTP/AVPF", "RTP/SAVPF",
        "UDP/DTLS/SCTP", "DTLS/SCTP", "TCP/DTLS/SCTP", "UDP/TLS/RTP/SAVP", "TCP/TLS/RTP/SAVPF"};

    /** The text {@code from..to}: one of {@code known} when it is one, rather than a copy. */
    private static String common(String text, int from, int to, String[] known) {
        for (String name : known) {
            if (name.length() == to - from && text.startsWith(name, from)) {
                return name;
            }
        }
        return text.substring(from, to);
    }

    /**
     * An {@code o=} line's six fields (username, session id, version, nettype, addrtype, address): separated by single
     * spaces, none empty or holding white space, the two numbers 1-20 digits; null when it is not that.
     */
    static String[] origin(String line) {
        String[] fields = new String[6];
        return origin(line, 0, line.length(), fields) ? fields : null;
    }

    /** Whether the {@code o=} line at {@code from..to} is as {@link #origin(String)} says; its fields when asked. */
    private static boolean origin(String text, int from, int to, String[] fields) {
        int start = from + 2;
        for (int f = 0; f < 6; f++) {
            int space = SessionDescription.indexOf(text, ' ', start, to);
            int end = f == 5 ? to : space;
            if (end < 0 || end == start || (f == 5 && space >= 0)) {
                return false;
            }
            for (int k = start; k < end; k++) {
                char c = text.charAt(k);
                if (c == '\t' || c == '\u000B' || c == '\f' || c == '\n' || c == '\r'
                        || ((f == 1 || f == 2) && (c < '0' || c > '9'))) {
                    return false;
                }
            }
            if ((f == 1 || f == 2) && end - start > 20) {
                return false;
            }
            if (fields != null) {
                fields[f] = text.substring(start, end);
            }
            start = end + 1;
        }
        return true;
    }

    /**
     * An {@code m=} line's media, port (without a count), proto and formats (as one string); null when it is not
     * {@code <a-z>+ <1-5 digits>[/<1-5 digits>] <proto chars>+ <anything but a line end>+}.
     */
    static String[] media(String line) {
        int[] m = media(line, 0, line.length());
        return m == null ? null : new String[] {line.substring(2, m[0]), line.substring(m[0] + 1, m[1]),
            line.substring(m[2] + 1, m[3]), line.substring(m[3] + 1)};
    }

    /**
     * The {@code m=} line at {@code from..to} as offsets: the space after the media, the end of the port's digits, the
     * space after the port, the space after the proto (the formats follow it); null when it is not as
     * {@link #media(String)} says.
     */
    private static int[] media(String text, int from, int to) {
        int space = SessionDescription.indexOf(text, ' ', from + 2, to);
        if (space <= from + 2) {
            return null;
        }
        for (int k = from + 2; k < space; k++) {
            if (text.charAt(k) < 'a' || text.charAt(k) > 'z') {
                return null;
            }
        }
        int portEnd = SessionDescription.indexOf(text, ' ', space + 1, to);
        if (portEnd < 0) {
            return null;
        }
        int slash = SessionDescription.indexOf(text, '/', space + 1, portEnd);
        int digitsEnd = slash >= 0 ? slash : portEnd;
        if (!digits(text, space + 1, digitsEnd, 5) || (slash >= 0 && !digits(text, slash + 1, portEnd, 5))) {
            return null;
        }
        int protoEnd = SessionDescription.indexOf(text, ' ', portEnd + 1, to);
        if (protoEnd <= portEnd + 1 || protoEnd + 1 >= to) {
            return null;
        }
        for (int k = portEnd + 1; k < protoEnd; k++) {
            char c = text.charAt(k);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '.'
                    || c == '_' || c == '-')) {
                return null;
            }
        }
        for (int k = protoEnd + 1; k < to; k++) {
            char c = text.charAt(k);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return null;
            }
        }
        return new int[] {space, digitsEnd, portEnd, protoEnd};
    }

    /** Whether {@code from..to} is 1 to {@code max} ASCII digits. */
    private static boolean digits(String text, int from, int to, int max) {
        if (to <= from || to - from > max) {
            return false;
        }
        for (int k = from; k < to; k++) {
            if (text.charAt(k) < '0' || text.charAt(k) > '9') {
                return false;
            }
        }
        return true;
    }

    /** RFC 8866 {@code fmt-list} at {@code from..to}: formats (tokens) separated by single spaces. */
    private static void formats(String text, int from, int to, int number) {
        for (int start = from; start <= to; ) {
            int space = SessionDescription.indexOf(text, ' ', start, to);
            int end = space < 0 ? to : space;
            if (!isToken(text, start, end)) {
                throw SdpException.invalid(number, "m= formats must be tokens separated by single spaces");
            }
            start = end + 1;
        }
    }

    /** Whether {@code text} takes more than {@code limit} bytes as UTF-8, counted without encoding it. */
    static boolean utf8Exceeds(String text, int limit) {
        if ((long) text.length() * 3 <= limit) {
            return false; // no character takes more than 3 bytes (a surrogate pair takes 4 for its 2)
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
            if (bytes > limit) {
                return true;
            }
        }
        return false;
    }

    /** Line {@code i} (of {@code count}) must be a {@code <type>=} line. */
    private static void expect(Lines lines, int count, int i, char type) {
        if (i >= count || lines.ends[i] - lines.starts[i] < 2 || lines.sdp.charAt(lines.starts[i]) != type
                || lines.sdp.charAt(lines.starts[i] + 1) != '=') {
            throw SdpException.invalid(i + 1, "expected " + type + "=");
        }
    }

    private static char lineType(Lines lines, int i) {
        String sdp = lines.sdp;
        int start = lines.starts[i];
        if (lines.ends[i] - start < 2 || sdp.charAt(start + 1) != '=' || sdp.charAt(start) < 'a' || sdp.charAt(start) > 'z') {
            throw SdpException.invalid(i + 1, "not a <letter>=<value> line");
        }
        if (lines.holdsNulOrCr(i)) {
            throw SdpException.invalid(i + 1, "NUL or CR inside a line");
        }
        return sdp.charAt(start);
    }

    /** Whether {@code from..to} is an RFC 8866 token: one or more token-chars. */
    private static boolean isToken(String text, int from, int to) {
        if (to <= from) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= 128 || !TOKEN_CHAR[c]) {
                return false;
            }
        }
        return true;
    }

    /** Checks attribute line {@code i}: its name, up to the first colon or the line's end, is a token. */
    private static void attribute(Lines lines, int i) {
        String sdp = lines.sdp;
        int from = lines.starts[i] + 2;
        int lineEnd = lines.ends[i];
        int k = from;
        for (; k < lineEnd; k++) { // one pass over the name only: token-chars hold no colon
            char c = sdp.charAt(k);
            if (c >= 128 || !TOKEN_CHAR[c]) {
                if (c == ':') {
                    break;
                }
                throw SdpException.invalid(i + 1, "attribute name must be a token");
            }
        }
        if (k == from) {
            throw SdpException.invalid(i + 1, "attribute name must be a token");
        }
    }
}
