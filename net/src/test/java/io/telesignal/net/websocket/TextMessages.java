package io.telesignal.net.websocket;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * A JDK WebSocket listener for tests: reassembles fragmented text into whole messages, hands each to a consumer,
 * and completes {@link #closed} with the close code (1006 when the connection failed without one).
 */
public class TextMessages implements WebSocket.Listener {
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final Consumer<String> whole;

    public TextMessages(Consumer<String> whole) {
        this.whole = whole;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            whole.accept(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(CloseCodes.ABNORMAL);
    }
}
