package io.telesignal.signaling.ws;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.ConsultationException;
import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.testkit.MutableClock;
import io.telesignal.core.work.BusyException;
import io.telesignal.signaling.protocol.ProtocolCodec;
import io.telesignal.signaling.session.SessionRegistry;
import io.telesignal.signaling.session.SessionSettings;
import io.telesignal.signaling.session.SignalingSession;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a failed leave at session end logs: ids and a code, at debug when moot, as a warning when not. */
class LeaveFailedLogTest {
    private LogCapture log;
    private final SignalingSession session = new SessionRegistry(new SessionSettings(Duration.ofSeconds(10), 5,
            10_000, 3, 2), new ProtocolCodec(), event -> Optional.empty(), MutableClock.atEpochDay(), s -> { })
            .open(new Actor(new UserId("u1"), "Pat Doe", Set.of(Role.PATIENT)));
    private final ConsultationId consultation = new ConsultationId("c1");

    @BeforeEach
    void capture() {
        log = new LogCapture(SignalingFrontDoor.class.getName(), Level.DEBUG);
    }

    @AfterEach
    void release() {
        log.close();
    }

    @Test
    void aLeaveFromAConsultationThatEndedOrDeniedUsIsMoot() {
        SignalingFrontDoor.leaveFailed(session, consultation, new CompletionException(new ConsultationException(
                ConsultationException.Reason.CONSULTATION_ENDED, "ended")));
        SignalingFrontDoor.leaveFailed(session, consultation, new ConsultationException(
                ConsultationException.Reason.NOT_AUTHORIZED, "denied"));

        assertThat(log.events()).extracting(ILoggingEvent::getLevel).containsExactly(Level.DEBUG, Level.DEBUG);
        assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "event=ws_session_leave outcome=moot session=" + session.id() + " consultation=c1 code=consultation_ended",
                "event=ws_session_leave outcome=moot session=" + session.id() + " consultation=c1 code=not_authorized");
    }

    @Test
    void aLeaveThatCouldNotRunIsAWarningWithItsCodeAndNoName() {
        SignalingFrontDoor.leaveFailed(session, consultation, new CompletionException(new BusyException()));
        SignalingFrontDoor.leaveFailed(session, consultation, new ConsultationException(
                ConsultationException.Reason.CONFLICT, "kept changing"));
        SignalingFrontDoor.leaveFailed(session, consultation, new IllegalStateException("Pat Doe's bug"));

        assertThat(log.events()).extracting(ILoggingEvent::getLevel).containsOnly(Level.WARN);
        assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "event=ws_session_leave outcome=failed session=" + session.id() + " consultation=c1 code=busy",
                "event=ws_session_leave outcome=failed session=" + session.id() + " consultation=c1 code=conflict",
                "event=ws_session_leave outcome=failed session=" + session.id()
                        + " consultation=c1 code=IllegalStateException");
        assertThat(log.events()).noneMatch(e -> e.getFormattedMessage().contains("Pat Doe")
                || e.getThrowableProxy() != null);
    }

    @Test
    void aBusyPoolOrAConsultationThatKeptChangingIsWorthAnotherAttemptAndNothingElseIs() {
        assertThat(SignalingFrontDoor.passing(new BusyException())).isTrue();
        assertThat(SignalingFrontDoor.passing(new CompletionException(new BusyException()))).isTrue();
        assertThat(SignalingFrontDoor.passing(new CompletionException(new ConsultationException(
                ConsultationException.Reason.CONFLICT, "kept changing")))).isTrue();
        assertThat(SignalingFrontDoor.passing(new ConsultationException(
                ConsultationException.Reason.CONSULTATION_ENDED, "ended"))).isFalse();
        assertThat(SignalingFrontDoor.passing(new ConsultationException(
                ConsultationException.Reason.NOT_AUTHORIZED, "denied"))).isFalse();
        assertThat(SignalingFrontDoor.passing(new IllegalStateException("a bug"))).isFalse();
    }
}
