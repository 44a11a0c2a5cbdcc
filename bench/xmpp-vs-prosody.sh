#!/usr/bin/env bash
# XMPP benchmark, telesignal side by side with Prosody in one run (issue 18; docs/performance.md).
#
# The same load client (bench module, io.telesignal.bench.xmpp) against, one after the other on this machine:
#   Prosody with its archive off, telesignal with its message archive (MAM) on and writing to its store, Prosody with
#   its archive on (mod_mam, its default storage).
# Each gets: pairs of online users exchanging chat messages closed loop (50 pairs, 8 in flight per pair, 5 s warm-up,
# 20 s measured; nothing may be lost, duplicated or reordered), clients signing in (TCP, STARTTLS, SCRAM-SHA-1, bind,
# presence) for 10 s, and 2,000 idle authenticated sessions for the memory figure. Server CPU comes from /proc.
#
# Usage: bench/xmpp-vs-prosody.sh [options of the Java bench: --pairs N --window N --seconds N --idle-sessions N
#                                  --heap 1g --work-dir DIR ...; --help lists them]
# Needs: ./mvnw -B -q package -DskipTests (server and bench jars), Java 17, prosody and openssl (installed with
# apt-get when missing and running as root). Loopback only; every phase is bounded in count and time.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
for jar in "$ROOT/server/target/telesignal.jar" "$ROOT/bench/target/telesignal-bench.jar"; do
    [ -f "$jar" ] || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 2; }
done
if ! command -v prosody >/dev/null || ! command -v openssl >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y prosody openssl >/dev/null
        # Debian starts it as a service on 5222: the bench runs its own on free ports
        systemctl stop prosody 2>/dev/null || service prosody stop 2>/dev/null || true
    else
        echo "needs prosody and openssl: apt-get install prosody openssl" >&2; exit 2
    fi
fi
cd "$ROOT"
exec java -cp bench/target/telesignal-bench.jar io.telesignal.bench.xmpp.XmppBench "$@"
