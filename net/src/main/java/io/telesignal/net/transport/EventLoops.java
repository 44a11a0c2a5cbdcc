package io.telesignal.net.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The acceptor and I/O event loops of one server, shared by all its listeners. One server owns one
 * instance; two servers in one JVM (cluster tests) each have their own.
 */
public final class EventLoops implements AutoCloseable {
    private final EventLoopGroup acceptor;
    private final EventLoopGroup io;

    public EventLoops(int ioThreads) {
        this.acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("accept"), NioIoHandler.newFactory());
        this.io = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("io"), NioIoHandler.newFactory());
    }

    public EventLoopGroup acceptor() {
        return acceptor;
    }

    public EventLoopGroup io() {
        return io;
    }

    /** Stops the loops after letting queued tasks run, waiting at most {@code timeout}. */
    public void shutdown(Duration timeout) {
        long quiet = Math.min(100, timeout.toMillis());
        acceptor.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS);
        io.shutdownGracefully(quiet, timeout.toMillis(), TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(timeout.toMillis() + 1000);
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }
}
