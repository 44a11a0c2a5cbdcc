package io.telesignal.net.websocket;

/** Callbacks of one connection, all on its event loop, in order. Must not block. */
public interface WebSocketHandler {
    void onText(String text);

    /**
     * A binary message; answers whether the protocol takes binary messages at all. By default it does not: the
     * connection is closed 1003.
     */
    default boolean onBinary(byte[] data) {
        return false;
    }

    /** The connection is gone: closed by either side ({@code code} from the close frame, 1006 if none). */
    void onClose(int code);
}
