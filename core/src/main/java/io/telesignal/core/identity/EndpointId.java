package io.telesignal.core.identity;

import java.util.Objects;
import java.util.UUID;

/** One connected client on one front door: a browser tab, a SIP registration binding, an XMPP resource. */
public record EndpointId(String value) {
    public EndpointId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > 128) {
            throw new IllegalArgumentException("endpoint id must be 1-128 characters");
        }
    }

    public static EndpointId random(FrontDoor door) {
        return new EndpointId(door.wireName() + "-" + UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value;
    }
}
