#!/usr/bin/env bash
# Reliability suite (issue 6): fault and load tests of the production jar on a real PostgreSQL.
#   1. kill -9 during a burst of requests with Idempotency-Key; restart; retry what was lost: one action per key
#   2. PostgreSQL stopped and started under load: readiness DOWN, fast 503 problem+json, recovery without a restart
#   3. 50 concurrent macOS locks on one Mac: one 202; two concurrent sweeps: each expired row counted once
#   4. a storm of generated bad requests: every answer 4xx problem+json, the app keeps serving
#   5. the event sink answers 503, is down, comes back: every committed change reaches it, retries keep their ce-id
#   6. kill -9 while the app relays a backlog of events; restart: every committed change reaches the sink
#   7. bursts of clients cut mid-request (RST and FIN): no pooled connection or transaction left behind, no session
#      error, every action audited (no idle_in_transaction_session_timeout on the cluster: it is a guard in deploy/)
#   9. kill -9 while simulated Apple devices connect over MDM: every accepted action reaches its device and is done,
#      none is lost or left active without being handed over again
# Builds the production jar, creates a throwaway PostgreSQL cluster (Debian's server binaries, as user nobody when
# we are root; installed with apt-get when missing), migrates it with the app's own `migrate` command, then runs
# the JDK-only driver in this folder. Prints PASS/FAIL per scenario with figures; exits 1 if any failed.
# Usage: bash src/reliability/run.sh [--short] [--only=1,2,3,4,5,6,7,9]
#   --short: smaller counts, what CI runs (under ~3 minutes); --only: run these scenarios (default all)
# Ports: app 19080, PostgreSQL 55900 (override with RELIABILITY_APP_PORT / RELIABILITY_DB_PORT).
# SKIP_BUILD=1 reuses the production jar already in target/quarkus-app; KEEP_WORK=1 keeps the logs.
set -euo pipefail
cd "$(dirname "$0")/../.."
MODE=full
ONLY=1,2,3,4,5,6,7,9
for arg in "$@"; do
  case "$arg" in
    --short) MODE=short ;;
    --only=*) ONLY="${arg#--only=}" ;;
    *) echo "usage: bash src/reliability/run.sh [--short] [--only=1,2,3,4,5,6,7,9]" >&2; exit 2 ;;
  esac
done
APP_PORT="${RELIABILITY_APP_PORT:-19080}"
DB_PORT="${RELIABILITY_DB_PORT:-55900}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL server binaries missing: apt-get install postgresql" >&2
    exit 1
  fi
  echo "installing PostgreSQL (apt-get)..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PG_BIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")"

if [ "${SKIP_BUILD:-}" != 1 ]; then
  echo "building the production jar..." >&2
  started=$(date +%s)
  ./mvnw -B -q clean package -Dprod -DskipTests
  echo "built in $(( $(date +%s) - started )) s" >&2
fi

work=$(mktemp -d)
chmod 755 "$work"
as_db() { if [ "$(id -u)" = 0 ]; then su nobody -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
cleanup() {
  if [ -f "$work/app.pid" ]; then kill -9 "$(cat "$work/app.pid")" 2>/dev/null || true; fi
  as_db "$PG_BIN/pg_ctl -D $work/pg/data -m fast stop" >/dev/null 2>&1 || true
  [ "${KEEP_WORK:-}" = 1 ] && echo "kept $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT
mkdir "$work/pg"
[ "$(id -u)" = 0 ] && chown nobody "$work/pg"
echo postgres > "$work/pw"
chmod 644 "$work/pw"
as_db "$PG_BIN/initdb -D $work/pg/data -U postgres --pwfile=$work/pw -A scram-sha-256" >/dev/null
if ! as_db "$PG_BIN/pg_ctl -D $work/pg/data -o '-p $DB_PORT -k $work/pg' -l $work/pg/postgres.log -w start" >/dev/null; then
  echo "PostgreSQL did not start on port $DB_PORT:" >&2
  tail -5 "$work/pg/postgres.log" >&2
  exit 1
fi

QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:$DB_PORT/postgres" \
  QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://localhost:$DB_PORT/postgres" \
  QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres \
  DEVICE_ACTIONS_SECRETS_KEY=cmVsaWFiaWxpdHktb25seS1rZXktMzItYnl0ZXMtISE= \
  "$JAVA" -jar target/quarkus-app/quarkus-run.jar migrate 2>/dev/null >&2

# The driver is JDK only but for scenario 9, whose simulated Apple devices sign their messages (CMS) and speak
# plists: it takes Bouncy Castle and dd-plist from the production jar's own libraries, and the simulator from the
# tests' sources.
libs=$(ls target/quarkus-app/lib/main/org.bouncycastle.*.jar target/quarkus-app/lib/main/com.googlecode.plist.*.jar | paste -sd:)
"$JAVA_HOME/bin/javac" -cp "$libs" -d "$work/classes" src/reliability/*.java src/test/java/dev/deviceactions/apple/sim/*.java
"$JAVA" -cp "$work/classes:$libs" Reliability --mode=$MODE --jar=target/quarkus-app/quarkus-run.jar \
  --app-port="$APP_PORT" --db-port="$DB_PORT" --pg-bin="$PG_BIN" --pg-data="$work/pg/data" \
  --work="$work" --keys=src/dev/resources/dev --only="$ONLY"
