package io.telesignal.signaling.session;

import io.telesignal.core.DomainException;

/** A resume that cannot be honoured; the client must start a new session. */
public final class ResumeException extends DomainException {
    private static final long serialVersionUID = 1L;
    private final String code;

    private ResumeException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** The session is unknown, ended, or its resume window lapsed. */
    public static ResumeException expired() {
        return new ResumeException("resume_expired", "session cannot be resumed: start a new one");
    }

    /** Messages were dropped because the buffer overflowed while the client was away. */
    public static ResumeException overflowed() {
        return new ResumeException("resume_overflow", "missed messages exceeded the resume buffer: start a new session");
    }

    /** The client claims a position the server cannot continue from. */
    public static ResumeException badPosition() {
        return new ResumeException("resume_position", "lastSeq is outside the session's stream");
    }

    @Override
    public String code() {
        return code;
    }
}
