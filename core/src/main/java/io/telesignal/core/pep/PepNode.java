package io.telesignal.core.pep;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One of a user's personal eventing nodes (XEP-0163) and its configuration (XEP-0060 §16.4.3).
 *
 * @param owner the user whose node it is
 * @param name the node's name, usually a namespace ({@code http://jabber.org/protocol/mood})
 * @param access who may read its items and is told of them
 * @param maxItems how many items it keeps, the newest
 * @param sendLast whether its last item is sent to those entitled when they become available or start to care
 *     ({@code pubsub#send_last_published_item}: {@code on_sub_and_presence} or {@code never})
 */
public record PepNode(UserId owner, String name, Access access, int maxItems, boolean sendLast, Instant createdAt) {
    /** The longest node name kept. */
    public static final int MAX_NAME = 256;

    /** XEP-0060 §4.5 access models, those a personal node may have. */
    public enum Access {
        /** Anyone on this server. */
        OPEN,
        /** The owner and the contacts subscribed to the owner's presence: XEP-0163's default. */
        PRESENCE,
        /** The owner only (no one else is ever on the list). */
        WHITELIST;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Access> fromWireName(String name) {
            for (Access access : values()) {
                if (access.wireName().equals(name)) {
                    return Optional.of(access);
                }
            }
            return Optional.empty();
        }
    }

    public PepNode {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME || maxItems < 1) {
            throw new IllegalArgumentException("node name empty or too long, or max items below 1");
        }
    }

    public PepNode with(Access newAccess, int newMaxItems, boolean newSendLast) {
        return new PepNode(owner, name, newAccess, newMaxItems, newSendLast, createdAt);
    }
}
