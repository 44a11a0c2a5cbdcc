package io.telesignal.core.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

        String text(int i) {
            return sdp.substring(starts[i], ends[i]);
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
        String first = count == 0 ? "" : lines.text(0);
        expect(first, 'v', 1);
        if (!first.equals("v=0")) {
            throw SdpException.invalid(1, "version must be 0");
        }
        String second = count < 2 ? "" : lines.text(1);
        expect(second, 'o', 2);
        String[] origin = origin(second);
        if (origin == null) {
            throw SdpException.invalid(2, "o= needs username, session id, version, nettype, addrtype, address");
        }
        String third = count < 3 ? "" : lines.text(2);
        expect(third, 's', 3);
        List<SessionDescription.Attribute> sessionAttributes = new ArrayList<>();
        List<SessionDescription.Media> media = new ArrayList<>();
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
                sessionAttributes.add(attribute(lines, i));
            }
        }
        if (!timing) {
            throw SdpException.invalid(i + 1, "at least one t= line is required");
        }
        while (i < count) {
            String[] m = media(lines.text(i));
            if (m == null) {
                throw SdpException.invalid(i + 1, "m= needs media, port, proto and formats");
            }
            int port = Integer.parseInt(m[1]);
            if (port > 65535) {
                throw SdpException.invalid(i + 1, "port out of range");
            }
            List<String> formats = formats(m[3], i + 1);
            List<SessionDescription.Attribute> attributes = new ArrayList<>(32);
            int start = i;
            for (i = i + 1; i < count; i++) {
                char type = lineType(lines, i);
                if (type == 'm') {
                    break;
                }
                if (MEDIA_TYPES.indexOf(type) < 0) {
                    throw SdpException.invalid(i + 1, "'" + type + "=' is not a media-level line");
                }
                if (type == 'a') {
                    attributes.add(attribute(lines, i));
                }
            }
            media.add(new SessionDescription.Media(m[0], port, m[2], formats, attributes));
            if (start == i) {
                break;
            }
        }
        return new SessionDescription(0, new SessionDescription.Origin(origin[0], origin[1],
                origin[2], origin[3], origin[4], origin[5]), third.substring(2),
                sessionAttributes, media);
    }

    /**
     * An {@code o=} line's six fields (username, session id, version, nettype, addrtype, address): separated by single
     * spaces, none empty or holding white space, the two numbers 1-20 digits; null when it is not that.
     */
    static String[] origin(String line) {
        String[] fields = new String[6];
        int start = 2;
        for (int f = 0; f < 6; f++) {
            int space = line.indexOf(' ', start);
            int end = f == 5 ? line.length() : space;
            if (end < 0 || end == start || (f == 5 && space >= 0)) {
                return null;
            }
            for (int k = start; k < end; k++) {
                char c = line.charAt(k);
                if (c == '\t' || c == '\u000B' || c == '\f' || c == '\n' || c == '\r'
                        || ((f == 1 || f == 2) && (c < '0' || c > '9'))) {
                    return null;
                }
            }
            if ((f == 1 || f == 2) && end - start > 20) {
                return null;
            }
            fields[f] = line.substring(start, end);
            start = end + 1;
        }
        return fields;
    }

    /**
     * An {@code m=} line's media, port (without a count), proto and formats (as one string); null when it is not
     * {@code <a-z>+ <1-5 digits>[/<1-5 digits>] <proto chars>+ <anything but a line end>+}.
     */
    static String[] media(String line) {
        int space = line.indexOf(' ', 2);
        if (space <= 2) {
            return null;
        }
        for (int k = 2; k < space; k++) {
            if (line.charAt(k) < 'a' || line.charAt(k) > 'z') {
                return null;
            }
        }
        int portEnd = line.indexOf(' ', space + 1);
        if (portEnd < 0) {
            return null;
        }
        int slash = line.indexOf('/', space + 1);
        int digitsEnd = slash >= 0 && slash < portEnd ? slash : portEnd;
        if (!digits(line, space + 1, digitsEnd, 5) || (digitsEnd == slash && !digits(line, slash + 1, portEnd, 5))) {
            return null;
        }
        int protoEnd = line.indexOf(' ', portEnd + 1);
        if (protoEnd <= portEnd + 1 || protoEnd + 1 >= line.length()) {
            return null;
        }
        for (int k = portEnd + 1; k < protoEnd; k++) {
            char c = line.charAt(k);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '.'
                    || c == '_' || c == '-')) {
                return null;
            }
        }
        for (int k = protoEnd + 1; k < line.length(); k++) {
            char c = line.charAt(k);
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return null;
            }
        }
        return new String[] {line.substring(2, space), line.substring(space + 1, digitsEnd),
            line.substring(portEnd + 1, protoEnd), line.substring(protoEnd + 1)};
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

    /** RFC 8866 {@code fmt-list}: formats (tokens) separated by single spaces. */
    private static List<String> formats(String text, int number) {
        List<String> formats = new ArrayList<>();
        int start = 0;
        while (start <= text.length()) {
            int space = text.indexOf(' ', start);
            int end = space < 0 ? text.length() : space;
            String format = text.substring(start, end);
            if (!isToken(format)) {
                throw SdpException.invalid(number, "m= formats must be tokens separated by single spaces");
            }
            formats.add(format);
            if (space < 0) {
                return formats;
            }
            start = space + 1;
        }
        throw SdpException.invalid(number, "m= formats must be tokens separated by single spaces");
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

    private static void expect(String line, char type, int number) {
        if (line.length() < 2 || line.charAt(0) != type || line.charAt(1) != '=') {
            throw SdpException.invalid(number, "expected " + type + "=");
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

    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 128 || !TOKEN_CHAR[c]) {
                return false;
            }
        }
        return true;
    }

    /** Attribute names WebRTC sends in every description, by first letter: taken from here, not copied anew. */
    private static final String[][] COMMON_NAMES = new String[26][];

    static {
        String[] names = {"rtpmap", "fmtp", "rtcp-fb", "extmap", "ssrc", "ssrc-group", "mid", "msid", "ice-ufrag",
            "ice-pwd", "ice-options", "fingerprint", "setup", "rtcp", "rtcp-mux", "rtcp-rsize", "sendrecv", "sendonly",
            "recvonly", "inactive", "group", "msid-semantic", "candidate", "end-of-candidates", "extmap-allow-mixed"};
        for (char c = 'a'; c <= 'z'; c++) {
            final char first = c;
            COMMON_NAMES[c - 'a'] = java.util.Arrays.stream(names).filter(n -> n.charAt(0) == first).toArray(String[]::new);
        }
    }

    private static SessionDescription.Attribute attribute(Lines lines, int i) {
        String sdp = lines.sdp;
        int from = lines.starts[i] + 2;
        int lineEnd = lines.ends[i];
        int colon = -1;
        for (int k = from; k < lineEnd; k++) { // bounded by the line: no scan into the lines after it
            if (sdp.charAt(k) == ':') {
                colon = k;
                break;
            }
        }
        int end = colon < 0 ? lineEnd : colon;
        String name = null;
        char first = end > from ? sdp.charAt(from) : 0;
        if (first >= 'a' && first <= 'z') {
            for (String common : COMMON_NAMES[first - 'a']) {
                if (common.length() == end - from && sdp.startsWith(common, from)) {
                    name = common;
                    break;
                }
            }
        }
        if (name == null) {
            name = sdp.substring(from, end);
            if (!isToken(name)) {
                throw SdpException.invalid(i + 1, "attribute name must be a token");
            }
        }
        return new SessionDescription.Attribute(name, colon < 0 ? Optional.empty() : Optional.of(sdp.substring(colon + 1, lineEnd)));
    }
}
