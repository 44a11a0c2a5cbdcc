package io.telesignal.core.auth;

import io.telesignal.core.identity.Role;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A verified token's meaning.
 *
 * @param issuer   who issued it
 * @param subject  for this server's tokens the user id; for an external issuer's the login named by its
 *                 login claim (callers resolve either through the directory)
 * @param external whether an external issuer signed it
 * @param roles    roles asserted by this server's tokens (empty for external ones; the directory decides)
 * @param id       {@code jti}, for single-use tokens and revocation
 */
public record AccessToken(String issuer, String subject, boolean external, Set<Role> roles, Instant issuedAt,
        Instant expiresAt, String id) {
    public AccessToken {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(id, "id");
        roles = Set.copyOf(roles);
    }
}
