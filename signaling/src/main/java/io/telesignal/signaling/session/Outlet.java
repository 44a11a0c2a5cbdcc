package io.telesignal.signaling.session;

/** Where a session's messages go while a connection is attached. */
public interface Outlet {
    void send(String text);

    /** Closes the connection with a WebSocket close code. */
    void close(int code, String reason);

    /**
     * Runs {@code task} on the connection's event loop after {@code delay}, or once what it is doing now is done when
     * the delay is zero; at once by default.
     */
    default void later(Runnable task, java.time.Duration delay) {
        task.run();
    }
}
