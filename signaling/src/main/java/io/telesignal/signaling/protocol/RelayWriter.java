package io.telesignal.signaling.protocol;

/**
 * Writes a relayed {@code signal} by hand, and the {@code signaled} that acknowledges signals: the messages every call
 * sends most, and the ones Jackson's databind spent most of the encoder's time on (type lookup, property walks, a
 * generator per message). The output is character for character what {@link ProtocolCodec#encode} writes through
 * Jackson for the same message (fields in record order, absent ones left out, {@code seq} last, strings escaped as
 * Jackson escapes them); {@code RelayWriterTest} compares the two.
 */
final class RelayWriter {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private RelayWriter() {}

    static String write(ServerMessage.SignalRelay relay, long seq) {
        ServerMessage.RelayedDescription description = relay.description();
        JsonString sdp = description == null ? null : description.sdp();
        ClientMessage.Candidate candidate = relay.candidate();
        // room for the whole message at once (a builder that grows copies what it holds): the names and punctuation,
        // the ids, a candidate's strings, the SDP's literal as it is or its value escaped, about a tenth longer
        int size = 256 + length(relay.consultation()) + length(relay.from()) + length(relay.fromEndpoint())
                + (candidate == null ? 0 : length(candidate.candidate()) + length(candidate.sdpMid())
                        + length(candidate.usernameFragment()))
                + (sdp == null ? 0 : sdp.literal() != null ? sdp.literal().length() : sdp.value().length() * 9 / 8);
        StringBuilder out = new StringBuilder(size);
        out.append("{\"type\":\"signal\"");
        field(out, "consultation", relay.consultation());
        field(out, "from", relay.from());
        field(out, "fromEndpoint", relay.fromEndpoint());
        if (description != null) {
            out.append(",\"description\":{");
            boolean first = true;
            if (description.type() != null) {
                out.append("\"type\":");
                string(out, description.type());
                first = false;
            }
            if (description.sdp() != null) {
                out.append(first ? "\"sdp\":" : ",\"sdp\":");
                String literal = description.sdp().literal();
                if (literal != null) {
                    out.append(literal);
                } else {
                    string(out, description.sdp().value());
                }
            }
            out.append('}');
        }
        if (candidate != null) {
            out.append(",\"candidate\":{");
            int start = out.length();
            member(out, start, "candidate", candidate.candidate());
            member(out, start, "sdpMid", candidate.sdpMid());
            if (candidate.sdpMLineIndex() != null) {
                out.append(out.length() == start ? "\"sdpMLineIndex\":" : ",\"sdpMLineIndex\":").append((int) candidate.sdpMLineIndex());
            }
            member(out, start, "usernameFragment", candidate.usernameFragment());
            out.append('}');
        }
        if (relay.restart() != null) {
            out.append(",\"restart\":").append((boolean) relay.restart());
        }
        if (relay.hangup() != null) {
            out.append(",\"hangup\":{");
            member(out, out.length(), "reason", relay.hangup().reason());
            out.append('}');
        }
        return out.append(",\"seq\":").append(seq).append('}').toString();
    }

    /**
     * A {@code signaled}: sent for every few signals a session relays (acknowledged cumulatively), the message a
     * relay writes most after the relayed signal itself.
     */
    static String write(ServerMessage.Signaled signaled, long seq) {
        StringBuilder out = new StringBuilder(64 + length(signaled.through()));
        out.append("{\"type\":\"signaled\"");
        field(out, "through", signaled.through());
        return out.append(",\"seq\":").append(seq).append('}').toString();
    }

    private static int length(String value) {
        return value == null ? 0 : value.length() + value.length() / 8;
    }

    private static void field(StringBuilder out, String name, String value) {
        if (value != null) {
            out.append(",\"").append(name).append("\":");
            string(out, value);
        }
    }

    /** A field of a nested object that starts at {@code start}: a comma before it unless it is the first. */
    private static void member(StringBuilder out, int start, String name, String value) {
        if (value != null) {
            out.append(out.length() == start ? "\"" : ",\"").append(name).append("\":");
            string(out, value);
        }
    }

    /** A JSON string as Jackson writes one: quote and backslash escaped, controls as \n \r \t \b \f or \\u00XX. */
    static void string(StringBuilder out, String value) {
        out.append('"');
        int from = 0;
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(value, from, i);
            from = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append(value, from, length).append('"');
    }
}
