#!/usr/bin/env bash
# Waiting check-in benchmark (issue 14): the production jar twice on one throwaway PostgreSQL (instance A on 18080,
# instance B on 18081), a fleet enrolled with the fleet simulator, then, in this order:
#   idle     RSS of A with no waiting check-in
#   same     every agent holds a waiting check-in (Prefer: wait=55) on A; the admin requests actions on A at a
#            steady rate: the delay from each 202 to the device holding the command (p50/p99), A's RSS with the
#            fleet waiting, check-ins/s and PostgreSQL CPU per delivered command
#   across   the same, with the admin requesting on B: the wake-up travels from B to A as a NOTIFY sent after the
#            commit (common/Notifications), or else A's catch-up query finds the command
#   polling  the same fleet polling every 30 s +-50% (no Prefer), the same action rate: check-ins/s, PostgreSQL
#            CPU per delivered command and the delay, for comparison
# Each run prints the CPU split (app vs PostgreSQL) and the machine's load.
# Needs what load.sh needs (a JDK >= 21, Debian's postgresql-15, curl); no wrk.
# Usage: bash src/bench/wait.sh            (10,000 agents, 40 s measured per run)
#        QUICK=1 bash src/bench/wait.sh    (2,000 agents, 15 s)
#        NO_BUILD=1 ...                    reuse target/quarkus-app (built with -Dprod)
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
B_PID=""
trap 'if [ -n "$B_PID" ]; then kill "$B_PID" 2>/dev/null || true; wait "$B_PID" 2>/dev/null || true; fi; bench_cleanup' EXIT

# Each size can be set on its own (FLEET=, RUN_S=, RAMP_S=): a ramp too short for the fleet measures check-ins still
# arriving, not the wake-up.
if [ "${QUICK:-0}" = 1 ]; then d_fleet=2000 d_run=15 d_ramp=5; else d_fleet=10000 d_run=40 d_ramp=30; fi
FLEET="${FLEET:-$d_fleet}" RUN_S="${RUN_S:-$d_run}" RAMP_S="${RAMP_S:-$d_ramp}"
ACT_RATE="${ACT_RATE:-20}"
B_PORT=$((BENCH_HTTP_PORT + 1))
# A heap an operator would give a pod of 768 MiB (deploy/), so that RSS reflects what the waiters keep alive.
APP_HEAP="${APP_HEAP:-512m}"

section() { printf '\n== %s (at %d s) ==\n' "$1" "$SECONDS"; machine_load; }

start_app() {  # port -> pid in STARTED_PID
  (app_env && export QUARKUS_HTTP_PORT="$1" && exec "$JAVA" "-Xmx$APP_HEAP" -jar "$APP_JAR" >>"$BENCH_WORK/app-$1.log" 2>&1) &
  STARTED_PID=$!
  wait_ready "http://127.0.0.1:$1" "$STARTED_PID" "the app on $1" "$BENCH_WORK/app-$1.log" || exit 1
}

waiting() { curl -sf "http://127.0.0.1:$1/q/metrics" | awk '/^device_actions_waiting_checkins / { print $2 + 0 }'; }

# RSS after a full GC, and the heap then in use: "rss 412.3 MiB, heap used 61.2 MiB".
memory() {
  "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null
  sleep 1
  local rss heap
  rss=$(awk '/VmRSS/ { print $2 }' "/proc/$1/status")
  heap=$("$JAVA_HOME/bin/jcmd" "$1" GC.heap_info | awk '/garbage-first heap/ { for (i = 1; i <= NF; i++) if ($i == "used") print $(i + 1) }' | tr -dc '0-9')
  echo "$rss $heap"
}

fleet_run() {  # label, then FleetSim options
  local label=$1 out="$BENCH_WORK/$1.out"
  shift
  pg_settle
  cpu_mark
  local b0=0
  [ -n "$B_PID" ] && b0=$(cpu_ticks "$B_PID")
  "$JAVA" src/bench/FleetSim.java --load "$BENCH_WORK/fleet.tsv" --token "$TOKEN" --not-now 0 "$@" > "$out" &
  FLEET_PID=$!
}

