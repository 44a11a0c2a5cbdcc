package io.telesignal.net.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The acceptor and I/O event loops of one server, shared by all its listeners, on one transport: Linux's native
 * epoll where it loads (fewer system calls and no selector garbage), Java NIO elsewhere. One server owns one
 * instance; two servers in one JVM (cluster tests) each have their own.
 */
public final class EventLoops implements AutoCloseable {
    /** Which transport to use; {@code AUTO} picks epoll when it is available. */
    public enum Transport {
        AUTO, EPOLL, NIO;

        public static Transport fromName(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    private final Transport transport;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup io;

    public EventLoops(int ioThreads) {
        this(ioThreads, Transport.AUTO);
    }

    /** @throws IllegalStateException when {@code EPOLL} is asked for and cannot be loaded here */
    public EventLoops(int ioThreads, Transport wanted) {
        this.transport = switch (wanted) {
            case AUTO -> Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO;
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("the epoll transport is not available here: "
                            + Epoll.unavailabilityCause());
                }
                yield Transport.EPOLL;
            }
            case NIO -> Transport.NIO;
        };
        Supplier<IoHandlerFactory> handlers = transport == Transport.EPOLL ? EpollIoHandler::newFactory
                : NioIoHandler::newFactory;
        this.acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("accept"), handlers.get());
        this.io = new MultiThreadIoEventLoopGroup(ioThreads, new DefaultThreadFactory("io"), handlers.get());
    }

    /** The transport in use: {@code EPOLL} or {@code NIO}. */
    public Transport transport() {
        return transport;
    }

    /** The server channel class for {@code ServerBootstrap.channel}. */
    public Class<? extends ServerChannel> serverChannel() {
        return transport == Transport.EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The datagram channel class for {@code Bootstrap.channel} (UDP listeners). */
    public Class<? extends io.netty.channel.socket.DatagramChannel> datagramChannel() {
        return transport == Transport.EPOLL ? io.netty.channel.epoll.EpollDatagramChannel.class
                : io.netty.channel.socket.nio.NioDatagramChannel.class;
    }

    /** The client socket channel class for {@code Bootstrap.channel} (outbound connections). */
    public Class<? extends io.netty.channel.socket.SocketChannel> socketChannel() {
        return transport == Transport.EPOLL ? io.netty.channel.epoll.EpollSocketChannel.class
                : io.netty.channel.socket.nio.NioSocketChannel.class;
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
