/**
 * The REST API under {@code /api/v1} (docs/api.md), one class per resource: sign-in and tokens, users,
 * consultations (with their invites), invite redemption, this node's sessions. {@link
 * io.telesignal.signaling.rest.RestSupport} is what they share: requests are authenticated there (API key or access
 * token) and failures mapped to statuses and codes; what a caller may do is decided by the core. Blocking work runs on
 * the worker pool. Must not touch: the WebSocket protocol.
 */
package io.telesignal.signaling.rest;
