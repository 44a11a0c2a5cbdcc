package io.telesignal.signaling.ws;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.telesignal.core.work.Failures;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An unexpected failure is logged without its message or trace at error level: they may quote request data. */
class UnexpectedFailureLogTest {
    private LogCapture log;

    @BeforeEach
    void capture() {
        log = new LogCapture("test.unexpected", Level.INFO);
    }

    @AfterEach
    void release() {
        log.close();
    }

    @Test
    void theErrorLineHasAnIdAndTheClassAndTheTraceOnlyAtDebug() {
        log.logger.setLevel(Level.INFO);
        RuntimeException leaky = new IllegalStateException("sdp v=0 s=Pat Doe's private note");
        String id = Failures.unexpected(log.logger, "event=ws_request outcome=error re=r1", new CompletionException(leaky));

        assertThat(id).matches("[0-9a-z]{1,13}");
        assertThat(log.events()).hasSize(1);
        ILoggingEvent line = log.events().get(0);
        assertThat(line.getLevel()).isEqualTo(Level.ERROR);
        assertThat(line.getFormattedMessage()).isEqualTo("event=ws_request outcome=error re=r1 error_id=" + id
                + " kind=java.lang.IllegalStateException");
        assertThat(line.getThrowableProxy()).as("no trace at error level").isNull();

        log.logger.setLevel(Level.DEBUG);
        String next = Failures.unexpected(log.logger, "event=ws_request outcome=error re=r2", leaky);
        assertThat(next).isNotEqualTo(id);
        assertThat(log.events()).hasSize(3);
        assertThat(log.events().get(2).getLevel()).isEqualTo(Level.DEBUG);
        assertThat(log.events().get(2).getFormattedMessage()).contains("error_id=" + next);
        assertThat(log.events().get(2).getThrowableProxy().getClassName()).isEqualTo("java.lang.IllegalStateException");
    }
}
