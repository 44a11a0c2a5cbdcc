/**
 * Access tokens: signed JWTs (Nimbus JOSE+JWT) the server issues for its users, and validation of tokens
 * from an external issuer through its JWKS.
 *
 * <p>Every rejection carries a {@link io.telesignal.core.auth.TokenRejectedException.Reason}; nothing here
 * matches library messages. Clock injected; the only blocking call is a JWKS fetch for external tokens.
 * Must not touch: the directory (callers resolve the subject), wire formats.
 */
package io.telesignal.core.auth;
