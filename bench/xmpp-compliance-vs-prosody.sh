#!/usr/bin/env bash
# The XMPP door against a conformance suite written by others, side by side with Prosody (issue 18; docs/xmpp.md).
#
# The suite is Smack's Integration Test Framework (sinttest, org.igniterealtime.smack:smack-integration-test
# 4.5.0-beta5 from Maven Central, the only release there): about seventy tests of RFC 6120/6121 and XEPs (roster,
# chat, caps, ad-hoc, IoT, MUC, MAM, PEP, file transfer...) run by three accounts against a live server. It runs
# against telesignal (embedded defaults, XMPP on, MUC on) and then against Debian's Prosody 0.12 (the modules of its
# default configuration that a client server runs, and a MUC component), each on 127.0.0.1:5222 with STARTTLS, with
# the same three accounts and the same tests, and prints what passed and failed on each.
#
# Left out on both: the low-level tests that create throw-away accounts (they need in-band registration or XEP-0133
# administration, which neither server offers here), and MultiUserChatOccupantIntegrationTest.
# mucJoinPasswordProtectedWithoutPasswordRoomTest, which aborts the whole run (not just the test) when a server's room
# form has no password field.
#
# Usage: bench/xmpp-compliance-vs-prosody.sh [--work-dir DIR] [--skip-prosody]
# (each run starts both servers on fresh data in the work directory; --skip-prosody runs telesignal's side only)
# Needs: ./mvnw -B -q package -DskipTests, Java 17, Maven Central, port 5222 free, prosody and openssl (installed with
# apt-get when missing and running as root). Loopback only.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR="$ROOT/server/target/telesignal.jar"
WORK=""
SKIP_PROSODY=false
while [ $# -gt 0 ]; do
    case "$1" in
        --work-dir) WORK="$2"; shift 2 ;;
        --skip-prosody) SKIP_PROSODY=true; shift ;;
        *) echo "usage: $0 [--work-dir DIR] [--skip-prosody]" >&2; exit 2 ;;
    esac
done
[ -f "$JAR" ] || { echo "build first: ./mvnw -B -q package -DskipTests" >&2; exit 2; }
if ! command -v prosody >/dev/null || ! command -v openssl >/dev/null; then
    if [ "$(id -u)" = 0 ]; then
        apt-get install -y prosody openssl >/dev/null
        systemctl stop prosody 2>/dev/null || service prosody stop 2>/dev/null || true
    else
        echo "needs prosody and openssl: apt-get install prosody openssl" >&2; exit 2
    fi
fi
WORK=${WORK:-$(mktemp -d /tmp/xmpp-compliance.XXXXXX)}
mkdir -p "$WORK"
PASSWORD="sint-password-0123456789"
DISABLED="StreamManagementTest,MultiUserChatLowLevelIntegrationTest,WaitForClosingStreamElementTest,\
SimpleXmppConnectionIntegrationTest,XmppConnectionIntegrationTest,LoginIntegrationTest,LowLevelRosterIntegrationTest,\
ModularXmppClientToServerConnectionLowLevelIntegrationTest,\
MultiUserChatOccupantIntegrationTest.mucJoinPasswordProtectedWithoutPasswordRoomTest"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true; }
trap cleanup EXIT

# the suite and its dependencies, from Maven Central
mkdir -p "$WORK/suite"
cat >"$WORK/suite/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>sinttest</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.igniterealtime.smack</groupId><artifactId>smack-integration-test</artifactId><version>4.5.0-beta5</version></dependency>
    <dependency><groupId>org.igniterealtime.smack</groupId><artifactId>smack-java11-full</artifactId><version>4.5.0-beta5</version></dependency>
  </dependencies>
</project>
POM
(cd "$WORK/suite" && "$ROOT/mvnw" -B -q dependency:build-classpath -Dmdep.outputFile=cp.txt)

suite() { # log, certificate
    rm -f "$WORK/trust.p12"
    keytool -importcert -noprompt -alias server -file "$2" -keystore "$WORK/trust.p12" -storetype PKCS12 \
        -storepass changeit >/dev/null
    timeout 1200 java -Djavax.net.ssl.trustStore="$WORK/trust.p12" -Djavax.net.ssl.trustStorePassword=changeit \
        -Djavax.net.ssl.trustStoreType=PKCS12 -cp "$(cat "$WORK/suite/cp.txt")" \
        -Dsinttest.service=localhost -Dsinttest.host=127.0.0.1 -Dsinttest.securityMode=required \
        -Dsinttest.accountOneUsername=sint1 -Dsinttest.accountOnePassword=$PASSWORD \
        -Dsinttest.accountTwoUsername=sint2 -Dsinttest.accountTwoPassword=$PASSWORD \
        -Dsinttest.accountThreeUsername=sint3 -Dsinttest.accountThreePassword=$PASSWORD \
        -Dsinttest.replyTimeout=5000 -Dsinttest.enabledConnections=tcp -Dsinttest.disabledTests="$DISABLED" \
        org.igniterealtime.smack.inttest.SmackIntegrationTestFramework >"$1" 2>&1 || true
}

