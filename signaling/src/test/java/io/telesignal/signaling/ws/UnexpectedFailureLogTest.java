package io.telesignal.signaling.ws;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.telesignal.core.work.Failures;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An unexpected failure is logged without its message or trace at error level: they may quote request data. */
class UnexpectedFailureLogTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger("test.unexpected");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private Level before;

    @BeforeEach
    void capture() {
        before = logger.getLevel();
        logged.start();
        logger.addAppender(logged);
    }

    @AfterEach
    void release() {
        logger.detachAppender(logged);
        logger.setLevel(before);
    }

    @Test
    void theErrorLineHasAnIdAndTheClassAndTheTraceOnlyAtDebug() {
        logger.setLevel(Level.INFO);
        RuntimeException leaky = new IllegalStateException("sdp v=0 s=Pat Doe's private note");
        String id = Failures.unexpected(logger, "event=ws_request outcome=error re=r1", new CompletionException(leaky));

        assertThat(id).matches("[0-9a-z]{1,13}");
        assertThat(logged.list).hasSize(1);
        ILoggingEvent line = logged.list.get(0);
        assertThat(line.getLevel()).isEqualTo(Level.ERROR);
        assertThat(line.getFormattedMessage()).isEqualTo("event=ws_request outcome=error re=r1 error_id=" + id
                + " kind=java.lang.IllegalStateException");
        assertThat(line.getThrowableProxy()).as("no trace at error level").isNull();

        logger.setLevel(Level.DEBUG);
        String next = Failures.unexpected(logger, "event=ws_request outcome=error re=r2", leaky);
        assertThat(next).isNotEqualTo(id);
        assertThat(logged.list).hasSize(3);
        assertThat(logged.list.get(2).getLevel()).isEqualTo(Level.DEBUG);
        assertThat(logged.list.get(2).getFormattedMessage()).contains("error_id=" + next);
        assertThat(logged.list.get(2).getThrowableProxy().getClassName()).isEqualTo("java.lang.IllegalStateException");
    }
}
