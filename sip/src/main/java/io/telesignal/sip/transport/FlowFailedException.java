package io.telesignal.sip.transport;

/**
 * A flow could not be had: a connection the peer opened is closed (only the peer can open it again: RFC 5626 §5.3,
 * which the proxy answers 430 Flow Failed), or a new one could not be opened (RFC 3261 §16.9: as a 503).
 */
public final class FlowFailedException extends RuntimeException {
    private final boolean gone;

    public FlowFailedException(String message, boolean gone) {
        super(message, null, false, false);
        this.gone = gone;
    }

    /** Whether an inbound flow has gone (430), rather than a connection that could not be opened (503). */
    public boolean gone() {
        return gone;
    }
}
