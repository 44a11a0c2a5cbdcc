package io.telesignal.core.pep;

import io.telesignal.core.identity.UserId;
import java.time.Instant;

/**
 * An item published to a personal node: its id (unique in the node) and its payload, one serialised XML element.
 */
public record PepItem(UserId owner, String node, String id, String payload, Instant publishedAt) {
    /** The longest item id kept. */
    public static final int MAX_ID = 300;

    public PepItem {
        if (id == null || id.isEmpty() || id.length() > MAX_ID) {
            throw new IllegalArgumentException("item id empty or too long");
        }
    }
}
