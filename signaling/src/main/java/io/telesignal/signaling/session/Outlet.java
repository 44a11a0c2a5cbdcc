package io.telesignal.signaling.session;

/** Where a session's messages go while a connection is attached. */
public interface Outlet {
    void send(String text);

    /** Closes the connection with a WebSocket close code. */
    void close(int code, String reason);

    /** Runs {@code task} once what the connection is doing now is done (on its event loop); at once by default. */
    default void later(Runnable task) {
        task.run();
    }
}
