package io.telesignal.signaling.protocol;

import java.util.Optional;

/**
 * Reads a well-formed {@code signal} straight from its text, without databind or a token stream: the message every
 * call sends most. It takes only the plain case and declines (answers null) everything else, which
 * {@link ProtocolCodec#decode} then reads through Jackson as before, so every error, and every message of another type,
 * comes from the one strict path. Declined: any other type, an unknown, duplicate or null field, a value of another
 * JSON type, a {@code \}{@code u} escape, a raw control character, a number that is not a plain non-negative integer,
 * a string past the codec's length limit, anything after the object, and a value the message's records refuse. What it
 * accepts it accepts with the same meaning as the strict path ({@code SignalReaderTest} compares the two on mutated
 * messages); the SDP keeps its literal in every field order.
 */
final class SignalReader {
    /** Jackson's {@code maxStringLength} in the codec. */
    private static final int MAX_STRING = 128 * 1024;
    /** The kinds of object a signal has: itself and its three payloads. */
    private static final int SIGNAL = 0, DESCRIPTION = 1, CANDIDATE = 2, HANGUP = 3;

    private final String text;
    /**
     * The text one byte per character, what it scans: a character past U+00FF is {@code ?} here, never one of JSON's
     * structural characters, and strings are cut from {@link #text} at the same offsets. A plain array scans several
     * times faster than {@code String.charAt}, and for text without such characters it is one block copy.
     */
    private final byte[] bytes;
    private int at;
    /** Where the escapes of the string being read are (grown for a long one: a description has two a line). */
    private int[] escapeAt = new int[16];
    /** Where the field name {@link #key} read starts and ends. */
    private int keyStart;
    private int keyEnd;
    // what was read so far (null or false: not yet; a field given twice is declined)
    private boolean typed;
    private String id;
    private String consultation;
    private String to;
    private boolean described;
    private String descriptionType;
    private JsonString sdp;
    private boolean candidated;
    private String candidate;
    private String sdpMid;
    private Integer sdpMLineIndex;
    private String usernameFragment;
    private Boolean restart;
    private boolean hungUp;
    private String reason;
    private Long ack;

    private SignalReader(String text) {
        this.text = text;
        byte[] latin1 = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        if (latin1.length != text.length()) {
            // a character past U+FFFF (two chars) is one '?' to the encoder: one byte per char, by hand
            latin1 = new byte[text.length()];
            for (int i = 0; i < latin1.length; i++) {
                char c = text.charAt(i);
                latin1[i] = c <= 0xFF ? (byte) c : (byte) '?';
            }
        }
        this.bytes = latin1;
    }

    /** The character at {@code i} as scanned (past U+00FF: {@code ?}). */
    private char at(int i) {
        return (char) (bytes[i] & 0xFF);
    }

    /** The message, or null when it is not a plain signal (read it the strict way). */
    static Decoded read(String text) {
        try {
            return new SignalReader(text).message();
        } catch (Decline | InvalidFieldException | IndexOutOfBoundsException notPlain) {
            return null;
        }
    }

    private Decoded message() {
        space();
        object(SIGNAL);
        space();
        if (at != bytes.length || !typed) {
            throw Decline.INSTANCE;
        }
        return Decoded.of(new ClientMessage.Signal(id, consultation, to,
                described ? new ClientMessage.Description(descriptionType, sdp) : null,
                candidated ? new ClientMessage.Candidate(candidate, sdpMid, sdpMLineIndex, usernameFragment) : null,
                restart, hungUp ? new ClientMessage.Hangup(reason) : null), Optional.ofNullable(ack));
    }

    /** A JSON object of this kind, each field's value read by {@link #field}; what follows it next. */
    private void object(int kind) {
        expect('{');
        space();
        if (peek() != '}') {
            do {
                space();
                key();
                field(kind);
                space();
            } while (comma());
        }
        expect('}');
    }

