package io.telesignal.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/** Replaces Logback's configuration with the one the server's configuration asks for. */
public final class LoggingSetup {
    public enum Target { STDOUT, STDERR }

    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} %-5level [%thread] %logger{24} %msg%n";

    private LoggingSetup() {}

    public static void configure(String format, String level, Target target) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        Encoder<ILoggingEvent> encoder;
        if ("json".equals(format)) {
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            json.setWithContext(false);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithArguments(false);
            // the message with its values filled in; the bare template would drop every id and port
            json.setWithFormattedMessage(true);
            json.setWithMessage(false);
            json.start();
            encoder = json;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setContext(context);
            text.setPattern(PATTERN);
            text.start();
            encoder = text;
        }
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setTarget(target == Target.STDOUT ? "System.out" : "System.err");
        console.setEncoder(encoder);
        console.start();

        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.INFO));
        root.addAppender(console);
        // libraries speak at INFO about things operators do not act on
        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        context.getLogger("io.netty").setLevel(Level.WARN);
    }
}
