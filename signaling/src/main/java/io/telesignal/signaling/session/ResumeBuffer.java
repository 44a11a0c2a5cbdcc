package io.telesignal.signaling.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Sent but unacknowledged messages, oldest first, bounded by count and bytes. Not thread-safe: the owning
 * session synchronizes.
 */
final class ResumeBuffer {
    private record Entry(long seq, String text, int bytes) {}

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final int maxMessages;
    private final long maxBytes;
    private long bytes;

    ResumeBuffer(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /** Adds a message; answers false (and keeps nothing) when that would pass a limit. */
    boolean add(long seq, String text) {
        int size = text.length() * 2;
        if (entries.size() + 1 > maxMessages || bytes + size > maxBytes) {
            return false;
        }
        entries.addLast(new Entry(seq, text, size));
        bytes += size;
        return true;
    }

    /** Drops every message up to and including {@code seq}. */
    void acknowledge(long seq) {
        while (!entries.isEmpty() && entries.peekFirst().seq() <= seq) {
            bytes -= entries.removeFirst().bytes();
        }
    }

    /** Messages after {@code seq} up to {@code upTo}, in order. */
    List<String> after(long seq, long upTo) {
        List<String> replay = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.seq() > seq && entry.seq() <= upTo) {
                replay.add(entry.text());
            }
        }
        return replay;
    }

    /** Every message kept, oldest first. */
    List<String> all() {
        return entries.stream().map(Entry::text).toList();
    }

    /** The oldest sequence number still kept, or {@code next} when empty. */
    long oldest(long next) {
        return entries.isEmpty() ? next : entries.peekFirst().seq();
    }

    int size() {
        return entries.size();
    }
}
