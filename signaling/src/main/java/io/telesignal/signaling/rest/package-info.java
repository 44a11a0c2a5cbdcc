/**
 * The REST API under {@code /api/v1} (docs/api.md): password sign-in, tokens for a platform's users (API key),
 * consultations. Requests are authenticated here (API key or access token); what a caller may do is decided by
 * the core. Blocking work runs on the worker pool. Must not touch: the WebSocket protocol.
 */
package io.telesignal.signaling.rest;
