/**
 * Secrets on disk (private keys, token secrets, the data directory that holds password-equivalent data): created
 * readable by the owner only, written whole or not at all; the keyed MAC and the hash servers keep of secrets
 * ({@link io.telesignal.core.secrets.HmacSha256}, {@link io.telesignal.core.secrets.Sha256}). Must not touch: what the
 * secrets are.
 */
package io.telesignal.core.secrets;
