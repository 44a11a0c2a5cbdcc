package io.telesignal.net.websocket;

/** Callbacks of one connection, all on its event loop, in order. Must not block. */
public interface WebSocketHandler {
    void onText(String text);

    /** The connection is gone: closed by either side ({@code code} from the close frame, 1006 if none). */
    void onClose(int code);
}
