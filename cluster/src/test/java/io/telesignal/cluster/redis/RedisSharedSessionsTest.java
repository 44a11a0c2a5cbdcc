package io.telesignal.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.NodeId;
import io.telesignal.core.session.SharedSessions;
import io.telesignal.core.session.SharedSessions.Deposited;
import io.telesignal.core.session.SharedSessions.Mirrored;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Shared sessions on a real Redis: mirror, acknowledge, claim, deposit, and the hand-overs between nodes. */
class RedisSharedSessionsTest {
    private static final NodeId A = new NodeId("node-a");
    private static final NodeId B = new NodeId("node-b");
    private static final SharedSessions.Limits LIMITS = new SharedSessions.Limits(5, 1000, 4);

    private TestRedis redis;
    private RedisBus bus;
    private SharedSessions sessions;

    @BeforeEach
    void open() {
        redis = TestRedis.open();
        bus = new RedisBus(redis.redis());
        sessions = new RedisSharedSessions(redis.redis(), bus, 4);
    }

    @AfterEach
    void close() {
        bus.close();
        redis.close();
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().orTimeout(5, TimeUnit.SECONDS).join();
    }

    private void opened(String id, NodeId owner) {
        join(sessions.write(new SharedSessions.Snapshot(id, "u1", "hash", "websocket-" + id, owner, 1, 1, List.of(),
                Map.of())));
    }

    private Mirrored mirror(String id, NodeId owner, long seq) {
        return join(sessions.mirror(id, owner, seq, "m" + seq, Optional.empty(), Optional.empty()));
    }

    private SharedSessions.Claimed claimed(String id, NodeId node, long lastSeq) {
        SharedSessions.Claim claim = join(sessions.claim(id, "u1", "hash", node, lastSeq));
        assertThat(claim.refusal()).isEmpty();
        return claim.claimed().orElseThrow();
    }

    @Test
    void aClaimReplaysWhatTheClientHasNotSeenAndNumbersOn() {
        opened("s1", A);
        for (long seq = 1; seq <= 4; seq++) {
            assertThat(mirror("s1", A, seq)).isEqualTo(Mirrored.OK);
        }
        join(sessions.acknowledge("s1", A, 1));
        join(sessions.context("s1", A, "consultations", "c1,c2"));

        SharedSessions.Claimed claimed = claimed("s1", B, 2);

        assertThat(claimed.previousOwner()).contains(A);
        assertThat(claimed.first()).isEqualTo(3);
        assertThat(claimed.next()).isEqualTo(5);
        assertThat(claimed.replay()).containsExactly("m3", "m4");
        assertThat(claimed.context()).containsEntry("consultations", "c1,c2");
        // the old owner's next message is refused: two nodes never number one stream
        assertThat(mirror("s1", A, 5)).isEqualTo(Mirrored.MOVED);
        assertThat(mirror("s1", B, 5)).isEqualTo(Mirrored.OK);
    }

    @Test
    void aClaimKeepsTheAnswersAndDeliveriesTheClientMayAskForAgain() {
        opened("s1", A);
        join(sessions.mirror("s1", A, 1, "answer to r1", Optional.of("r1"), Optional.empty()));
        join(sessions.mirror("s1", A, 2, "signal", Optional.empty(), Optional.of("s:websocket-x:r9")));

        SharedSessions.Claimed claimed = claimed("s1", B, 0);

        assertThat(claimed.answers()).containsEntry("r1", 1L);
        assertThat(claimed.delivered()).containsExactly("s:websocket-x:r9");
    }

    @Test
    void aClaimIsRefusedForAnotherUserOrTokenAPositionOutsideTheStreamOrAnEndedSession() {
        opened("s1", A);
        mirror("s1", A, 1);
        mirror("s1", A, 2);
        join(sessions.acknowledge("s1", A, 1));

        assertThat(join(sessions.claim("s1", "u2", "hash", B, 1)).refusal()).contains(SharedSessions.Refusal.EXPIRED);
        assertThat(join(sessions.claim("s1", "u1", "other", B, 1)).refusal()).contains(SharedSessions.Refusal.EXPIRED);
        assertThat(join(sessions.claim("s1", "u1", "hash", B, 3)).refusal()).contains(SharedSessions.Refusal.POSITION);
        assertThat(join(sessions.claim("s1", "u1", "hash", B, 0)).refusal()).contains(SharedSessions.Refusal.POSITION);
        assertThat(join(sessions.end("s1", Optional.of(A)))).isEqualTo(SharedSessions.Ended.REMOVED);
        assertThat(join(sessions.claim("s1", "u1", "hash", B, 1)).refusal()).contains(SharedSessions.Refusal.EXPIRED);
    }

