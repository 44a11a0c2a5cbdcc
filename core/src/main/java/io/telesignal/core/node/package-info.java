/**
 * Nodes of a cluster and their liveness. {@link io.telesignal.core.node.NodeRegistry} is the SPI (in memory for a
 * single node, Redis in cluster mode): each node beats its heartbeat; a node whose heartbeat is older than the
 * configured limit is dead, and after a grace one of the others (exactly one, through a claim) cleans up what it held.
 * May use: identity. Must not touch: transports, wire formats, JDBC.
 */
package io.telesignal.core.node;