fleet_report() {  # label, seconds
  local out="$BENCH_WORK/$1.out"
  wait "$FLEET_PID"
  cat "$out"
  local delivered
  delivered=$(sed -nE 's/^commands received: \{(.*)\}/\1/p' "$out" | tr ',' '\n' | awk -F= '{ s += $2 } END { print s + 0 }')
  echo "commands delivered: $delivered"
  local hz pg
  hz=$(getconf CLK_TCK)
  cpu_report "$2" "$delivered" | sed 's/per request/per delivered command/'
  echo "waiting check-ins woken on A, so far (by the commit here, a notification from B, the catch-up query):" \
    "$(curl -sf "$BENCH_URL/q/metrics" | awk '/^device_actions_wakeups_total/ { printf "%s %d; ", $1, $2 }')"
}

[ "${NO_BUILD:-0}" = 1 ] || bench_build
machine_facts
pg_start
app_migrate
start_app "$BENCH_HTTP_PORT"; APP_PID=$STARTED_PID
start_app "$B_PORT"; B_PID=$STARTED_PID
TOKEN=$(admin_token)
"$JAVA" src/bench/FleetSim.java --url "$BENCH_URL" --token "$TOKEN" --devices "$FLEET" --concurrency 32 \
  --save "$BENCH_WORK/fleet.tsv" --duration 0

section "idle: RSS of A with no waiting check-in"
read -r RSS0 HEAP0 < <(memory "$APP_PID")
echo "A: RSS $((RSS0 / 1024)) MiB after a full GC, heap used $((HEAP0 / 1024)) MiB"

DURATION=$((RAMP_S + RUN_S))
for mode in same across; do
  admin_url="$BENCH_URL"
  [ "$mode" = across ] && admin_url="http://127.0.0.1:$B_PORT"
  section "$mode: $FLEET agents waiting on A (Prefer: wait=55), $ACT_RATE actions/s requested on $admin_url"
  fleet_run "$mode" --url "$BENCH_URL" --admin-url "$admin_url" --wait 55 --interval "${RAMP_S}s" \
    --duration "${DURATION}s" --act-rate "$ACT_RATE" --act-after "$((RAMP_S + 3))s" --concurrency 64
  sleep "$((RAMP_S + 3))"
  echo "waiting on A after the ramp: $(waiting "$BENCH_HTTP_PORT")"
  if [ "$mode" = same ]; then
    read -r RSS1 HEAP1 < <(memory "$APP_PID")
    N=$(waiting "$BENCH_HTTP_PORT")
    echo "A: RSS $((RSS1 / 1024)) MiB with $N waiting (after a full GC), heap used $((HEAP1 / 1024)) MiB:" \
      "$(awk -v a="$RSS0" -v b="$RSS1" -v n="$N" 'BEGIN { printf "%.1f KiB", (b - a) / n }') RSS and" \
      "$(awk -v a="$HEAP0" -v b="$HEAP1" -v n="$N" 'BEGIN { printf "%.1f KiB", (b - a) / n }') heap per waiting check-in"
    echo "A's largest classes on the heap with $N waiting (jcmd GC.class_histogram; instances, bytes, class):"
    "$JAVA_HOME/bin/jcmd" "$APP_PID" GC.class_histogram | awk 'NR > 2 && NR <= 17 { print "  " $2, $3, $4 }'
  fi
  fleet_report "$mode" "$DURATION"
done

POLL_S=$((RUN_S + 46))
section "polling: the same $FLEET agents every 30 s +-50%, $ACT_RATE actions/s on A for ${RUN_S} s, drained for 46 s"
fleet_run polling --url "$BENCH_URL" --interval 30s --duration "${POLL_S}s" --act-rate "$ACT_RATE" \
  --act-for "${RUN_S}s" --concurrency 64
fleet_report polling "$POLL_S"
