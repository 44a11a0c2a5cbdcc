package io.telesignal.xmpp.xml;

/**
 * A reason to end the stream with a stream error (RFC 6120 §4.9): the condition, and a short text for the peer that
 * never quotes what it sent.
 */
public final class StreamErrorException extends Exception {
    private final StreamErrorCondition condition;

    public StreamErrorException(StreamErrorCondition condition, String text) {
        super(text, null, false, false);
        this.condition = condition;
    }

    public StreamErrorCondition condition() {
        return condition;
    }
}
