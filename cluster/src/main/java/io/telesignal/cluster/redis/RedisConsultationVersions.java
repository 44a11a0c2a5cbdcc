package io.telesignal.cluster.redis;

import io.lettuce.core.ScriptOutputType;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.consultation.ConsultationStore;
import io.telesignal.core.identity.UserId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node's copy of the consultations in use, kept true across nodes: the store (PostgreSQL) stays the authority and
 * decides every compare-and-set; Redis holds each consultation's latest version ({@code consultation-version:<id>},
 * raised only, after each successful write), and the script that raises it announces the new version on
 * {@code consultation-changed}. A read answers this node's copy at once when Redis confirmed it as the latest and no
 * later version has been announced since; when a later one has, or the copy was never confirmed, it asks Redis (one
 * round trip, no database), and reads the store again when the copy is not the latest, or Redis has no version (it
 * restarted). While the node's subscription is down it hears no announcements, so no copy is answered unconfirmed.
 *
 * <p>Hazard: between another node's commit and its announcement reaching this node (a pub/sub message), this node may
 * answer the version before it for a moment, as it would have a moment earlier; a write from here is still checked by
 * the store against the latest.
 */
public final class RedisConsultationVersions implements ConsultationStore {
    /** Raises the version (announcing it) if it is higher than Redis's; answers the version Redis holds after. */
    private static final String RAISE = """
            local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
            local v = tonumber(ARGV[1])
            if v > current then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              redis.call('PUBLISH', ARGV[3], ARGV[4] .. ' ' .. ARGV[1])
              return v
            end
            return current
            """;
    /** A consultation nobody touched for a day is read from the store again: versions do not pile up in Redis. */
    private static final long KEEP_MILLIS = 24L * 3600 * 1000;
    /** At most this many announced versions are remembered; more start afresh (every copy asks Redis again). */
    static final int HEARD = 100_000;

