/**
 * The JDBC store: Flyway migrations and JDBC implementations of the core's directory and audit SPIs, on H2
 * (embedded, the single-node default) or PostgreSQL (cluster mode).
 *
 * <p>Patient data at rest: {@link io.telesignal.store.FieldCipher} seals chat text and display names (AES-256-GCM,
 * bound to their row) under data keys that {@link io.telesignal.store.DataKeys} keeps wrapped by a key-encryption key
 * the caller hands in (never stored here); {@link io.telesignal.store.H2Encryption} encrypts the embedded file.
 *
 * <p>Everything here blocks: callers run it on the worker pool or the audit writer, never on an event loop.
 * SQL is portable across both databases; database errors are told apart by SQLState or vendor code,
 * never by message text. Must not touch: Netty, protocol modules, configuration files.
 */
package io.telesignal.store;
