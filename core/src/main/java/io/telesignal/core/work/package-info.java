/**
 * The bounded pool on which blocking work (JDBC, password hashing, JWKS fetches) runs, so that it never
 * runs on an event loop; per-key lanes over it; and {@link io.telesignal.core.work.Retries}, which tries work nobody
 * waits on again when the pool was busy. Must not touch: anything but {@code java.util.concurrent}.
 */
package io.telesignal.core.work;
