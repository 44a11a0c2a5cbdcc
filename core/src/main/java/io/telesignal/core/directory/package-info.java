/**
 * The directory of users and their credentials, and the account operations on it.
 *
 * <p>{@link io.telesignal.core.directory.Directory} is the storage SPI (in memory here, JDBC in store). It only
 * ever sees derived credentials: {@link io.telesignal.core.directory.CredentialDeriver} turns a password into an
 * Argon2id (or PBKDF2) hash, SIP digest HA1 values (MD5 and SHA-256, RFC 8760) and SCRAM-SHA-256 keys
 * (RFC 7677) at the moment it is set, and the password is dropped. {@link io.telesignal.core.directory.Accounts}
 * is the service front doors and the CLI use; it audits every change.
 *
 * <p>Blocking: directory calls and password hashing block; run them on the worker pool, never on an event loop.
 */
package io.telesignal.core.directory;