    private final ConsultationStore store;
    private final Redis redis;
    private final Redis.Script raise;
    private final Map<ConsultationId, Consultation> copies = new ConcurrentHashMap<>();
    /** The version of each copy Redis confirmed as the latest (since the subscription was last in place). */
    private final Map<ConsultationId, Long> confirmed = new ConcurrentHashMap<>();
    /** The latest version announced of each consultation (since the subscription was last in place). */
    private final Map<ConsultationId, Long> heard = new ConcurrentHashMap<>();
    /** Raised by every gap in the subscription: a confirmation read before it is not kept. */
    private long epoch;
    private boolean live;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RedisConsultationVersions.class);

    public RedisConsultationVersions(ConsultationStore store, Redis redis, RedisBus bus) {
        this.store = store;
        this.redis = redis;
        this.raise = redis.new Script(RAISE, ScriptOutputType.INTEGER);
        bus.subscribe("consultation-changed", this::announced, new RedisBus.Gap() {
            @Override
            public void unsubscribed() {
                gap(false);
            }

            @Override
            public void subscribed() {
                gap(true);
            }
        });
    }

    private synchronized void gap(boolean nowLive) {
        epoch++;
        live = nowLive;
        confirmed.clear();
        heard.clear();
    }

    /** {@code <id> <version>}, announced by the script that raised it. */
    private void announced(String message) {
        int space = message.lastIndexOf(' ');
        if (space <= 0) {
            return;
        }
        ConsultationId id = new ConsultationId(message.substring(0, space));
        long version = Long.parseLong(message.substring(space + 1));
        synchronized (this) {
            if (heard.size() >= HEARD && !heard.containsKey(id)) {
                heard.clear();
                confirmed.clear();
            }
            heard.merge(id, version, Math::max);
        }
    }

    /** The epoch now, or -1 while the subscription is down (nothing read then is confirmed). */
    private synchronized long epochIfLive() {
        return live ? epoch : -1;
    }

    private synchronized void confirm(long readAt, Consultation c, long latest) {
        if (readAt >= 0 && readAt == epoch && live && latest == c.version() && copies.get(c.id()) == c) {
            confirmed.put(c.id(), latest);
        }
    }

    /** Answered without asking Redis: confirmed as the latest, and no later version announced since. */
    private boolean trusted(Consultation copy) {
        Long version = confirmed.get(copy.id());
        return version != null && version == copy.version() && heard.getOrDefault(copy.id(), -1L) <= copy.version();
    }

    @Override
    public CompletionStage<Void> create(Consultation consultation) {
        return store.create(consultation).thenCompose(done -> raiseAfterCommit(consultation));
    }

    @Override
    public CompletionStage<Optional<Consultation>> find(ConsultationId id) {
        Consultation copy = copies.get(id);
        if (copy == null) {
            return reload(id);
        }
        if (trusted(copy)) {
            return CompletableFuture.completedFuture(Optional.of(copy));
        }
        return checked(id, copy);
    }

    /** Never this node's copy unchecked: the version Redis holds decides (one round trip), as for an untrusted copy. */
    @Override
    public CompletionStage<Optional<Consultation>> findLatest(ConsultationId id) {
        Consultation copy = copies.get(id);
        return copy == null ? reload(id) : checked(id, copy);
    }

    private CompletionStage<Optional<Consultation>> checked(ConsultationId id, Consultation copy) {
        long readAt = epochIfLive();
        return redis.call(c -> c.get(key(id))).thenCompose(latest -> {
            if (latest != null && Long.parseLong(latest) == copy.version()) {
                confirm(readAt, copy, copy.version());
                return CompletableFuture.completedFuture(Optional.of(copy));
            }
            return reload(id);
        });
    }

    @Override
    public CompletionStage<Boolean> replace(long expectedVersion, Consultation updated) {
        return store.replace(expectedVersion, updated).thenCompose(replaced -> {
            if (!replaced) {
                copies.remove(updated.id());
                return CompletableFuture.completedFuture(false);
            }
            return raiseAfterCommit(updated).thenApply(done -> true);
        });
    }

    /**
     * The database committed: that stands, whatever Redis does. Should raising the version fail, this node's copy is
     * dropped and the raise tried again until it succeeds, so that no node goes on answering the old version.
     */
    private CompletionStage<Void> raiseAfterCommit(Consultation c) {
        return raise(c, epochIfLive()).handle((done, failure) -> {
            if (failure != null) {
                copies.remove(c.id());
                LOG.warn("event=consultation_version outcome=raise_failed consultation={} version={} action=retry",
                        c.id(), c.version());
                retry(c, 1);
            }
            return null;
        });
    }

    private void retry(Consultation c, int attempt) {
        CompletableFuture.delayedExecutor(Math.min(5000, 100L << Math.min(attempt, 6)),
                java.util.concurrent.TimeUnit.MILLISECONDS).execute(() -> raise(c, -1).whenComplete((done, failure) -> {
                    if (failure != null) {
                        retry(c, attempt + 1);
                    }
                }));
    }

    /** Forgets every copy: Redis lost the versions (a restart), so the next reads go to the database. */
    public void forgetCopies() {
        copies.clear();
        confirmed.clear();
    }

    @Override
    public CompletionStage<List<Consultation>> involving(UserId user) {
        return store.involving(user);
    }

    @Override
    public CompletionStage<List<Consultation>> attended() {
        return store.attended();
    }

    @Override
    public CompletionStage<List<Consultation>> list(int offset, int limit) {
        return store.list(offset, limit);
    }

    private CompletionStage<Optional<Consultation>> reload(ConsultationId id) {
        long readAt = epochIfLive();
        return store.find(id).thenCompose(found -> {
            if (found.isEmpty()) {
                copies.remove(id);
                return CompletableFuture.completedFuture(found);
            }
            return raise(found.get(), readAt).thenApply(done -> found);
        });
    }

    /**
     * Keeps the copy (only what is in use: attended and not ended) and raises the version in Redis; the copy is
     * confirmed when Redis holds its version after, read at {@code readAt} ({@link #epochIfLive}; -1: not confirmed).
     */
    private CompletionStage<Void> raise(Consultation c, long readAt) {
        Consultation kept;
        if (c.ended() || c.attendees().isEmpty()) {
            copies.remove(c.id());
            confirmed.remove(c.id());
            kept = null;
        } else {
            kept = copies.merge(c.id(), c, (old, next) -> next.version() >= old.version() ? next : old);
        }
        return raise.<Long>run(new String[] {key(c.id())}, String.valueOf(c.version()), String.valueOf(KEEP_MILLIS),
                redis.key("consultation-changed"), c.id().value()).thenApply(latest -> {
                    if (kept == c) {
                        confirm(readAt, c, latest);
                    }
                    return null;
                });
    }

    private String key(ConsultationId id) {
        return redis.key("consultation-version:" + id.value());
    }
}
