#!/usr/bin/env bash
# SIP benchmark, telesignal side by side with Kamailio in one run (issue 17; docs/performance.md).
#
# Both servers run at once on loopback, each a registrar with digest auth for REGISTER and a transaction-stateful proxy
# that record-routes. The same sipp scenarios (bench/sipp) are offered to each at rising rates, the two servers
# alternating step by step so that the machine's drift falls on both alike:
#   register  REGISTER with digest auth (401, then 200), one phone refreshing its binding;
#   calls     INVITE, 180, 200, ACK, BYE through the proxy to a registered sipp phone (UDP).
# A step is sustained when sipp finishes in time (its duration plus 5 s), at least 95 % of the offered rate completes,
# under 0.1 % of the calls fail and under 1 % of the requests are retransmissions. A server stops climbing after two
# steps in a row that it does not sustain; its figure is the highest sustained step's achieved rate. The script prints
# both and their ratio (telesignal / Kamailio).
#
# Usage: bench/sip-vs-kamailio.sh [--register-rates "6000 8000 ..."] [--call-rates "1000 1500 ..."]
#                                 [--step-seconds 10] [--heap 2g] [--work-dir DIR]
# Needs: server/target/telesignal.jar (./mvnw -B -q package -DskipTests), Java 17, sipp and kamailio (installed with
# apt-get when missing and running as root). Loopback only; every step is bounded by its call count and by time.
set -euo pipefail

REGISTER_RATES="6000 8000 10000 12000 13000 14000 15000 16000 18000"
CALL_RATES="1000 1500 2000 2500 3000 3500 4000 4500 5000 6000"
STEP=10
HEAP=2g
WORK=""
while [ $# -gt 0 ]; do
    case "$1" in
        --register-rates) REGISTER_RATES="$2"; shift 2 ;;
        --call-rates) CALL_RATES="$2"; shift 2 ;;
        --step-seconds) STEP="$2"; shift 2 ;;
        --heap) HEAP="$2"; shift 2 ;;
        --work-dir) WORK="$2"; shift 2 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/server/target/telesignal.jar"
SCENARIOS="$ROOT/bench/sipp"
[ -f "$JAR" ] || { echo "build the server first: ./mvnw -B -q package -DskipTests" >&2; exit 2; }
if ! command -v sipp >/dev/null || ! command -v kamailio >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y sip-tester kamailio >/dev/null
    else
        echo "needs sipp and kamailio: apt-get install sip-tester kamailio" >&2; exit 2
    fi
fi
WORK=${WORK:-$(mktemp -d /tmp/sip-bench.XXXXXX)}
mkdir -p "$WORK"
PASSWORD="bench-device-password-0123456789"
TS_PORT=25160; KAM_PORT=25260; HTTP_PORT=25180
PIDS=()
cleanup() {
    pkill -f "sipp 127.0.0.1:($TS_PORT|$KAM_PORT)" 2>/dev/null || true
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$WORK/kamailio.pid" ] && kill "$(cat "$WORK/kamailio.pid")" 2>/dev/null || true
}
trap cleanup EXIT

echo "work directory: $WORK"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), $(sipp -v 2>&1 | grep -o 'SIPp v[^ ]*'), $(kamailio -v | head -1)"

# --- telesignal: users u1 (the registering phone) and u2 (the phone that answers calls), one device password each
TS_DATA="$WORK/telesignal"
for user in u1 u2; do
    java -jar "$JAR" user add "$user" --name "$user" --roles provider --data-dir "$TS_DATA" >/dev/null 2>&1
    printf '%s' "$PASSWORD" | java -jar "$JAR" device create "$user" --label bench --password-stdin \
        --data-dir "$TS_DATA" >/dev/null 2>&1
done
# sipp is one address sending for many phones: the per-address flood limit is raised, as for an SBC
TELESIGNAL_HTTP_PORT=$HTTP_PORT TELESIGNAL_HTTP_HOST=127.0.0.1 TELESIGNAL_HTTP_TLS=false TELESIGNAL_MANAGEMENT_PORT=0 \
TELESIGNAL_SIP_ENABLED=true TELESIGNAL_SIP_HOST=127.0.0.1 TELESIGNAL_SIP_UDP_PORT=$TS_PORT \
TELESIGNAL_SIP_TCP_PORT=$TS_PORT TELESIGNAL_SIP_TLS=false TELESIGNAL_SIP_WEB_SOCKET=false \
TELESIGNAL_SIP_RATE_PER_ADDRESS=1000000 TELESIGNAL_SIP_BURST_PER_ADDRESS=1000000 \
TELESIGNAL_SIP_DIGEST_ALGORITHMS=MD5,SHA-256 \
    java -Xms"$HEAP" -Xmx"$HEAP" -jar "$JAR" serve --data-dir "$TS_DATA" >"$WORK/telesignal.log" 2>&1 &
