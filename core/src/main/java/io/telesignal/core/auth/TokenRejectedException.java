package io.telesignal.core.auth;

import io.telesignal.core.DomainException;
import java.util.Locale;

/** A token that does not let its bearer in, and why. */
public final class TokenRejectedException extends DomainException {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** Not a JWT at all. */
        MALFORMED,
        /** {@code alg=none} or an encrypted token: only signed tokens are accepted. */
        UNSIGNED,
        /** Signed with an algorithm this server does not accept for that issuer. */
        UNSUPPORTED_ALGORITHM,
        /** The signature does not verify, or no key matches. */
        BAD_SIGNATURE,
        EXPIRED,
        /** {@code nbf} or {@code iat} lie in the future beyond the allowed clock skew. */
        NOT_YET_VALID,
        WRONG_ISSUER,
        WRONG_AUDIENCE,
        /** {@code sub}, {@code exp}, {@code iat}, {@code jti} or {@code roles} is missing or malformed. */
        INVALID_CLAIM,
        /** The issuer's keys could not be fetched. */
        KEYS_UNAVAILABLE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public TokenRejectedException(Reason reason) {
        super("token rejected: " + reason.wireName());
        this.reason = reason;
    }

    public TokenRejectedException(Reason reason, Throwable cause) {
        super("token rejected: " + reason.wireName(), cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String code() {
        return "token_" + reason.wireName();
    }
}
