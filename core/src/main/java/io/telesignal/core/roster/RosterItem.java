package io.telesignal.core.roster;

import io.telesignal.core.identity.UserId;
import java.util.List;
import java.util.Objects;

/**
 * One contact in a user's roster (RFC 6121 §2.1.2): the contact's bare address, the name and groups the user gave
 * it, the presence subscription state both ways, and a subscription request pending in either direction. An item
 * that exists only to keep an inbound request the user has not answered ({@link #hidden}) is not listed to the user.
 */
public record RosterItem(UserId owner, String contact, String name, Subscription subscription, boolean askOut,
        boolean pendingIn, List<String> groups) {
    public static final int MAX_CONTACT = 1023;
    public static final int MAX_NAME = 1024;
    public static final int MAX_GROUPS = 32;
    public static final int MAX_GROUP = 1024;

    /** RFC 6121 §2.1.2.5: whose presence goes where. */
    public enum Subscription {
        /** Neither way. */
        NONE,
        /** The user receives the contact's presence. */
        TO,
        /** The contact receives the user's presence. */
        FROM,
        BOTH;

        public boolean to() {
            return this == TO || this == BOTH;
        }

        public boolean from() {
            return this == FROM || this == BOTH;
        }

        public static Subscription of(boolean to, boolean from) {
            return to ? (from ? BOTH : TO) : (from ? FROM : NONE);
        }
    }

    public RosterItem {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(subscription, "subscription");
        name = name == null ? "" : name;
        groups = List.copyOf(groups == null ? List.of() : groups);
        if (contact.isEmpty() || contact.length() > MAX_CONTACT || contact.indexOf('/') >= 0) {
            throw new IllegalArgumentException("a roster contact is a bare JID of at most " + MAX_CONTACT + " characters");
        }
        if (name.length() > MAX_NAME || groups.size() > MAX_GROUPS
                || groups.stream().anyMatch(g -> g.isEmpty() || g.length() > MAX_GROUP
                        || g.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException("roster name or groups too long");
        }
    }

    /** A new item the user adds: no subscription yet. */
    public static RosterItem added(UserId owner, String contact, String name, List<String> groups) {
        return new RosterItem(owner, contact, name, Subscription.NONE, false, false, groups);
    }

    /** Kept only for an inbound subscription request the user has not answered: the user never added the contact. */
    public boolean hidden() {
        return subscription == Subscription.NONE && !askOut && pendingIn && name.isEmpty() && groups.isEmpty();
    }

    public RosterItem with(Subscription subscription, boolean askOut, boolean pendingIn) {
        return new RosterItem(owner, contact, name, subscription, askOut, pendingIn, groups);
    }

    public RosterItem named(String name, List<String> groups) {
        return new RosterItem(owner, contact, name, subscription, askOut, pendingIn, groups);
    }

    /** The contact and states only: the name and groups may name a patient. */
    @Override
    public String toString() {
        return "RosterItem[owner=" + owner.value() + ", subscription=" + subscription + ", askOut=" + askOut
                + ", pendingIn=" + pendingIn + "]";
    }
}
