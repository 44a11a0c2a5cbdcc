package io.telesignal.signaling.ws;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** What one logger writes during a test, at a level the test sets; {@link #close} puts the logger back. */
final class LogCapture implements AutoCloseable {
    final Logger logger;
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Level before;

    LogCapture(String name, Level level) {
        logger = (Logger) LoggerFactory.getLogger(name);
        before = logger.getLevel();
        logger.setLevel(level);
        logged.start();
        logger.addAppender(logged);
    }

    List<ILoggingEvent> events() {
        return logged.list;
    }

    @Override
    public void close() {
        logger.detachAppender(logged);
        logger.setLevel(before);
    }
}
