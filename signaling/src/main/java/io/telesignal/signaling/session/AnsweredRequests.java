package io.telesignal.signaling.session;

import io.telesignal.signaling.protocol.ServerMessage;

/**
 * The answers to a session's last {@code capacity} requests, by request id, oldest forgotten first: a repeat of a
 * remembered id is answered again instead of being run again.
 *
 * <p>Arrays used as one ring, not a map: every request passes through here, and a map entry plus its answer per
 * request was the largest thing the server kept alive between collections (at 19,800 sessions, 32 each, about 40 MiB
 * of entries and empty results copied from survivor space to survivor space, and every insertion wrote new objects
 * into an old map). An id of 1-8 characters up to U+00FF, which is what clients use ({@code "r42"}), is packed
 * into a {@code long}, exactly: the ring then keeps no object for it at all, nor for the common answer, an empty
 * {@code result}. Any other id (longer, or with a character past U+00FF) is kept as its string, compared by hash
 * first; any other answer is kept as it was sent. A lookup scans {@code capacity} longs or ints, which is why the capacity is bounded
 * ({@link #MAX_CAPACITY}). Not thread-safe: the session holds its lock.
 */
final class AnsweredRequests {
    static final int MAX_CAPACITY = 1024;
    private final int capacity;
    /**
     * The id packed (see {@link #pack}), or 0 when it does not pack or the slot is empty. The four arrays are made
     * with the first answer: a session that never sends a request (an idle monitoring device) keeps none of them.
     */
    private long[] packed;
    /** The id when it does not pack, else null. */
    private String[] ids;
    private int[] hashes;
    /** The answer sent, or null for an empty result (the answer to every relayed signal). */
    private ServerMessage[] answers;
    private int next;

    AnsweredRequests(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("remembered requests must be 1-" + MAX_CAPACITY);
        }
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    /** The answer given to {@code id}, or null when it is not remembered (never answered, or forgotten since). */
    ServerMessage find(String id) {
        if (packed == null) {
            return null;
        }
        long key = pack(id);
        int hash = key == 0 ? id.hashCode() : 0;
        for (int i = 0; i < packed.length; i++) {
            if (key != 0 ? packed[i] == key : hashes[i] == hash && id.equals(ids[i])) {
                ServerMessage answer = answers[i];
                return answer != null ? answer : new ServerMessage.Result(id, null);
            }
        }
        return null;
    }

    /** Remembers the answer to {@code id}, forgetting the oldest one when full. */
    void remember(String id, ServerMessage answer) {
        if (packed == null) {
            packed = new long[capacity];
            ids = new String[capacity];
            hashes = new int[capacity];
            answers = new ServerMessage[capacity];
        }
        long key = pack(id);
        packed[next] = key;
        ids[next] = key == 0 ? id : null;
        hashes[next] = key == 0 ? id.hashCode() : 0;
        answers[next] = answer instanceof ServerMessage.Result result && result.body() == null && id.equals(result.re())
                ? null : answer;
        next = (next + 1) % packed.length;
    }

    /**
     * An id of 1-8 characters in U+0001..U+00FF as a long, a byte per character; 0 for any other. No character is
     * 0, so the length is implied and two ids pack alike only when they are equal.
     */
    static long pack(String id) {
        int length = id.length();
        if (length == 0 || length > 8) {
            return 0;
        }
        long key = 0;
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            if (c == 0 || c > 0xFF) {
                return 0;
            }
            key = key << 8 | c;
        }
        return key;
    }
}