PIDS+=($!)

# --- Kamailio: the same users and password (db_text, read into memory), locations in memory, default children (8)
KAM="$WORK/kamailio"
mkdir -p "$KAM/db"
printf 'table_name(string) table_version(int)\nsubscriber:7\n' >"$KAM/db/version"
{
    echo 'id(int,auto) username(string) domain(string) password(string) ha1(string,null) ha1b(string,null)'
    echo "1:u1:127.0.0.1:$PASSWORD::"
    echo "2:u2:127.0.0.1:$PASSWORD::"
} >"$KAM/db/subscriber"
cat >"$KAM/kamailio.cfg" <<EOF
#!KAMAILIO
# A registrar with digest auth for REGISTER and a transaction-stateful proxy that record-routes.
debug=0
log_stderror=no
fork=yes
children=8
auto_aliases=no
listen=udp:127.0.0.1:$KAM_PORT
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "tmx.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "db_text.so"
loadmodule "auth.so"
loadmodule "auth_db.so"
modparam("usrloc", "db_mode", 0)
modparam("auth_db", "db_url", "text://$KAM/db")
modparam("auth_db", "calculate_ha1", yes)
modparam("auth_db", "password_column", "password")
modparam("auth_db", "load_credentials", "")

request_route {
    if (!mf_process_maxfwd_header("10")) {
        sl_send_reply("483", "Too Many Hops");
        exit;
    }
    if (has_totag()) {
        if (loose_route()) {
            t_relay();
            exit;
        }
        if (is_method("ACK")) {
            if (t_check_trans()) {
                t_relay();
            }
            exit;
        }
        sl_send_reply("404", "Not here");
        exit;
    }
    if (is_method("CANCEL")) {
        if (t_check_trans()) {
            t_relay();
        }
        exit;
    }
    t_check_trans();
    if (is_method("REGISTER")) {
        if (!auth_check("\$fd", "subscriber", "1")) {
            auth_challenge("\$fd", "1");
            exit;
        }
        if (!save("location")) {
            sl_reply_error();
        }
        exit;
    }
    if (is_method("INVITE|SUBSCRIBE")) {
        record_route();
    }
    if (!lookup("location")) {
        sl_send_reply("404", "Not Found");
        exit;
    }
    t_relay();
}
EOF
kamailio -f "$KAM/kamailio.cfg" -P "$WORK/kamailio.pid" -m 256 -M 32 >"$WORK/kamailio.log" 2>&1

for i in $(seq 1 120); do
    grep -q "event=server_started" "$WORK/telesignal.log" 2>/dev/null && break
    sleep 0.5
done
grep -q "event=server_started" "$WORK/telesignal.log" || { echo "telesignal did not start" >&2; exit 1; }

# sipp's socket buffers are raised (4 MiB, within net.core.rmem_max): the load generator must not be what drops
SIPP=(sipp -i 127.0.0.1 -t u1 -buff_size 4194304 -nd -nostdin)

