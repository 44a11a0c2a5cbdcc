package io.telesignal.core.invite;

import io.telesignal.core.DomainException;

/** An invite that does not let its holder in: {@code invite_invalid} (forged, expired, wrong kind) or {@code invite_used}. */
public final class InviteException extends DomainException {
    private static final long serialVersionUID = 1L;
    private final String code;

    private InviteException(String code, String message) {
        super(message);
        this.code = code;
    }

    public static InviteException invalid() {
        return new InviteException("invite_invalid", "the invite is not valid or has expired");
    }

    public static InviteException used() {
        return new InviteException("invite_used", "the invite was used already");
    }

    @Override
    public String code() {
        return code;
    }
}
