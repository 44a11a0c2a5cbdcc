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
 * raised only, after each successful write). A read answers this node's copy when its version is the latest (one Redis
 * round trip, no database), and reads the store again otherwise, or when Redis has no version (it restarted).
 *
 * <p>Hazard: between another node's commit and its raising the version, this node may answer the version before it for
 * a moment, as it would have a moment earlier; a write from here is still checked by the store against the latest.
 */
public final class RedisConsultationVersions implements ConsultationStore {
    private static final String RAISE = """
            local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
            if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
            return 1
            """;
    /** A consultation nobody touched for a day is read from the store again: versions do not pile up in Redis. */
    private static final long KEEP_MILLIS = 24L * 3600 * 1000;

    private final ConsultationStore store;
    private final Redis redis;
    private final Redis.Script raise;
    private final Map<ConsultationId, Consultation> copies = new ConcurrentHashMap<>();
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RedisConsultationVersions.class);

    public RedisConsultationVersions(ConsultationStore store, Redis redis) {
        this.store = store;
        this.redis = redis;
        this.raise = redis.new Script(RAISE, ScriptOutputType.INTEGER);
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
        return redis.call(c -> c.get(key(id))).thenCompose(latest -> latest != null
                && Long.parseLong(latest) == copy.version()
                ? CompletableFuture.completedFuture(Optional.of(copy)) : reload(id));
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
        return raise(c).handle((done, failure) -> {
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
                java.util.concurrent.TimeUnit.MILLISECONDS).execute(() -> raise(c).whenComplete((done, failure) -> {
                    if (failure != null) {
                        retry(c, attempt + 1);
                    }
                }));
    }

    /** Forgets every copy: Redis lost the versions (a restart), so the next reads go to the database. */
    public void forgetCopies() {
        copies.clear();
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
        return store.find(id).thenCompose(found -> {
            if (found.isEmpty()) {
                copies.remove(id);
                return CompletableFuture.completedFuture(found);
            }
            return raise(found.get()).thenApply(done -> found);
        });
    }

    /** Keeps the copy (only what is in use: attended and not ended) and raises the version in Redis. */
    private CompletionStage<Void> raise(Consultation c) {
        if (c.ended() || c.attendees().isEmpty()) {
            copies.remove(c.id());
        } else {
            copies.merge(c.id(), c, (old, next) -> next.version() >= old.version() ? next : old);
        }
        return raise.<Long>run(new String[] {key(c.id())}, String.valueOf(c.version()), String.valueOf(KEEP_MILLIS))
                .thenApply(done -> null);
    }

    private String key(ConsultationId id) {
        return redis.key("consultation-version:" + id.value());
    }
}
