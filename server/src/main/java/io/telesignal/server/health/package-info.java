/**
 * Operational endpoints: {@code /healthz} (the process answers), {@code /readyz} (every listener bound and the
 * store answering; not while stopping) and {@code /metrics} (Prometheus text, on the management listener only,
 * behind {@link io.telesignal.server.health.BearerGuard} when a secret is set). Checks that block run on the
 * worker pool with a deadline. Must not touch: domain logic.
 */
package io.telesignal.server.health;