report() { # name, log
    local passed failed
    passed=$(grep -cE '\) Success$' "$2" || true)
    failed=$(grep -cE '\) Failed$' "$2" || true)
    echo "$1: $passed passed, $failed failed"
    grep -E '\) Failed$' "$2" | sed -E 's/.*: ([A-Za-z0-9]+\.[A-Za-z0-9]+) .*/    failed: \1/' || true
    grep -E '^INFO: Could not run' "$2" | sed -E 's/^INFO: Could not run org\.[a-z0-9.]*\.([A-Za-z0-9]+) because: (.*)/    not run: \1 (\2)/' || true
}

# --- telesignal: three users with device passwords, the XMPP door on 5222
TS="$WORK/telesignal"
rm -rf "$TS"
for user in sint1 sint2 sint3; do
    java -jar "$JAR" user add "$user" --name "$user" --roles provider --data-dir "$TS" >/dev/null 2>&1
    printf '%s' "$PASSWORD" | java -jar "$JAR" device create "$user" --label sinttest --password-stdin \
        --data-dir "$TS" >/dev/null 2>&1
done
TELESIGNAL_XMPP_ENABLED=true TELESIGNAL_XMPP_HOST=127.0.0.1 TELESIGNAL_XMPP_DIRECT_TLS=false \
TELESIGNAL_HTTP_HOST=127.0.0.1 TELESIGNAL_HTTP_PORT=0 TELESIGNAL_MANAGEMENT_PORT=0 \
    java -Xmx512m -jar "$JAR" serve --data-dir "$TS" >"$WORK/telesignal.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 60); do grep -q "event=server_started" "$WORK/telesignal.log" && break; sleep 0.5; done
suite "$WORK/telesignal-suite.log" "$TS/tls/selfsigned-cert.pem"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""

# --- Prosody: the same accounts, its default client modules and a MUC component
if [ "$SKIP_PROSODY" = false ]; then
PR="$WORK/prosody"
rm -rf "$PR"
mkdir -p "$PR/data" "$PR/certs"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PR/certs/localhost.key" -out "$PR/certs/localhost.crt" -days 30 \
    -subj /CN=localhost -addext "subjectAltName=DNS:localhost,DNS:conference.localhost" 2>/dev/null
cat >"$PR/prosody.cfg.lua" <<LUA
pidfile = "$PR/prosody.pid"
data_path = "$PR/data"
run_as_root = true
log = { warn = "$PR/prosody.log" }
c2s_ports = { 5222 }
c2s_interfaces = { "127.0.0.1" }
c2s_direct_tls_ports = { }
s2s_ports = { }
http_ports = { }
https_ports = { }
c2s_require_encryption = true
authentication = "internal_hashed"
certificates = "$PR/certs"
modules_enabled = { "roster"; "saslauth"; "tls"; "disco"; "carbons"; "pep"; "private"; "blocklist"; "vcard4";
  "vcard_legacy"; "version"; "uptime"; "time"; "ping"; "posix"; "smacks"; "mam"; "csi_simple" }
modules_disabled = { "s2s" }
VirtualHost "localhost"
  ssl = { key = "$PR/certs/localhost.key"; certificate = "$PR/certs/localhost.crt" }
Component "conference.localhost" "muc"
  ssl = { key = "$PR/certs/localhost.key"; certificate = "$PR/certs/localhost.crt" }
LUA
for user in sint1 sint2 sint3; do prosodyctl --config "$PR/prosody.cfg.lua" register "$user" localhost "$PASSWORD"; done
prosody --config "$PR/prosody.cfg.lua" -F >"$PR/out.log" 2>&1 &
SERVER_PID=$!
sleep 2
suite "$WORK/prosody-suite.log" "$PR/certs/localhost.crt"
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
fi

echo "suite: smack-integration-test 4.5.0-beta5; work directory: $WORK"
report "telesignal" "$WORK/telesignal-suite.log"
[ "$SKIP_PROSODY" = true ] || report "$(prosodyctl about 2>/dev/null | grep -m1 '^Prosody' || echo Prosody)" "$WORK/prosody-suite.log"
