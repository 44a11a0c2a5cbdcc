package io.telesignal.core.archive;

import io.telesignal.core.identity.UserId;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A user's archiving preferences (XEP-0313 §8): which conversations are archived by default, and the bare JIDs always
 * or never archived whatever the default.
 */
public record ArchivePrefs(UserId owner, Mode mode, Set<String> always, Set<String> never) {
    /** Most JIDs a list may hold (the rest is refused). */
    public static final int MAX_JIDS = 200;

    public enum Mode {
        /** Every conversation. */
        ALWAYS,
        /** None but the {@code always} list. */
        NEVER,
        /** Conversations with contacts in the user's roster. */
        ROSTER;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Mode> fromWireName(String name) {
            for (Mode mode : values()) {
                if (mode.wireName().equals(name)) {
                    return Optional.of(mode);
                }
            }
            return Optional.empty();
        }
    }

    public ArchivePrefs {
        always = Set.copyOf(always);
        never = Set.copyOf(never);
        if (always.size() > MAX_JIDS || never.size() > MAX_JIDS) {
            throw new IllegalArgumentException("at most " + MAX_JIDS + " JIDs per list");
        }
    }

    /** What a user has before setting any: everything archived. */
    public static ArchivePrefs defaults(UserId owner) {
        return new ArchivePrefs(owner, Mode.ALWAYS, Set.of(), Set.of());
    }

    /**
     * Whether a conversation with {@code with} (a bare JID) is archived; {@code inRoster} is asked only in roster mode.
     * Never wins over always (XEP-0313 §8: a JID in both is never archived).
     */
    public boolean archives(String with, java.util.function.BooleanSupplier inRoster) {
        if (never.contains(with)) {
            return false;
        }
        if (always.contains(with)) {
            return true;
        }
        return switch (mode) {
            case ALWAYS -> true;
            case NEVER -> false;
            case ROSTER -> inRoster.getAsBoolean();
        };
    }
}
