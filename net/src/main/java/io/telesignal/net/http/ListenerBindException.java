package io.telesignal.net.http;

/** A listener could not bind its address (in use, not local, or not permitted). */
public final class ListenerBindException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String listener;

    public ListenerBindException(String listener, String host, int port, Throwable cause) {
        super("listener " + listener + " cannot bind " + host + ":" + port + " ("
                + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + ")", cause);
        this.listener = listener;
    }

    /** The listener's name ({@code http}, {@code management}). */
    public String listener() {
        return listener;
    }
}
