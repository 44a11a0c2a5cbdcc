/**
 * Secrets on disk (private keys, token secrets, the data directory that holds password-equivalent data): created
 * readable by the owner only, written whole or not at all. Must not touch: what the secrets are.
 */
package io.telesignal.core.secrets;