    /** The value of the field {@link #key} just read, in an object of this kind; an unknown or repeated field declines. */
    private void field(int kind) {
        switch (kind) {
            case SIGNAL -> signalField();
            case DESCRIPTION -> {
                if (is("type") && descriptionType == null) {
                    descriptionType = string();
                } else if (is("sdp") && sdp == null) {
                    int from = at;
                    String value = string();
                    sdp = JsonString.relayed(value, text.substring(from, at));
                } else {
                    throw Decline.INSTANCE;
                }
            }
            case CANDIDATE -> {
                if (is("candidate") && candidate == null) {
                    candidate = string();
                } else if (is("sdpMid") && sdpMid == null) {
                    sdpMid = string();
                } else if (is("sdpMLineIndex") && sdpMLineIndex == null) {
                    sdpMLineIndex = (int) number(Integer.MAX_VALUE / 10);
                } else if (is("usernameFragment") && usernameFragment == null) {
                    usernameFragment = string();
                } else {
                    throw Decline.INSTANCE;
                }
            }
            default -> {
                if (is("reason") && reason == null) {
                    reason = string();
                } else {
                    throw Decline.INSTANCE;
                }
            }
        }
    }

    private void signalField() {
        if (is("type") && !typed) {
            typed = true;
            if (!string().equals("signal")) {
                throw Decline.INSTANCE;
            }
        } else if (is("id") && id == null) {
            id = string();
        } else if (is("consultation") && consultation == null) {
            consultation = string();
        } else if (is("to") && to == null) {
            to = string();
        } else if (is("description") && !described) {
            described = true;
            object(DESCRIPTION);
        } else if (is("candidate") && !candidated) {
            candidated = true;
            object(CANDIDATE);
        } else if (is("restart") && restart == null) {
            restart = bool();
        } else if (is("hangup") && !hungUp) {
            hungUp = true;
            object(HANGUP);
        } else if (is("ack") && ack == null) {
            ack = number(Long.MAX_VALUE / 10);
        } else {
            throw Decline.INSTANCE;
        }
    }

    /** A field name and its colon, read without making a string of it; the value's first character next. */
    private void key() {
        expect('"');
        int start = at;
        char c;
        while ((c = at(at)) != '"') {
            if (c == '\\' || c < 0x20) {
                throw Decline.INSTANCE; // an escaped name: the strict path
            }
            at++;
        }
        keyStart = start;
        keyEnd = at++;
        space();
        expect(':');
        space();
    }

    /** Whether the field name just read is {@code name}. */
    private boolean is(String name) {
        return keyEnd - keyStart == name.length() && text.startsWith(name, keyStart);
    }

