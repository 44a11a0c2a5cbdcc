/**
 * Where endpoints are and how core events reach them.
 *
 * <p>{@link io.telesignal.core.routing.Router} is the one entry point callers use: deliver an event to one
 * endpoint or to every endpoint of a user, wherever it is connected. Behind it sit two SPIs that the cluster
 * module replaces without touching callers: {@link io.telesignal.core.routing.EndpointRegistry} (which node
 * holds which endpoint; in memory here, Redis there) and {@link io.telesignal.core.routing.NodeLink} (carry an
 * event to another node; none in single-node mode). Front doors attach an
 * {@link io.telesignal.core.routing.EndpointSink} per connection to {@link io.telesignal.core.routing.LocalEndpoints}.
 *
 * <p>All SPI calls are asynchronous and safe on event loops. Must not touch: any wire format or transport.
 */
package io.telesignal.core.routing;
