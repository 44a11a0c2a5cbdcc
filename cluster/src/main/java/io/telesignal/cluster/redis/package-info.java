/**
 * Cluster mode: Redis (Lettuce) implementations of the shared-state SPIs that core defines — where endpoints are
 * ({@link io.telesignal.cluster.redis.RedisEndpointRegistry}), presence ({@link
 * io.telesignal.cluster.redis.RedisPresenceStore}), the nodes and their heartbeats ({@link
 * io.telesignal.cluster.redis.RedisNodeRegistry}), SIP location bindings ({@link
 * io.telesignal.cluster.redis.RedisLocationStore}) and the streams of resumable sessions ({@link
 * io.telesignal.cluster.redis.RedisSharedSessions}). Every change that must not race is one Lua script, so it is atomic
 * on the Redis server. What the relay path reads on every signal (where an endpoint is, a consultation's version) each
 * node keeps copies of, dropped when the script that changes it announces the change ({@link
 * io.telesignal.cluster.redis.NodeCopies}). Redis standalone, or a primary behind Sentinel; not Redis Cluster (the
 * scripts derive keys).
 * May use: core, Lettuce, Jackson. Must not touch: transports, wire formats, JDBC, the front doors.
 */
package io.telesignal.cluster.redis;