    /**
     * A string value, unescaped; declines a {@code \}{@code u} escape and raw control characters. Its end and its
     * escapes are found with {@code String.indexOf}, control characters eight bytes at a time, and an escaped value
     * is copied between the escapes found, in blocks (a session description has two escapes a line): a
     * character-by-character loop took 0.8 ns a character, more than Jackson.
     */
    private String string() {
        expect('"');
        int start = at;
        // the closing quote and each escape found with String.indexOf (vectorized); a quote found escaped is looked
        // for again after its escape
        byte[] bytes = this.bytes;
        int quote = text.indexOf('"', start);
        int slash = text.indexOf('\\', start);
        int escapes = 0;
        int[] escapeAt = this.escapeAt; // where each escape is, for the copy below not to look for them again
        while (slash >= 0 && slash < quote) {
            unescape(at(slash + 1));
            if (escapes == escapeAt.length) {
                escapeAt = this.escapeAt = java.util.Arrays.copyOf(escapeAt, escapes * 2);
            }
            escapeAt[escapes++] = slash;
            int next = slash + 2;
            if (next > quote) {
                quote = text.indexOf('"', next);
            }
            // an escape right after an escape (\r\n, a line end in a description) is not looked for
            slash = next < bytes.length && bytes[next] == '\\' ? next : text.indexOf('\\', next);
        }
        if (quote < 0) {
            throw Decline.INSTANCE;
        }
        int end = quote;
        at = end + 1;
        // no raw control character (U+0000-U+001F), and how many ? (one may stand for a character past U+00FF)
        int questions = controlsAndQuestions(bytes, start, end);
        if (questions < 0) {
            throw Decline.INSTANCE;
        }
        int size = end - start - escapes;
        if (size > MAX_STRING) {
            throw Decline.INSTANCE;
        }
        if (escapes == 0) {
            return text.substring(start, end);
        }
        if (questions == 0 || questions == count(text, '?', start, end)) {
            // every character is the byte scanned (none past U+00FF): the value is put together as Latin-1 bytes
            byte[] out = new byte[size];
            int written = 0;
            int from = start;
            for (int e = 0; e < escapes; e++) {
                int escape = escapeAt[e];
                System.arraycopy(bytes, from, out, written, escape - from);
                written += escape - from;
                out[written++] = (byte) unescape(at(escape + 1));
                from = escape + 2;
            }
            System.arraycopy(bytes, from, out, written, end - from);
            return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        char[] out = new char[size];
        int written = 0;
        int from = start;
        for (int e = 0; e < escapes; e++) {
            int escape = escapeAt[e];
            text.getChars(from, escape, out, written);
            written += escape - from;
            out[written++] = unescape(at(escape + 1));
            from = escape + 2;
        }
        text.getChars(from, end, out, written);
        return new String(out);
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * The number of {@code ?} in {@code bytes[from..to)}, or -1 when a byte there is below 0x20 (a raw control
     * character). Eight bytes at a time: {@code (v - 0x20…) & ~v & 0x80…} is non-zero exactly when a byte of {@code v}
     * is below 0x20, and with {@code v ^ 0x3F…} and {@code 0x01…} when one is a {@code ?} (a byte at a time a
     * session description's 2 KiB took over a microsecond).
     */
    static int controlsAndQuestions(byte[] bytes, int from, int to) {
        long controls = 0;
        int questions = 0;
        int i = from;
        for (int limit = to - 8; i <= limit; i += 8) {
            long v = (long) LONGS.get(bytes, i);
            controls |= (v - 0x2020202020202020L) & ~v;
            long q = v ^ 0x3F3F3F3F3F3F3F3FL;
            if (((q - ONES) & ~q & HIGHS) != 0) {
                for (int k = i; k < i + 8; k++) {
                    questions += bytes[k] == '?' ? 1 : 0;
                }
            }
        }
        for (; i < to; i++) {
            int b = bytes[i];
            controls |= (long) (~b & (b - 0x20)) & HIGHS;
            questions += b == '?' ? 1 : 0;
        }
        return (controls & HIGHS) != 0 ? -1 : questions;
    }

    private static int count(String text, char c, int from, int to) {
        int count = 0;
        for (int i = text.indexOf(c, from); i >= 0 && i < to; i = text.indexOf(c, i + 1)) {
            count++;
        }
        return count;
    }

    /** What a backslash and this character stand for; \\u and anything JSON does not have: the strict path. */
    private static char unescape(char escaped) {
        return switch (escaped) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case '"' -> '"';
            case '\\' -> '\\';
            case '/' -> '/';
            case 'b' -> '\b';
            case 'f' -> '\f';
            default -> throw Decline.INSTANCE;
        };
    }

    private boolean bool() {
        if (text.startsWith("true", at)) {
            at += 4;
            return true;
        }
        if (text.startsWith("false", at)) {
            at += 5;
            return false;
        }
        throw Decline.INSTANCE;
    }

    /** A non-negative integer below {@code 10 * limit}, in JSON's form (no leading zero, no fraction or exponent). */
    private long number(long limit) {
        int start = at;
        long value = 0;
        while (at < bytes.length && at(at) >= '0' && at(at) <= '9') {
            if (value >= limit) {
                throw Decline.INSTANCE;
            }
            value = value * 10 + (at(at++) - '0');
        }
        if (at == start || at - start > 1 && at(start) == '0') {
            throw Decline.INSTANCE;
        }
        if (at < bytes.length) {
            char next = at(at);
            if (next == '.' || next == 'e' || next == 'E') {
                throw Decline.INSTANCE;
            }
        }
        return value;
    }

    private boolean comma() {
        if (at < bytes.length && bytes[at] == ',') {
            at++;
            return true;
        }
        return false;
    }

    private char peek() {
        return at(at);
    }

    private void expect(char c) {
        if (at >= bytes.length || at(at) != c) {
            throw Decline.INSTANCE;
        }
        at++;
    }

    private void space() {
        while (at < bytes.length) {
            byte c = bytes[at];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    /** Not a plain signal: read the strict way. One instance, no stack trace. */
    private static final class Decline extends RuntimeException {
        static final Decline INSTANCE = new Decline();

        private Decline() {
            super("not a plain signal", null, false, false);
        }
    }
}
