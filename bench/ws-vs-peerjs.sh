#!/usr/bin/env bash
# WebSocket signaling benchmark, telesignal side by side with the PeerJS server in one run (issue 19;
# docs/performance.md).
#
# The same load client (bench module) against, one after the other on this machine, each started fresh:
#   the floor (io.telesignal.bench.FloorRelay: a bare Netty relay passing each frame on unparsed), the PeerJS server
#   (npm peer 1.0.2, run with Node as its peerjs command runs it) and telesignal (embedded defaults, H2),
# over ws and wss (one EC P-256 certificate for all three). Each gets 50 provider-patient pairs relaying a call's
# signaling closed loop (window 8: 2.2 KiB offers and answers, 4 trickled candidates per description), 20 s warm-up
# (a JVM's JIT compiler is still busy for about 15 s under this load on two shared cores; Node's settles sooner),
# 20 s measured; nothing may be lost, duplicated or reordered. Then a storm of 5,000 connections (500 handshakes in
# flight) against PeerJS and telesignal, the idle memory per connection, and the same 5,000 connecting again.
# Server CPU comes from /proc. Prints every figure and the ratios.
#
# Usage: bench/ws-vs-peerjs.sh [--pairs N --window N --seconds 20s --rounds N --transports ws,wss --storm N
#                               --work-dir DIR --report FILE ...; --help lists them]
# Needs: ./mvnw -B -q package -DskipTests (server and bench jars), Java 17, Node.js and npm (the PeerJS server is
# installed from the npm registry into bench/target/peerjs on first use), openssl. Loopback only; every phase is
# bounded in count and time.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEERJS_VERSION=1.0.2
for jar in "$ROOT/server/target/telesignal.jar" "$ROOT/bench/target/telesignal-bench.jar"; do
    [ -f "$jar" ] || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 2; }
done
command -v node >/dev/null && command -v npm >/dev/null || { echo "needs Node.js and npm" >&2; exit 2; }
command -v openssl >/dev/null || { echo "needs openssl" >&2; exit 2; }
PEERJS_DIR="$ROOT/bench/target/peerjs"
if [ ! -f "$PEERJS_DIR/node_modules/peer/package.json" ] \
        || ! grep -q "\"version\": \"$PEERJS_VERSION\"" "$PEERJS_DIR/node_modules/peer/package.json"; then
    mkdir -p "$PEERJS_DIR"
    npm install --prefix "$PEERJS_DIR" --no-audit --no-fund --loglevel=error "peer@$PEERJS_VERSION" >/dev/null
fi
cd "$ROOT"
exec java -cp bench/target/telesignal-bench.jar io.telesignal.bench.VsPeerJs --peerjs-dir "$PEERJS_DIR" "$@"
