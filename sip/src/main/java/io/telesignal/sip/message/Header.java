package io.telesignal.sip.message;

import java.util.Objects;

/**
 * One header field as received: its name in canonical form (the long form of a compact name, RFC 3261 §7.3.3, in the
 * usual capitalisation for the known ones) and its value with folding undone (each line break and the whitespace
 * around it become one space) and outer whitespace trimmed. A comma list stays one field; {@link SipMessage#values}
 * splits it.
 */
public record Header(String name, String value) {
    public Header {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
