package io.telesignal.signaling.protocol;

import java.util.Optional;

/**
 * Reads a well-formed {@code signal} in one pass over its characters, without databind: the message every call sends
 * most. It takes only the plain case and declines (answers null) everything else, which
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
    private static final int TYPE = 1, ID = 2, CONSULTATION = 4, TO = 8, DESCRIPTION = 16, CANDIDATE = 32,
            RESTART = 64, HANGUP = 128, ACK = 256;

    private final String text;
    private int at;

    private SignalReader(String text) {
        this.text = text;
    }

    /** The message, or null when it is not a plain signal (read it the strict way). */
    static Decoded read(String text) {
        try {
            return new SignalReader(text).message();
        } catch (Decline | InvalidFieldException | StringIndexOutOfBoundsException notPlain) {
            return null;
        }
    }

    private Decoded message() {
        space();
        expect('{');
        int seen = 0;
        String id = null, consultation = null, to = null;
        ClientMessage.Description description = null;
        ClientMessage.Candidate candidate = null;
        Boolean restart = null;
        ClientMessage.Hangup hangup = null;
        Long ack = null;
        space();
        if (peek() != '}') {
            do {
                space();
                int field = switch (key()) {
                    case "type" -> TYPE;
                    case "id" -> ID;
                    case "consultation" -> CONSULTATION;
                    case "to" -> TO;
                    case "description" -> DESCRIPTION;
                    case "candidate" -> CANDIDATE;
                    case "restart" -> RESTART;
                    case "hangup" -> HANGUP;
                    case "ack" -> ACK;
                    default -> throw Decline.INSTANCE;
                };
                if ((seen & field) != 0) {
                    throw Decline.INSTANCE;
                }
                seen |= field;
                switch (field) {
                    case TYPE -> {
                        if (!string().equals("signal")) {
                            throw Decline.INSTANCE;
                        }
                    }
                    case ID -> id = string();
                    case CONSULTATION -> consultation = string();
                    case TO -> to = string();
                    case DESCRIPTION -> description = description();
                    case CANDIDATE -> candidate = candidate();
                    case RESTART -> restart = bool();
                    case HANGUP -> hangup = hangup();
                    default -> ack = number(Long.MAX_VALUE / 10);
                }
                space();
            } while (comma());
        }
        expect('}');
        space();
        if (at != text.length() || (seen & TYPE) == 0) {
            throw Decline.INSTANCE;
        }
        return Decoded.of(new ClientMessage.Signal(id, consultation, to, description, candidate, restart, hangup),
                ack == null ? Optional.empty() : Optional.of(ack));
    }

    private ClientMessage.Description description() {
        expect('{');
        String type = null;
        JsonString sdp = null;
        int seen = 0;
        space();
        if (peek() != '}') {
            do {
                space();
                String key = key();
                if (key.equals("type") && (seen & 1) == 0) {
                    seen |= 1;
                    type = string();
                } else if (key.equals("sdp") && (seen & 2) == 0) {
                    seen |= 2;
                    int from = at;
                    String value = string();
                    sdp = JsonString.relayed(value, text.substring(from, at));
                } else {
                    throw Decline.INSTANCE;
                }
                space();
            } while (comma());
        }
        expect('}');
        return new ClientMessage.Description(type, sdp);
    }

    private ClientMessage.Candidate candidate() {
        expect('{');
        String candidate = null, sdpMid = null, usernameFragment = null;
        Integer sdpMLineIndex = null;
        int seen = 0;
        space();
        if (peek() != '}') {
            do {
                space();
                String key = key();
                if (key.equals("candidate") && (seen & 1) == 0) {
                    seen |= 1;
                    candidate = string();
                } else if (key.equals("sdpMid") && (seen & 2) == 0) {
                    seen |= 2;
                    sdpMid = string();
                } else if (key.equals("sdpMLineIndex") && (seen & 4) == 0) {
                    seen |= 4;
                    sdpMLineIndex = (int) (long) number(Integer.MAX_VALUE / 10);
                } else if (key.equals("usernameFragment") && (seen & 8) == 0) {
                    seen |= 8;
                    usernameFragment = string();
                } else {
                    throw Decline.INSTANCE;
                }
                space();
            } while (comma());
        }
        expect('}');
        return new ClientMessage.Candidate(candidate, sdpMid, sdpMLineIndex, usernameFragment);
    }

    private ClientMessage.Hangup hangup() {
        expect('{');
        String reason = null;
        space();
        if (peek() != '}') {
            space();
            if (!key().equals("reason")) {
                throw Decline.INSTANCE;
            }
            reason = string();
            space();
        }
        expect('}');
        return new ClientMessage.Hangup(reason);
    }

    /** A field name and its colon; the value's first character next. */
    private String key() {
        expect('"');
        int start = at;
        char c;
        while ((c = text.charAt(at)) != '"') {
            if (c == '\\' || c < 0x20) {
                throw Decline.INSTANCE; // an escaped name: the strict path
            }
            at++;
        }
        String key = text.substring(start, at++);
        space();
        expect(':');
        space();
        return key;
    }

    /**
     * A string value, unescaped; declines a {@code \}{@code u} escape and raw control characters. One pass checks it
     * and finds its end; an escaped one is then copied between its escapes in blocks (a session description has two
     * escapes a line).
     */
    private String string() {
        expect('"');
        int start = at;
        int escapes = 0;
        char c;
        while ((c = text.charAt(at)) != '"') {
            if (c < 0x20) {
                throw Decline.INSTANCE;
            }
            if (c == '\\') {
                unescape(text.charAt(at + 1));
                escapes++;
                at += 2;
            } else {
                at++;
            }
        }
        int end = at++;
        int size = end - start - escapes;
        if (size > MAX_STRING) {
            throw Decline.INSTANCE;
        }
        if (escapes == 0) {
            return text.substring(start, end);
        }
        char[] out = new char[size];
        int written = 0;
        int from = start;
        for (int slash = text.indexOf('\\', from); slash >= 0 && slash < end; slash = text.indexOf('\\', from)) {
            text.getChars(from, slash, out, written);
            written += slash - from;
            out[written++] = unescape(text.charAt(slash + 1));
            from = slash + 2;
        }
        text.getChars(from, end, out, written);
        return new String(out);
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
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            if (value >= limit) {
                throw Decline.INSTANCE;
            }
            value = value * 10 + (text.charAt(at++) - '0');
        }
        if (at == start || at - start > 1 && text.charAt(start) == '0') {
            throw Decline.INSTANCE;
        }
        if (at < text.length()) {
            char next = text.charAt(at);
            if (next == '.' || next == 'e' || next == 'E') {
                throw Decline.INSTANCE;
            }
        }
        return value;
    }

    private boolean comma() {
        if (at < text.length() && text.charAt(at) == ',') {
            at++;
            return true;
        }
        return false;
    }

    private char peek() {
        return text.charAt(at);
    }

    private void expect(char c) {
        if (at >= text.length() || text.charAt(at) != c) {
            throw Decline.INSTANCE;
        }
        at++;
    }

    private void space() {
        while (at < text.length()) {
            char c = text.charAt(at);
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
