package io.telesignal.core.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A parsed SDP session description (RFC 8866 §5), immutable. It is kept as the checked text and the offsets of its
 * lines, not as objects per line: every relayed offer and answer is parsed, and what the checks read (each section's
 * type, port, protocol, codecs and direction) is read from the text. The origin, the session name, the formats and the
 * attributes are made into objects only when asked for.
 */
public final class SessionDescription {
    private final String text;
    private final int[] starts;
    private final int[] ends;
    /** The index of the first {@code m=} line, or the number of lines when there is none. */
    private final int firstMedia;
    private final List<Media> media;

    /** Made by {@link SdpParser} from lines it checked; {@code media} is filled by the parser before it returns. */
    SessionDescription(String text, int[] starts, int[] ends, int firstMedia, List<Media> media) {
        this.text = text;
        this.starts = starts;
        this.ends = ends;
        this.firstMedia = firstMedia;
        this.media = media;
    }

    /** RFC 8866 §5.1: always 0. */
    public int version() {
        return 0;
    }

    /** RFC 8866 §5.2 {@code o=}. */
    public Origin origin() {
        String[] f = SdpParser.origin(text.substring(starts[1], ends[1]));
        return new Origin(f[0], f[1], f[2], f[3], f[4], f[5]);
    }

    /** RFC 8866 §5.3 {@code s=}. */
    public String sessionName() {
        return text.substring(starts[2] + 2, ends[2]);
    }

    /** The session-level attributes, in order. */
    public List<Attribute> attributes() {
        return attributes(3, firstMedia);
    }

    public List<Media> media() {
        return media;
    }

    /** The session-level direction attribute, or {@code fallback} when there is none. */
    String direction(String fallback) {
        return direction(3, firstMedia, fallback);
    }

    private List<Attribute> attributes(int from, int to) {
        List<Attribute> attributes = new ArrayList<>();
        for (int i = from; i < to; i++) {
            int start = starts[i];
            if (text.charAt(start) != 'a') {
                continue;
            }
            int colon = indexOf(text, ':', start + 2, ends[i]);
            int end = colon < 0 ? ends[i] : colon;
            attributes.add(new Attribute(text.substring(start + 2, end),
                    end == ends[i] ? Optional.empty() : Optional.of(text.substring(end + 1, ends[i]))));
        }
        return List.copyOf(attributes);
    }

    private static final String[] DIRECTIONS = {"sendrecv", "sendonly", "recvonly", "inactive"};

    /** The first value-less direction attribute among lines {@code from..to}, or {@code fallback}. */
    private String direction(int from, int to, String fallback) {
        for (int i = from; i < to; i++) {
            int start = starts[i];
            if (ends[i] - start != 10 || text.charAt(start) != 'a') { // "a=" and eight letters, all four alike
                continue;
            }
            for (String direction : DIRECTIONS) {
                if (text.startsWith(direction, start + 2)) {
                    return direction;
                }
            }
        }
        return fallback;
    }

    /**
     * The first {@code c} in {@code text} from {@code from} and before {@code to}, or -1. Bounded by {@code to}, unlike
     * {@link String#indexOf(int, int)}: a line is never searched past its end, so that a description of many lines
     * without the character costs its length, not its length times its lines.
     */
    static int indexOf(String text, char c, int from, int to) {
        for (int k = from; k < to; k++) {
            if (text.charAt(k) == c) {
                return k;
            }
        }
        return -1;
    }

    /** RFC 8866 §5.2 {@code o=}. */
    public record Origin(String username, String sessionId, String sessionVersion, String netType, String addrType,
            String address) {}

    /** {@code a=name} or {@code a=name:value}. */
    public record Attribute(String name, Optional<String> value) {}

    /** RFC 3551 tables 4 and 5: the static RTP payload types 0-34 and their encoding names (lower case), by number. */
    private static final String[] STATIC_PAYLOAD_TYPES = new String[35];

    static {
        String[] table = {"0", "pcmu", "3", "gsm", "4", "g723", "5", "dvi4", "6", "dvi4", "7", "lpc", "8", "pcma",
            "9", "g722", "10", "l16", "11", "l16", "12", "qcelp", "13", "cn", "14", "mpa", "15", "g728", "16", "dvi4",
            "17", "dvi4", "18", "g729", "25", "celb", "26", "jpeg", "28", "nv", "31", "h261", "32", "mpv",
            "33", "mp2t", "34", "h263"};
        for (int i = 0; i < table.length; i += 2) {
            STATIC_PAYLOAD_TYPES[Integer.parseInt(table[i])] = table[i + 1];
        }
    }

    /** Encoding names browsers and phones send, lower case: taken from here rather than copied from each description. */
    private static final String[] COMMON_CODECS = {"opus", "red", "g722", "pcmu", "pcma", "cn", "telephone-event",
        "vp8", "vp9", "rtx", "h264", "h265", "av1", "ulpfec", "flexfec-03", "g729", "ilbc", "isac"};

    /** RFC 3551 static payload type name of format {@code from..to} ("0" to "34", no leading zero), or null. */
    private String staticPayloadType(int from, int to) {
        int length = to - from;
        if (length < 1 || length > 2 || (length == 2 && text.charAt(from) == '0')) {
            return null;
        }
        int value = 0;
        for (int k = from; k < to; k++) {
            char c = text.charAt(k);
            if (c < '0' || c > '9') {
                return null;
            }
            value = value * 10 + (c - '0');
        }
        return value < STATIC_PAYLOAD_TYPES.length ? STATIC_PAYLOAD_TYPES[value] : null;
    }

