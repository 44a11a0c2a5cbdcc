package io.telesignal.signaling.rest;

import io.telesignal.core.consultation.Actor;

/**
 * Who calls the API: a user with an access token, or a platform backend with an API key. A key acts in the core as
 * a staff member named {@code apikey.<id>}: it may create, list, view and end consultations, provision users, issue
 * their tokens and manage their sessions as {@link io.telesignal.core.apikey.ApiKeyPolicy} allows, never act as an
 * administrator (it does not drain nodes).
 */
record Caller(Actor actor, boolean apiKey) {}
