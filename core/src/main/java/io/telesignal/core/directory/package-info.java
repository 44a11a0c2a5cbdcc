/**
 * The directory of users and their credentials, and the account operations on it.
 *
 * <p>{@link io.telesignal.core.directory.Directory} is the storage SPI (in memory here, JDBC in store). It only
 * ever sees a password's Argon2id (or PBKDF2) hash, made the moment it is set; the password is dropped. Nothing
 * fast to crack is derived from an account password: SIP digest and SCRAM material comes from device passwords
 * ({@link io.telesignal.core.device}). {@link io.telesignal.core.directory.Accounts}
 * is the service front doors and the CLI use; it audits every change.
 *
 * <p>Blocking: directory calls and password hashing block; run them on the worker pool, never on an event loop.
 */
package io.telesignal.core.directory;