    @Test
    void aDepositIsNumberedByTheStoreTakesTheSessionFromItsOwnerAndTellsIt() throws Exception {
        List<String> lost = new CopyOnWriteArrayList<>();
        sessions.listen(A, lost::add);
        opened("s1", A);
        mirror("s1", A, 1);

        Deposited deposited = join(sessions.deposit("s1", A, "{\"n\":", "}", Optional.of("c:m1"), LIMITS));

        assertThat(deposited.refused()).isEmpty();
        assertThat(deposited.seq()).isEqualTo(2);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lost.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(lost).containsExactly("s1");
        assertThat(mirror("s1", A, 2)).isEqualTo(Mirrored.MOVED);
        // the same delivery again is taken once
        assertThat(join(sessions.deposit("s1", A, "{\"n\":", "}", Optional.of("c:m1"), LIMITS)).refused())
                .contains(Deposited.Outcome.DUPLICATE);
        assertThat(claimed("s1", B, 1).replay()).containsExactly("{\"n\":2}");
    }

    @Test
    void aDepositForASessionAnotherNodeHoldsNowIsLeftToIt() {
        opened("s1", A);
        claimed("s1", B, 0);

        assertThat(join(sessions.deposit("s1", A, "x", "}", Optional.empty(), LIMITS)).refused())
                .contains(Deposited.Outcome.MOVED);
        assertThat(join(sessions.deposit("nobody", A, "x", "}", Optional.empty(), LIMITS)).refused())
                .contains(Deposited.Outcome.MISSING);
    }

    @Test
    void aDepositPastTheLimitsOverflowsTheSessionForGood() {
        opened("s1", A);
        for (int i = 0; i < LIMITS.maxMessages(); i++) {
            assertThat(join(sessions.deposit("s1", A, "x", "}", Optional.empty(), LIMITS)).refused()).isEmpty();
        }
        assertThat(join(sessions.deposit("s1", A, "x", "}", Optional.empty(), LIMITS)).refused())
                .contains(Deposited.Outcome.OVERFLOWED);
        assertThat(join(sessions.claim("s1", "u1", "hash", B, 0)).refusal())
                .contains(SharedSessions.Refusal.OVERFLOWED);
    }

    @Test
    void aMirrorAfterAGapOrForALostSessionAsksForTheSnapshotAndAMessageStoredAlreadyIsTaken() {
        assertThat(mirror("s1", A, 1)).isEqualTo(Mirrored.MISSING);
        opened("s1", A);
        assertThat(mirror("s1", A, 2)).isEqualTo(Mirrored.GAP);
        join(sessions.write(new SharedSessions.Snapshot("s1", "u1", "hash", "websocket-s1", A, 1, 3,
                List.of("m1", "m2"), Map.of("presence", "busy\n"))));
        assertThat(mirror("s1", A, 2)).isEqualTo(Mirrored.OK); // the snapshot had it
        assertThat(mirror("s1", A, 3)).isEqualTo(Mirrored.OK);
        SharedSessions.Claimed claimed = claimed("s1", B, 0);
        assertThat(claimed.replay()).containsExactly("m1", "m2", "m3");
        assertThat(claimed.context()).containsEntry("presence", "busy\n");
    }

    @Test
    void aSnapshotNeverOverwritesAnotherNodesClaimAndEndingMindsTheOwner() {
        opened("s1", A);
        claimed("s1", B, 0);
        join(sessions.write(new SharedSessions.Snapshot("s1", "u1", "hash", "websocket-s1", A, 1, 9, List.of(),
                Map.of())));
        assertThat(mirror("s1", B, 1)).isEqualTo(Mirrored.OK);

        assertThat(join(sessions.end("s1", Optional.of(A)))).isEqualTo(SharedSessions.Ended.HELD_ELSEWHERE);
        assertThat(join(sessions.end("s1", Optional.of(B)))).isEqualTo(SharedSessions.Ended.REMOVED);
        assertThat(join(sessions.end("s1", Optional.of(B)))).isEqualTo(SharedSessions.Ended.ABSENT);
    }

