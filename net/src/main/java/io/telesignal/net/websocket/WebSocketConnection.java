package io.telesignal.net.websocket;

import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;

/** One open WebSocket, as a front door sees it. Thread-safe; sends are queued on the connection's event loop. */
public interface WebSocketConnection {
    /** Queues a text message; answers false when the connection is closed. */
    boolean send(String text);

    /** Whether the socket's outbound buffer is below its high-water mark. */
    boolean isWritable();

    /** Sends a close frame with the code and reason (RFC 6455 §7.4), then closes. */
    void close(int code, String reason);

    /** Drops the TCP connection without a close frame, as a network failure would. */
    void abort();

    boolean isOpen();

    InetSocketAddress remoteAddress();

    /**
     * Runs {@code task} on the loop this connection is on when the task runs, after {@code delay} (zero: once the loop
     * has done what it was asked before): a task queued before the connection {@link #moveTo moved} runs on the loop
     * it moved to. Dropped when the server is stopping.
     */
    void execute(Runnable task, java.time.Duration delay);

    /** The event loop all of this connection's callbacks run on; it changes when the connection {@link #moveTo moves}. */
    EventLoop eventLoop();

    /**
     * Moves the connection to another event loop of the server's group, called on its own loop; its callbacks run
     * there from the next turn on. Answers whether it is moving (not when closing, already moving, or already there).
     */
    boolean moveTo(EventLoop target);
}
