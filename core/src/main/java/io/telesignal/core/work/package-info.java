/**
 * The bounded pool on which blocking work (JDBC, password hashing, JWKS fetches) runs, so that it never
 * runs on an event loop. Must not touch: anything but {@code java.util.concurrent}.
 */
package io.telesignal.core.work;