    /**
     * The text {@code from..to} as a number equal for equal texts only, or -1: up to seven characters up to U+00FF,
     * a byte each, below their count (payload types are compared as these, not character by character).
     */
    private long key(int from, int to) {
        if (to - from > 7) {
            return -1;
        }
        long key = to - from;
        for (int k = from; k < to; k++) {
            char c = text.charAt(k);
            if (c > 0xFF) {
                return -1;
            }
            key = key << 8 | c;
        }
        return key;
    }

    /** Whether the texts at {@code from..to} and {@code otherFrom..otherTo} are equal. */
    private boolean equal(int from, int to, int otherFrom, int otherTo) {
        return to - from == otherTo - otherFrom && text.regionMatches(from, text, otherFrom, to - from);
    }

    /** The encoding name at {@code from..to}, lower case. */
    private String codecName(int from, int to) {
        for (String common : COMMON_CODECS) {
            if (common.length() == to - from && asciiEqualsIgnoreCase(common, from)) {
                return common;
            }
        }
        return text.substring(from, to).toLowerCase(Locale.ROOT);
    }

    /** Whether the text at {@code from} is {@code lower} (ASCII lower case) in any ASCII case. */
    private boolean asciiEqualsIgnoreCase(String lower, int from) {
        for (int k = 0; k < lower.length(); k++) {
            char c = text.charAt(from + k);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + ('a' - 'A'));
            }
            if (c != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** One {@code m=} section: media type, port, protocol, formats, and its attributes. */
    public final class Media {
        private final String type;
        private final int port;
        private final String protocol;
        private final int formatsStart;
        /** Its {@code m=} line, and the line after its last. */
        private final int line;
        private final int end;
        /**
         * Its codecs, read from the text once: the codec policy and the offer/answer check both ask. Immutable, so a
         * thread that reads it while another sets it sees either nothing (and reads the text itself) or the whole list.
         */
        private List<String> codecs;

        Media(String type, int port, String protocol, int formatsStart, int line, int end) {
            this.type = type;
            this.port = port;
            this.protocol = protocol;
            this.formatsStart = formatsStart;
            this.line = line;
            this.end = end;
        }

        public String type() {
            return type;
        }

        public int port() {
            return port;
        }

        public String protocol() {
            return protocol;
        }

        /** The formats of its {@code m=} line, in order (payload types for RTP). */
        public List<String> formats() {
            List<String> formats = new ArrayList<>();
            int lineEnd = ends[line];
            for (int start = formatsStart; start <= lineEnd; ) {
                int space = indexOf(text, ' ', start, lineEnd);
                int formatEnd = space < 0 ? lineEnd : space;
                formats.add(text.substring(start, formatEnd));
                start = formatEnd + 1;
            }
            return List.copyOf(formats);
        }

        /** Its attributes, in order. */
        public List<Attribute> attributes() {
            return SessionDescription.this.attributes(line + 1, end);
        }

        /** Whether it carries RTP (its protocol names an RTP profile). */
        public boolean rtp() {
            return protocol.contains("RTP/");
        }

        /** Its direction attribute, or {@code fallback} (the session's, RFC 8866 §6.7) when it has none. */
        String direction(String fallback) {
            return SessionDescription.this.direction(line + 1, end, fallback);
        }

        /**
         * The codecs offered, lower case, in the order of the formats: each format's {@code a=rtpmap:<pt> <name>/<rate>}
         * name (the first rtpmap for that payload type), or, for an RTP profile's static payload type with no rtpmap,
         * its RFC 3551 name ({@code m=audio … 0} is PCMU). A dynamic payload type with no rtpmap names nothing.
         */
        public List<String> codecs() {
            List<String> read = codecs;
            if (read == null) {
                read = codecs = readCodecs();
            }
            return read;
        }

        private List<String> readCodecs() {
            // the rtpmap lines: payload type as a key, and as offsets with the name's, four longs each
            long[] maps = new long[32];
            int mapped = 0;
            for (int i = line + 1; i < end; i++) {
                int start = starts[i];
                int lineEnd = ends[i];
                if (lineEnd - start < 9 || !text.startsWith("a=rtpmap:", start)) {
                    continue;
                }
                int space = indexOf(text, ' ', start + 9, lineEnd);
                if (space <= start + 9) {
                    continue;
                }
                int slash = indexOf(text, '/', space + 1, lineEnd);
                if (mapped + 4 > maps.length) {
                    maps = java.util.Arrays.copyOf(maps, maps.length * 2);
                }
                maps[mapped++] = key(start + 9, space);
                maps[mapped++] = (long) (start + 9) << 32 | space;
                maps[mapped++] = space + 1;
                maps[mapped++] = slash < 0 ? lineEnd : slash;
            }
            boolean rtp = rtp();
            List<String> names = new ArrayList<>();
            int lineEnd = ends[line];
            for (int start = formatsStart; start <= lineEnd; ) {
                int space = indexOf(text, ' ', start, lineEnd);
                int formatEnd = space < 0 ? lineEnd : space;
                long key = key(start, formatEnd);
                String name = null;
                for (int m = 0; m < mapped && name == null; m += 4) {
                    if (key >= 0 ? maps[m] == key : maps[m] < 0 && equal((int) (maps[m + 1] >>> 32),
                            (int) maps[m + 1], start, formatEnd)) {
                        name = codecName((int) maps[m + 2], (int) maps[m + 3]);
                    }
                }
                if (name == null && rtp) {
                    name = staticPayloadType(start, formatEnd);
                }
                if (name != null) {
                    names.add(name);
                }
                start = formatEnd + 1;
            }
            return List.copyOf(names);
        }

        /** RFC 3264 §6: port 0 rejects the stream. */
        public boolean rejected() {
            return port == 0;
        }
    }
}
