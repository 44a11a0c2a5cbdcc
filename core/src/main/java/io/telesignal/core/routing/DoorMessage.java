package io.telesignal.core.routing;

import io.telesignal.core.identity.FrontDoor;
import java.util.Objects;

/**
 * A front door's own message to one of its endpoints, possibly on another node: an XMPP stanza for an XMPP resource,
 * for instance. The core carries it and never reads {@code body}; {@code kind} says what it is to the door (a stanza,
 * a session being replaced). Bodies are at most {@link #MAX_BODY} characters.
 */
public record DoorMessage(FrontDoor door, String kind, String body) implements CoreEvent {
    public static final int MAX_BODY = 1_048_576;

    public DoorMessage {
        Objects.requireNonNull(door, "door");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(body, "body");
        if (kind.isEmpty() || kind.length() > 64) {
            throw new IllegalArgumentException("kind must be 1-64 characters");
        }
        if (body.length() > MAX_BODY) {
            throw new IllegalArgumentException("body larger than " + MAX_BODY + " characters");
        }
    }

    @Override
    public String type() {
        return "door";
    }

    /** Kind and size only: the body may hold patient data. */
    @Override
    public String toString() {
        return "DoorMessage[" + door.wireName() + " " + kind + ", " + body.length() + " chars]";
    }
}
