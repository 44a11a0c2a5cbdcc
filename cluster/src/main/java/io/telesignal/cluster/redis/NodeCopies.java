package io.telesignal.cluster.redis;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A node's copies of entries that Redis holds, so that a read on the hot path (where is this endpoint, which version of
 * this consultation) needs no round trip. Every change in Redis is announced on a channel (by the script that makes
 * it), and each node drops its copy when it hears of it. A copy is only kept, and only answered, while the node hears
 * every announcement: when the subscription drops, every copy goes and none is kept until it is in place again.
 *
 * <p>A read that went to Redis keeps its answer only if no announcement arrived since it was sent ({@link #stamp},
 * {@link #keep}): an announcement overtaken by the answer it makes out of date must not leave a stale copy behind.
 *
 * <p>Hazard: between a change in Redis and its announcement reaching this node (a pub/sub message, well under a
 * millisecond on a LAN), this node answers the copy from before, as a read sent a moment earlier would have.
 */
final class NodeCopies<K, V> implements RedisBus.Gap {
    private final int capacity;
    private final Map<K, V> copies = new HashMap<>();
    private long generation;
    private boolean live;

    /** At most {@code capacity} copies; more start the set again (they are copies: nothing is lost). */
    NodeCopies(int capacity) {
        this.capacity = capacity;
    }

    /** The copy, if this node has one it can trust. */
    synchronized V get(K key) {
        return live ? copies.get(key) : null;
    }

    /** Taken before a read goes to Redis, to {@link #keep} its answer only if nothing changed meanwhile. */
    synchronized long stamp() {
        return live ? generation : -1;
    }

    /** Keeps {@code value} as the copy of {@code key}, unless an announcement arrived since {@code stamp}. */
    synchronized void keep(long stamp, K key, V value) {
        if (!live || stamp != generation) {
            return;
        }
        if (copies.size() >= capacity && !copies.containsKey(key)) {
            copies.clear();
        }
        copies.put(key, value);
    }

    /** An announcement: {@code key} changed; its copy goes if {@code outdated} says so of it. */
    synchronized void changed(K key, Predicate<V> outdated) {
        generation++;
        copies.computeIfPresent(key, (k, copy) -> outdated.test(copy) ? null : copy);
    }

    /** This node's own copy is out of date (it found the entry elsewhere): drop it. */
    synchronized void drop(K key) {
        generation++;
        copies.remove(key);
    }

    synchronized void clear() {
        generation++;
        copies.clear();
    }

    synchronized int size() {
        return copies.size();
    }

    @Override
    public synchronized void unsubscribed() {
        live = false;
        clear();
    }

    @Override
    public synchronized void subscribed() {
        clear();
        live = true;
    }
}