    @Test
    void aSessionNobodyHoldsAfterADepositIsEndedByTheCleanupOfItsDeadOwner() {
        opened("s1", A);
        join(sessions.deposit("s1", A, "x", "}", Optional.empty(), LIMITS));

        assertThat(join(sessions.end("s1", Optional.of(A)))).isEqualTo(SharedSessions.Ended.REMOVED);
    }

    @Test
    void aDeadOwnersSessionIsTakenOverWithWhatItStillKeptUntilEndedAndNeverAnotherNodesSession() {
        opened("s1", A);
        mirror("s1", A, 1);
        mirror("s1", A, 2);
        mirror("s1", A, 3);
        join(sessions.acknowledge("s1", A, 1));

        NodeId c = new NodeId("node-c");
        assertThat(join(sessions.abandon("s1", B, c))).isEmpty(); // B is not the one that died: A holds it
        assertThat(join(sessions.abandon("s1", A, c))).contains(List.of("m2", "m3"));
        // C's keeping failed: it takes it again, and nobody else can
        assertThat(join(sessions.abandon("s1", A, B))).isEmpty();
        assertThat(join(sessions.abandon("s1", A, c))).contains(List.of("m2", "m3"));
        assertThat(join(sessions.end("s1", Optional.of(c)))).isEqualTo(SharedSessions.Ended.REMOVED);
        assertThat(join(sessions.abandon("s1", A, c))).isEmpty();

        opened("s2", A);
        mirror("s2", A, 1);
        claimed("s2", B, 0);
        assertThat(join(sessions.abandon("s2", A, c))).isEmpty(); // a client resumed it on B first: B's now
    }

    @Test
    void aHandOverWritesItsContextOnlyForItsOwnerWithEveryMessageAndTheNextClaimReadsAndClearsIt() {
        opened("s1", A);
        mirror("s1", A, 1);
        mirror("s1", A, 2);
        assertThat(join(sessions.handOver("s1", B, 3, Map.of("k", "v")))).isEqualTo(Mirrored.MOVED);
        assertThat(join(sessions.handOver("s1", A, 4, Map.of("k", "v")))).isEqualTo(Mirrored.GAP);
        assertThat(join(sessions.handOver("nope", A, 3, Map.of()))).isEqualTo(Mirrored.MISSING);
        assertThat(join(sessions.handOver("s1", A, 3, Map.of("received", "7", "presence", "<presence/>"))))
                .isEqualTo(Mirrored.OK);
        SharedSessions.Claimed claimed = claimed("s1", B, 1);
        assertThat(claimed.context()).containsEntry("moved", "1").containsEntry("received", "7")
                .containsEntry("presence", "<presence/>");
        assertThat(claimed.replay()).containsExactly("m2");
        // claimed again (B died, C claims): not a hand-over any more
        assertThat(claimed("s1", new NodeId("node-c"), 1).context()).doesNotContainKey("moved");
    }

    @Test
    void everyListenerOfANodeHearsItsLostSessions() throws Exception {
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        sessions.listen(A, first::add);
        sessions.listen(A, second::add);
        opened("s1", A);
        claimed("s1", B, 0);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((first.isEmpty() || second.isEmpty()) && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(first).containsExactly("s1");
        assertThat(second).containsExactly("s1");
    }

    @Test
    void mirrorsSentTogetherGoInBatchesAndEachIsStoredInOrder() {
        for (String id : List.of("s1", "s2", "s3")) {
            opened(id, A);
        }
        List<java.util.concurrent.CompletableFuture<Mirrored>> all = new java.util.ArrayList<>();
        int each = RedisSharedSessions.BATCH_MESSAGES; // three sessions: three batches' worth, issued at once
        for (long seq = 1; seq <= each; seq++) {
            for (String id : List.of("s1", "s2", "s3")) {
                all.add(sessions.mirror(id, A, seq, id + "-" + seq, Optional.empty(), Optional.empty())
                        .toCompletableFuture());
            }
        }
        assertThat(all).allSatisfy(result -> assertThat(join(result)).isEqualTo(Mirrored.OK));
        for (String id : List.of("s1", "s2", "s3")) {
            SharedSessions.Claimed claimed = claimed(id, B, 0);
            assertThat(claimed.next()).isEqualTo(each + 1);
            assertThat(claimed.replay()).hasSize(each).startsWith(id + "-1").endsWith(id + "-" + each);
        }
    }
}
