package io.telesignal.signaling.ws;

/** Close codes of {@code telesignal.v1} (RFC 6455 §7.4.2 private range); documented in docs/protocol.md. */
public final class CloseCode {
    /** RFC 6455's "service restart": the server cut the connection and keeps the session; resume at once. */
    public static final int RECONNECT = 1012;
    /** The first message was not a valid hello. */
    public static final int BAD_REQUEST = 4400;
    /** The token was refused or names no user. */
    public static final int UNAUTHORIZED = 4401;
    /** The user is disabled or may not open another session. */
    public static final int FORBIDDEN = 4403;
    /** No hello within the hello timeout. */
    public static final int HELLO_TIMEOUT = 4408;
    /** The session was resumed on another connection. */
    public static final int REPLACED = 4409;
    /** An operator ended the session; do not resume. */
    public static final int ENDED = 4410;
    /** The client stopped acknowledging and its buffer overflowed. */
    public static final int OVERFLOW = 4413;
    /** Too many messages too fast. */
    public static final int RATE_LIMITED = 4429;

    private CloseCode() {}
}