# one step: scenario, server port, rate; prints "achieved failed retrans total ok" (ok: 1 when sustained)
step() {
    local scenario="$1" port="$2" rate="$3" name="$4" extra=("${@:5}")
    local calls=$((rate * STEP)) out="$WORK/${name//[^A-Za-z0-9]/_}-$port-$rate.out"
    local start end
    start=$(date +%s.%N)
    timeout $((STEP + 20)) "${SIPP[@]}" "127.0.0.1:$port" -sf "$SCENARIOS/$scenario" -p $((port + 11)) -r "$rate" \
        -m "$calls" -timeout $((STEP + 15))s "${extra[@]}" >"$out" 2>&1 || true
    end=$(date +%s.%N)
    local ok fail sent retrans
    ok=$(grep -E "Successful call" "$out" | tail -1 | awk -F'|' '{gsub(/ /,"",$3); print $3+0}')
    fail=$(grep -E "Failed call" "$out" | tail -1 | awk -F'|' '{gsub(/ /,"",$3); print $3+0}')
    read -r sent retrans < <(awk '/Messages  Retrans/{f=1; next}
        f && /---------->/{for (i = 1; i <= NF; i++) if ($i == "---------->") {s += $(i + 1); r += $(i + 2)}}
        END{print s+0, r+0}' "$out")
    python3 - "$ok" "$fail" "$sent" "$retrans" "$calls" "$rate" "$start" "$end" "$STEP" <<'PY'
import sys
ok, fail, sent, retrans, calls, rate = (int(float(x)) for x in sys.argv[1:7])
start, end, step = float(sys.argv[7]), float(sys.argv[8]), float(sys.argv[9])
elapsed = max(end - start, 1e-9)
achieved = ok / elapsed
sustained = (elapsed <= step + 5 and achieved >= 0.95 * rate and fail * 1000 < max(calls, 1)
             and retrans * 100 < max(sent, 1))
print(f"{achieved:.0f} {fail} {retrans} {sent} {1 if sustained else 0}")
PY
}

# both servers warm up (the JVM compiles its hot paths; Kamailio fills its caches) before anything is measured
"${SIPP[@]}" "127.0.0.1:$TS_PORT" -sf "$SCENARIOS/register-contact.xml" -p $((TS_PORT + 12)) -m 1 -s u2 -au u2 \
    -ap "$PASSWORD" -key uas_port $((TS_PORT + 13)) -timeout 10s >/dev/null 2>&1
"${SIPP[@]}" "127.0.0.1:$KAM_PORT" -sf "$SCENARIOS/register-contact.xml" -p $((KAM_PORT + 12)) -m 1 -s u2 -au u2 \
    -ap "$PASSWORD" -key uas_port $((KAM_PORT + 13)) -timeout 10s >/dev/null 2>&1
# the answering phones, one per server, for the whole run
"${SIPP[@]}" "127.0.0.1:$TS_PORT" -sf "$SCENARIOS/uas.xml" -p $((TS_PORT + 13)) -timeout 3600s >"$WORK/uas-ts.out" 2>&1 &
PIDS+=($!)
"${SIPP[@]}" "127.0.0.1:$KAM_PORT" -sf "$SCENARIOS/uas.xml" -p $((KAM_PORT + 13)) -timeout 3600s >"$WORK/uas-kam.out" 2>&1 &
PIDS+=($!)
sleep 1
for round in 1 2; do
    for port in $TS_PORT $KAM_PORT; do
        step register.xml "$port" 4000 warmup -s u1 -au u1 -ap "$PASSWORD" >/dev/null
        step uac.xml "$port" 1000 warmup -s u2 >/dev/null
    done
done

run() {
    local label="$1" scenario="$2" rates="$3"; shift 3
    local ts_best=0 kam_best=0 ts_on=1 kam_on=1 ts_misses=0 kam_misses=0
    echo
    echo "== $label: offered rate, then per server achieved/s failed retransmitted sustained"
    for rate in $rates; do
        local line="  $rate/s"
        if [ $kam_on = 1 ]; then
            read -r a f r s ok < <(step "$scenario" "$KAM_PORT" "$rate" "$label" "$@")
            line="$line  kamailio $a/s failed=$f retrans=$r/$s $([ "$ok" = 1 ] && echo sustained || echo NOT)"
            if [ "$ok" = 1 ]; then [ "$a" -gt "$kam_best" ] && kam_best=$a; kam_misses=0
            else kam_misses=$((kam_misses + 1)); [ $kam_misses -ge 2 ] && kam_on=0; fi
        fi
        if [ $ts_on = 1 ]; then
            read -r a f r s ok < <(step "$scenario" "$TS_PORT" "$rate" "$label" "$@")
            line="$line  telesignal $a/s failed=$f retrans=$r/$s $([ "$ok" = 1 ] && echo sustained || echo NOT)"
            if [ "$ok" = 1 ]; then [ "$a" -gt "$ts_best" ] && ts_best=$a; ts_misses=0
            else ts_misses=$((ts_misses + 1)); [ $ts_misses -ge 2 ] && ts_on=0; fi
        fi
        echo "$line"
        [ $ts_on = 0 ] && [ $kam_on = 0 ] && break
    done
    local ratio
    ratio=$(python3 -c "print(f'{$ts_best / max($kam_best, 1):.2f}')")
    echo "$label: kamailio ${kam_best}/s  telesignal ${ts_best}/s  ratio ${ratio}"
    RESULTS+=("$label: kamailio ${kam_best}/s, telesignal ${ts_best}/s, ratio ${ratio}")
}

RESULTS=()
run "REGISTER with digest" register.xml "$REGISTER_RATES" -s u1 -au u1 -ap "$PASSWORD"
run "calls INVITE/180/200/ACK/BYE" uac.xml "$CALL_RATES" -s u2

echo
echo "== summary ($(date -u +%Y-%m-%dT%H:%MZ), ${STEP} s steps, telesignal heap $HEAP)"
for r in "${RESULTS[@]}"; do echo "  $r"; done
