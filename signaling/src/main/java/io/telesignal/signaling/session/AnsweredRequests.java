package io.telesignal.signaling.session;

import io.telesignal.signaling.protocol.ServerMessage;

/**
 * The answers to a session's last {@code capacity} requests, by request id, oldest forgotten first: a repeat of a
 * remembered id is answered again instead of being run again.
 *
 * <p>Three arrays used as one ring, not a map: every request passes through here, and a map entry plus its answer
 * per request was the largest thing the server kept alive between collections (at 19,800 sessions, 32 each, about
 * 40 MiB of entries and empty results copied from survivor space to survivor space, and every insertion wrote new
 * objects into an old map). The ring keeps the id string and nothing else for the common answer, an empty
 * {@code result}; any other answer is kept as it was sent. A lookup compares hashes first, so it costs a scan of
 * {@code capacity} ints, which is why the capacity is bounded ({@link #MAX_CAPACITY}). Not thread-safe: the session
 * holds its lock.
 */
final class AnsweredRequests {
    static final int MAX_CAPACITY = 1024;
    private final String[] ids;
    private final int[] hashes;
    /** The answer sent, or null for an empty result (the answer to every relayed signal). */
    private final ServerMessage[] answers;
    private int next;

    AnsweredRequests(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("remembered requests must be 1-" + MAX_CAPACITY);
        }
        ids = new String[capacity];
        hashes = new int[capacity];
        answers = new ServerMessage[capacity];
    }

    /** The answer given to {@code id}, or null when it is not remembered (never answered, or forgotten since). */
    ServerMessage find(String id) {
        int hash = id.hashCode();
        for (int i = 0; i < hashes.length; i++) {
            if (hashes[i] == hash && id.equals(ids[i])) {
                ServerMessage answer = answers[i];
                return answer != null ? answer : new ServerMessage.Result(id, null);
            }
        }
        return null;
    }

    /** Remembers the answer to {@code id}, forgetting the oldest one when full. */
    void remember(String id, ServerMessage answer) {
        ids[next] = id;
        hashes[next] = id.hashCode();
        answers[next] = answer instanceof ServerMessage.Result result && result.body() == null && id.equals(result.re())
                ? null : answer;
        next = (next + 1) % ids.length;
    }
}
