package io.telesignal.signaling.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.consultation.Actor;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.testkit.MutableClock;
import io.telesignal.signaling.protocol.ProtocolCodec;
import io.telesignal.signaling.protocol.ServerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionRegistryTest {
    private final MutableClock clock = MutableClock.atEpochDay();
    private final List<SignalingSession> ended = new ArrayList<>();
    private final SessionRegistry registry = new SessionRegistry(
            new SessionSettings(Duration.ofSeconds(60), 5, 10_000, 3, 2), new ProtocolCodec(),
            event -> Optional.empty(), clock, ended::add);
    private final Actor alice = new Actor(new UserId("alice"), "Alice", Set.of(Role.PATIENT));

    private static final class Recorder implements Outlet {
        final List<String> sent = new ArrayList<>();
        Integer closedWith;

        @Override
        public void send(String text) {
            sent.add(text);
        }

        @Override
        public void close(int code, String reason) {
            closedWith = code;
        }
    }

    private static ServerMessage note(int n) {
        return new ServerMessage.Admission("c" + n, "waiting");
    }

    @Test
    void messagesAreNumberedAndWrittenToTheAttachedConnection() {
        SignalingSession session = registry.open(alice);
        Recorder connection = new Recorder();
        assertThat(registry.attach(session, connection, 0, "hi")).isZero();
        connection.sent.clear();

        session.send(note(1));
        session.send(note(2));

        assertThat(connection.sent).hasSize(2);
        assertThat(connection.sent.get(0)).contains("\"seq\":1").contains("\"consultation\":\"c1\"");
        assertThat(connection.sent.get(1)).contains("\"seq\":2");
    }

    @Test
    void cumulativeSignalAcksCoverDoneSignalsOnlyOnceThoseBeforeThemAreDone() {
        SignalingSession session = registry.open(alice);
        session.cumulativeSignalAcks();
        Recorder connection = new Recorder();
        registry.attach(session, connection, 0, "hi");
        connection.sent.clear();
        assertThat(session.begin("r1", true)).isTrue();
        assertThat(session.begin("r2", true)).isTrue();
        assertThat(session.begin("j1", false)).isTrue(); // a join: answered on its own, not lined up
        assertThat(session.begin("r3", true)).isTrue();

        session.answer("r2", new ServerMessage.Result("r2", null)); // done before r1: nothing covers it yet
        assertThat(connection.sent).isEmpty();
        session.answer("r1", new ServerMessage.Result("r1", null));
        assertThat(connection.sent).singleElement().asString().contains("\"type\":\"signaled\"", "\"through\":\"r2\"");
        session.answer("j1", new ServerMessage.Result("j1", "joined"));
        assertThat(connection.sent.get(1)).contains("\"type\":\"result\"", "\"re\":\"j1\"");
        session.answer("r3", new ServerMessage.Error("r3", "peer_unavailable", "gone"));
        assertThat(connection.sent.get(2)).contains("\"type\":\"error\"", "\"re\":\"r3\"");
        assertThat(connection.sent.get(3)).contains("\"type\":\"signaled\"", "\"through\":\"r3\"");
        assertThat(connection.sent).hasSize(4);

        // a repeat of a covered signal is answered on its own, from the remembered answers
        assertThat(session.begin("r1", true)).isFalse();
        assertThat(connection.sent.get(4)).contains("\"type\":\"result\"", "\"re\":\"r1\"");
    }

    @Test
    void withoutCumulativeSignalAcksEverySignalHasItsResult() {
        SignalingSession session = registry.open(alice);
        Recorder connection = new Recorder();
        registry.attach(session, connection, 0, "hi");
        connection.sent.clear();
        session.begin("r1", true);
        session.answer("r1", new ServerMessage.Result("r1", null));
        assertThat(connection.sent).singleElement().asString().contains("\"type\":\"result\"", "\"re\":\"r1\"");
    }

    @Test
    void resumeReplaysExactlyWhatWasMissedInOrder() {
        SignalingSession session = registry.open(alice);
        Recorder first = new Recorder();
        registry.attach(session, first, 0, "hi");
        session.send(note(1));
        session.send(note(2));
        session.acknowledge(1);
        registry.detach(session, first);
        session.send(note(3));
        clock.advance(Duration.ofSeconds(59));

        SignalingSession found = registry.resumable(session.id(), session.resumeToken(), alice.user());
        Recorder second = new Recorder();
        int replayed = registry.attach(found, second, 2, "welcome back");

        assertThat(replayed).isEqualTo(1);
        session.send(note(4));
        assertThat(second.sent).hasSize(3);
        assertThat(second.sent.get(0)).isEqualTo("welcome back");
        assertThat(second.sent.get(1)).contains("\"seq\":3").contains("\"consultation\":\"c3\"");
        assertThat(second.sent.get(2)).contains("\"seq\":4");
    }

    @Test
    void resumeFromAnEarlierPositionReplaysFromThere() {
        SignalingSession session = registry.open(alice);
        registry.attach(session, new Recorder(), 0, "hi");
        session.send(note(1));
        session.send(note(2));

        assertThat(registry.attach(session, new Recorder(), 0, "hi")).isEqualTo(2);
    }

    @Test
    void resumeIsRefusedAfterTheWindowWithAWrongTokenOrForAnotherUser() {
        SignalingSession session = registry.open(alice);
        Recorder connection = new Recorder();
        registry.attach(session, connection, 0, "hi");
        registry.detach(session, connection);

        assertThatThrownBy(() -> registry.resumable(session.id(), "wrong", alice.user()))
                .isInstanceOfSatisfying(ResumeException.class, e -> assertThat(e.code()).isEqualTo("resume_expired"));
        assertThatThrownBy(() -> registry.resumable(session.id(), session.resumeToken(), new UserId("mallory")))
                .isInstanceOf(ResumeException.class);

        clock.advance(Duration.ofSeconds(60));
        assertThat(registry.expire()).isEqualTo(1);
        assertThat(ended).containsExactly(session);
        assertThatThrownBy(() -> registry.resumable(session.id(), session.resumeToken(), alice.user()))
                .isInstanceOfSatisfying(ResumeException.class, e -> assertThat(e.code()).isEqualTo("resume_expired"));
    }

    @Test
    void attachedSessionsNeverExpire() {
        SignalingSession session = registry.open(alice);
        registry.attach(session, new Recorder(), 0, "hi");
        clock.advance(Duration.ofHours(5));
        assertThat(registry.expire()).isZero();
    }

    @Test
    void overflowWhileAwayMakesResumeImpossible() {
        SignalingSession session = registry.open(alice);
        Recorder connection = new Recorder();
        registry.attach(session, connection, 0, "hi");
        registry.detach(session, connection);
        for (int i = 1; i <= 5; i++) {
            assertThat(session.send(note(i))).isTrue();
        }
        assertThat(session.send(note(6))).isFalse();

        assertThatThrownBy(() -> registry.attach(session, new Recorder(), 0, "hi"))
                .isInstanceOfSatisfying(ResumeException.class, e -> assertThat(e.code()).isEqualTo("resume_overflow"));
    }

    @Test
    void aClientThatStopsAckingIsDisconnected() {
        SignalingSession session = registry.open(alice);
        Recorder connection = new Recorder();
        registry.attach(session, connection, 0, "hi");
        for (int i = 1; i <= 6; i++) {
            session.send(note(i));
        }
        assertThat(connection.closedWith).isEqualTo(SignalingSession.CLOSE_OVERFLOW);
    }

    @Test
    void aSessionClosedForOverflowStillExpiresAndFreesItsSlot() {
        SignalingSession session = registry.open(alice);
        Recorder connection = new Recorder();
        registry.attach(session, connection, 0, "hi");
        for (int i = 1; i <= 6; i++) {
            session.send(note(i));
        }
        registry.detach(session, connection);
        clock.advance(Duration.ofSeconds(60));

        assertThat(registry.expire()).isEqualTo(1);
        assertThat(ended).containsExactly(session);
        registry.open(alice);
        registry.open(alice);
    }

    @Test
    void aResumeThatAttachedBeforeTheSweepWins() {
        SignalingSession session = registry.open(alice);
        Recorder first = new Recorder();
        registry.attach(session, first, 0, "hi");
        registry.detach(session, first);
        clock.advance(Duration.ofSeconds(61));
        Recorder back = new Recorder();
        registry.attach(session, back, 0, "again");

        assertThat(registry.expire()).isZero();
        assertThat(session.ended()).isFalse();
        session.send(note(1));
        assertThat(back.sent).hasSize(2);
    }

    @Test
    void endingASessionClosesItsConnection() {
        SignalingSession session = registry.open(alice);
        Recorder connection = new Recorder();
        registry.attach(session, connection, 0, "hi");
        registry.end(session);
        assertThat(connection.closedWith).isEqualTo(1001);
        assertThat(session.send(note(1))).isFalse();
    }

    @Test
    void olderConsultationSnapshotsAreDroppedAfterNewerOnes() {
        SessionRegistry withViews = new SessionRegistry(new SessionSettings(Duration.ofSeconds(60), 50, 100_000, 3, 2),
                new ProtocolCodec(), io.telesignal.signaling.ws.Views::event, clock, ended::add);
        SignalingSession session = withViews.open(alice);
        Recorder connection = new Recorder();
        withViews.attach(session, connection, 0, "hi");
        var id = new io.telesignal.core.consultation.ConsultationId("c1");
        session.offer(new io.telesignal.core.consultation.ParticipantsChanged(id,
                io.telesignal.core.consultation.ConsultationState.OPEN, java.util.List.of(), 5));
        session.offer(new io.telesignal.core.consultation.ParticipantsChanged(id,
                io.telesignal.core.consultation.ConsultationState.OPEN, java.util.List.of(), 4));
        session.offer(new io.telesignal.core.consultation.WaitingRoomChanged(id, java.util.List.of(), 4));

        assertThat(connection.sent).hasSize(3);
        assertThat(connection.sent.get(1)).contains("\"version\":5");
        assertThat(connection.sent.get(2)).contains("waiting-room").contains("\"version\":4");
    }

    @Test
    void ackingKeepsTheBufferSmall() {
        SignalingSession session = registry.open(alice);
        registry.attach(session, new Recorder(), 0, "hi");
        for (int i = 1; i <= 50; i++) {
            assertThat(session.send(note(i))).isTrue();
            session.acknowledge(i);
        }
        assertThat(session.buffered()).isZero();
    }

    @Test
    void positionsOutsideTheStreamAreRefused() {
        SignalingSession session = registry.open(alice);
        registry.attach(session, new Recorder(), 0, "hi");
        session.send(note(1));
        session.send(note(2));
        session.acknowledge(2);

        assertThatThrownBy(() -> registry.attach(session, new Recorder(), 9, "hi"))
                .isInstanceOfSatisfying(ResumeException.class, e -> assertThat(e.code()).isEqualTo("resume_position"));
        assertThatThrownBy(() -> registry.attach(session, new Recorder(), 0, "hi"))
                .isInstanceOfSatisfying(ResumeException.class, e -> assertThat(e.code()).isEqualTo("resume_position"));
    }

    @Test
    void aNewConnectionTakesOverAndTheOldOneIsClosed() {
        SignalingSession session = registry.open(alice);
        Recorder first = new Recorder();
        registry.attach(session, first, 0, "hi");
        Recorder second = new Recorder();
        registry.attach(session, second, 0, "hi");

        assertThat(first.closedWith).isEqualTo(4409);
        session.send(note(1));
        assertThat(first.sent).containsExactly("hi");
        assertThat(second.sent).hasSize(2);
    }

    @Test
    void answersAreRememberedForTheLastRequestIds() {
        SignalingSession session = registry.open(alice);
        Recorder recorder = new Recorder();
        registry.attach(session, recorder, 0, "hi");
        for (int i = 1; i <= 4; i++) {
            assertThat(session.begin("r" + i)).isTrue();
            session.answer("r" + i, new ServerMessage.Result("r" + i, null));
        }
        int sent = recorder.sent.size();
        // r4 is remembered: answered again, not run again; r1 is forgotten (3 are kept): it runs
        assertThat(session.begin("r4")).isFalse();
        assertThat(recorder.sent).hasSize(sent + 1);
        assertThat(recorder.sent.get(sent)).contains("\"re\":\"r4\"");
        assertThat(session.begin("r1")).isTrue();
    }

    @Test
    void sessionsPerUserAreLimited() {
        registry.open(alice);
        registry.open(alice);
        assertThatThrownBy(() -> registry.open(alice))
                .isInstanceOfSatisfying(SessionRegistry.TooManySessionsException.class,
                        e -> assertThat(e.code()).isEqualTo("too_many_sessions"));
        registry.open(new Actor(new UserId("bob"), "Bob", Set.of(Role.PROVIDER)));
    }

    @Test
    void aDisabledUserIsBarredHereSessionsOpenAndResumingAlike() {
        SignalingSession open = registry.open(alice);
        Recorder connection = new Recorder();
        registry.attach(open, connection, 0, "hi");
        SignalingSession detached = registry.open(alice);

        assertThat(registry.bar(alice.user(), 4403, "account disabled")).isEqualTo(2);
        assertThat(connection.closedWith).isEqualTo(4403);
        assertThat(open.ended()).isTrue();
        assertThat(detached.ended()).isTrue();
        assertThat(ended).containsExactlyInAnyOrder(open, detached);
        // a hello authenticated just before the account changed is refused when it opens or resumes
        assertThatThrownBy(() -> registry.open(alice)).isInstanceOfSatisfying(
                SessionRegistry.AccountDisabledException.class, e -> assertThat(e.code()).isEqualTo("account_disabled"));
        assertThat(registry.size()).isZero();

        // the bar covers the race only: once it lapses, hellos meet the account's own flag (and the CLI may have
        // enabled the user, which this node never hears of)
        clock.advance(SessionRegistry.BAR);
        registry.open(alice);
        registry.expire();
        registry.bar(alice.user(), 4403, "account disabled");
        registry.unbar(alice.user());
        SignalingSession again = registry.open(alice);
        assertThat(again.ended()).isFalse();
        Actor bob = new Actor(new UserId("bob"), "Bob", Set.of(Role.PATIENT));
        SignalingSession bobs = registry.open(bob);
        registry.bar(alice.user(), 4403, "account disabled");
        assertThatThrownBy(() -> registry.resumable(again.id(), again.resumeToken(), alice.user()))
                .isInstanceOf(ResumeException.class);
        assertThat(bobs.ended()).isFalse();
    }

    @Test
    void aGoodbyeOnTheConnectionAnOperatorJustCutStillEndsTheSessionButNotOnceAnotherAttached() {
        SignalingSession session = registry.open(alice);
        Recorder first = new Recorder();
        registry.attach(session, first, 0, "hi");
        assertThat(session.leftBy(first)).isTrue();

        assertThat(registry.disconnect(session, 1012, "reconnect")).isTrue();
        assertThat(first.closedWith).isEqualTo(1012);
        assertThat(session.detachedSince()).isPresent();
        assertThat(session.leftBy(first)).as("its goodbye crossed the operator's cut").isTrue();
        assertThat(registry.disconnect(session, 1012, "reconnect")).as("nothing attached to cut").isFalse();

        Recorder second = new Recorder();
        registry.attach(session, second, 0, "hi again");
        assertThat(session.leftBy(first)).isFalse();
        assertThat(session.leftBy(second)).isTrue();
    }
}
