package io.telesignal.signaling.protocol;

import java.util.Optional;

/**
 * A decoded client message, or why it could not be: malformed but framable input is passed on marked as failed,
 * so the protocol layer answers it with an {@code error} and the connection stays up.
 *
 * @param ack a piggy-backed acknowledgement, when the message carried one
 */
public record Decoded(ClientMessage message, ProtocolError error, Optional<Long> ack) {
    public static Decoded of(ClientMessage message, Optional<Long> ack) {
        return new Decoded(message, null, ack);
    }

    public static Decoded failed(ProtocolError error) {
        return new Decoded(null, error, Optional.empty());
    }

    public boolean ok() {
        return error == null;
    }
}
