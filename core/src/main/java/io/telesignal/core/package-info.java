/**
 * telesignal core: the protocol-neutral domain.
 *
 * <p>Owns users and roles ({@code identity}), the directory and credential derivation ({@code directory}),
 * access tokens ({@code auth}), presence ({@code presence}), endpoint registry and delivery ({@code routing}),
 * the hash-chained audit trail ({@code audit}), the bounded pool for blocking work ({@code work}) and the one reading
 * of durations as people write them ({@code Durations}).
 * Every piece of state shared between nodes sits behind an SPI with an in-memory implementation here;
 * JDBC implementations live in the store module, Redis ones in the cluster module.
 *
 * <p>May use: the JDK, SLF4J, Nimbus JOSE+JWT, Bouncy Castle's lightweight crypto.
 * Must not touch: Netty, JDBC, Redis, Jackson databind, or any wire format.
 */
package io.telesignal.core;
