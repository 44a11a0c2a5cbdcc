/**
 * telesignal bench: the load generator behind docs/performance.md.
 *
 * <p>Owns the whole run of a benchmark: starting the packaged server jar in a child JVM with a heap limit
 * ({@link io.telesignal.bench.ServerProcess}), provisioning users, consultations and tokens over the public REST
 * API ({@link io.telesignal.bench.Provisioning}), opening the WebSocket sessions and relaying numbered call
 * signaling between the two sides of each consultation ({@link io.telesignal.bench.LoadRun},
 * {@link io.telesignal.bench.Pair}, {@link io.telesignal.bench.Peer}), and reporting throughput, latency and
 * anything lost, duplicated, reordered or refused ({@link io.telesignal.bench.Bench}). The WebSocket comparison
 * ({@link io.telesignal.bench.VsPeerJs}, {@code bench/ws-vs-peerjs.sh}) drives the same pairs against the PeerJS
 * server from npm and a bare Netty relay ({@link io.telesignal.bench.FloorRelay}) in their protocol
 * ({@link io.telesignal.bench.PeerJsPeer}), started as processes of their own ({@link io.telesignal.bench.RelayProcess}).
 *
 * <p>May use: Netty (client), Jackson, picocli, HdrHistogram.
 * Must not touch: any other telesignal module. It is a black box test of the server: it speaks only the
 * documented protocol, so what it measures is what a platform's clients would see.
 */
package io.telesignal.bench;
