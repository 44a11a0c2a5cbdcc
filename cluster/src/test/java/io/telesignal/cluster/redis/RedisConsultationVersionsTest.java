package io.telesignal.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.consultation.InMemoryConsultationStore;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' copies of a consultation over one database (in memory here: the store is not what is tested) and a real
 * Redis: a copy Redis confirmed is answered without asking anyone, until a later version is announced or the
 * subscription that carries the announcements drops.
 */
class RedisConsultationVersionsTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final UserId DOC = new UserId("doc");
    private static final UserId PAT = new UserId("pat");

    private final InMemoryConsultationStore database = new InMemoryConsultationStore();
    private RedisSettings settings;
    private Redis redisA;
    private RedisBus busA;
    private RedisConsultationVersions nodeA;
    private Redis redisB;
    private RedisBus busB;
    private RedisConsultationVersions nodeB;
    private Consultation attended;

    @BeforeEach
    void open() throws Exception {
        settings = TestRedis.settings();
        redisA = TestRedis.connect(settings);
        busA = new RedisBus(redisA);
        nodeA = new RedisConsultationVersions(database, redisA, busA);
        redisB = TestRedis.connect(settings);
        busB = new RedisBus(redisB);
        nodeB = new RedisConsultationVersions(database, redisB, busB);
        Consultation c = Consultation.create(new ConsultationId("c1"), Map.of(PAT, Role.PATIENT), 4, DOC, NOW,
                Optional.empty());
        nodeA.create(c).toCompletableFuture().join();
        attended = c.join(new Actor(DOC, "Doc", Set.of(Role.PROVIDER)), Role.PROVIDER, new EndpointId("websocket-d"),
                NOW);
        assertThat(nodeA.replace(c.version(), attended).toCompletableFuture().join()).isTrue();
    }

    @AfterEach
    void close() {
        busB.close();
        redisB.close();
        busA.close();
        TestRedis.deleteAll(redisA);
        redisA.close();
    }

    private Consultation read(RedisConsultationVersions node) {
        return node.find(attended.id()).toCompletableFuture().join().orElseThrow();
    }

    /** Reads until the node answers {@code version}; what it answers last. */
    private long eventually(RedisConsultationVersions node, long version) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        long seen = read(node).version();
        while (seen != version && System.nanoTime() < until) {
            Thread.sleep(10);
            seen = read(node).version();
        }
        return seen;
    }

    /** Changes the database behind both nodes' backs: nothing raised, nothing announced. */
    private Consultation changeUnannounced() {
        Consultation from = database.find(attended.id()).toCompletableFuture().join().orElseThrow();
        Consultation next = from.join(new Actor(PAT, "Pat", Set.of(Role.PATIENT)), Role.PATIENT,
                new EndpointId("websocket-p"), NOW);
        assertThat(database.replace(from.version(), next).toCompletableFuture().join()).isTrue();
        return next;
    }

    @Test
    void aConfirmedCopyIsAnsweredWithoutAskingRedisOrTheDatabase() throws Exception {
        assertThat(eventually(nodeA, attended.version())).isEqualTo(attended.version());
        changeUnannounced();
        redisA.commands().del(redisA.key("consultation-version:c1")).toCompletableFuture().join();

        // neither Redis (its version gone) nor the database (a later one) was asked
        assertThat(read(nodeA).version()).isEqualTo(attended.version());
    }

    @Test
    void aChangeOrARefusalIsDecidedOnTheLatestNeverOnALaggingCopy() throws Exception {
        assertThat(eventually(nodeA, attended.version())).isEqualTo(attended.version());
        // another node committed and raised the version; its announcement has not reached this node yet
        Consultation later = changeUnannounced();
        redisA.commands().set(redisA.key("consultation-version:c1"), String.valueOf(later.version()))
                .toCompletableFuture().join();

        assertThat(read(nodeA).version()).isEqualTo(attended.version()); // the copy, trusted
        assertThat(nodeA.findLatest(attended.id()).toCompletableFuture().join().orElseThrow().version())
                .isEqualTo(later.version());
        assertThat(read(nodeA).version()).isEqualTo(later.version()); // and the copy is the latest from then on
    }

    @Test
    void anotherNodesChangeReachesThisNodesCopy() throws Exception {
        assertThat(eventually(nodeA, attended.version())).isEqualTo(attended.version());
        read(nodeA); // confirmed by now

        Consultation joined = read(nodeB).join(new Actor(PAT, "Pat", Set.of(Role.PATIENT)), Role.PATIENT,
                new EndpointId("websocket-p"), NOW);
        assertThat(nodeB.replace(attended.version(), joined).toCompletableFuture().join()).isTrue();

        assertThat(eventually(nodeA, joined.version())).isEqualTo(joined.version());
        assertThat(read(nodeA).attendees()).containsKey(PAT);
    }

    @Test
    void withoutItsSubscriptionANodeAsksRedisEveryTime() throws Exception {
        assertThat(eventually(nodeA, attended.version())).isEqualTo(attended.version());
        Consultation later = changeUnannounced();
        redisA.commands().del(redisA.key("consultation-version:c1")).toCompletableFuture().join();
        assertThat(read(nodeA).version()).isEqualTo(attended.version()); // confirmed: trusted

        // the subscriptions drop (an announcement could be missed meanwhile): the copy is asked about again, and
        // Redis, which lost the version, sends the node to the database
        redisA.commands().clientKill(io.lettuce.core.KillArgs.Builder.typePubsub()).toCompletableFuture().join();
        assertThat(eventually(nodeA, later.version())).isEqualTo(later.version());
    }
}
