#!/usr/bin/env bash
# Apple MDM benchmark (issue 25): commands delivered per second over Apple MDM connects, side by side in one run with
# the agent check-in's rate, on the same production jar and PostgreSQL. APPLE_DEVICES simulated iPhones enrolled over
# MDM (AppleSeed: identities from the tests' device CA, each Idle connect signed as the device signs it) and as many
# agent devices each get one pending remoteLock; then, alternately, wrk sends the agent check-ins (POST
# /agent/v1/checkin, wrk/checkin.lua) and the MDM Idle connects (PUT /mdm/apple/connect, wrk/mdm-connect.lua),
# RUN_S seconds at 16 and at 64 connections, RUNS times each; before each run every device's command is put back to
# pending, so that each answer hands one command over (the device then holds it: no result is sent).
# Needs: a JDK >= 21, Debian's postgresql-15, wrk. Usage: bash src/bench/apple.sh   (QUICK=1: 2,000 devices, one
# 5 s run each; NO_BUILD=1 reuses target/quarkus-app, built with -Dprod)
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
trap bench_cleanup EXIT

if [ "${QUICK:-0}" = 1 ]; then APPLE_DEVICES=2000 RUN_S=5 RUNS=1; else APPLE_DEVICES=${APPLE_DEVICES:-10000} RUN_S=15 RUNS=3; fi

[ "${NO_BUILD:-0}" = 1 ] || bench_build
machine_facts
pg_start
app_migrate
app_start
LIBS=$(ls target/quarkus-app/lib/main/org.bouncycastle.*.jar | paste -sd:)

echo "seeding $APPLE_DEVICES Apple MDM devices and $APPLE_DEVICES agent devices..."
"$JAVA" -cp "$LIBS" src/bench/AppleSeed.java "$BENCH_CA/device-ca.pem" "$BENCH_CA/device-ca-key.pem" \
  "$APPLE_DEVICES" "$BENCH_WORK"
psql_db -v tsv="$BENCH_WORK/devices.tsv" -f src/bench/sql/apple-seed.sql
psql_db -v first=1 -v count="$APPLE_DEVICES" -f src/bench/sql/checkin-seed.sql

# Every seeded device's command pending again: the one it was handed is taken as done, a new one queued.
requeue() {
  psql_db -c "update device_action set state = 'done', last_updated_at = now(), completed_at = now()
      where initiated_by in ('seed', 'seed-apple') and state in ('pending', 'active')" \
    -c "insert into device_action (id, device_id, action, state, initiated_by, requested_at, last_updated_at, not_now_count)
      select gen_random_uuid(), id, 'remoteLock', 'pending',
             case when management_channel = 'appleMdm' then 'seed-apple' else 'seed' end, now(), now(), 0
      from device where name like 'seed-checkin-%' or name like 'seed-apple-%'" \
    -c "vacuum analyze device_action"
}

# Runs wrk; prints its answer counts, rate, latency and CPU split; leaves the rate and p99 in RATE and P99.
run() {  # label script connections
  local out
  requeue
  cpu_mark
  out=$(FIRST=1 COUNT=$APPLE_DEVICES THREADS=2 IDLE="$BENCH_WORK/idle.tsv" \
    wrk -t2 -c"$3" -d"${RUN_S}s" -s "src/bench/wrk/$2" "$BENCH_URL")
  # Commands handed over per second: answers that carried one (an agent device whose command was handed over early
  # in the run checks in empty afterwards; those answers are not counted as commands).
  local carried
  carried=$(sed -nE 's/^(check-ins|connects): ([0-9]+) with commands.*/\2/p' <<<"$out")
  RATE=$(awk -v n="$carried" -v s="$RUN_S" 'BEGIN { printf "%.1f", n / s }')
  P99=$(sed -nE 's/.*p99 ([0-9.]+) ms.*/\1/p' <<<"$out")
  echo "$1, $3 connections: $RATE commands/s ($(awk '/Requests\/sec/ { print $2 }' <<<"$out") answers/s), $(grep -E '^latency' <<<"$out"); $(grep -E '^(check-ins|connects):' <<<"$out")"
  echo "  $(cpu_report "$RUN_S" "$(awk '/requests in/ { print $1 }' <<<"$out")")"
}

echo "warm-up (JIT), not counted:"
run "agent check-ins" checkin.lua 16 >/dev/null
run "MDM Idle connects" mdm-connect.lua 16 >/dev/null
declare -A rates p99s
for c in 16 64; do
  for r in $(seq 1 "$RUNS"); do
    run "agent check-ins carrying a command" checkin.lua "$c"
    rates[agent$c]+="$RATE " p99s[agent$c]+="$P99 "
    run "MDM Idle connects carrying a command" mdm-connect.lua "$c"
    rates[mdm$c]+="$RATE " p99s[mdm$c]+="$P99 "
  done
done
echo
echo "== summary (medians of $RUNS runs; $APPLE_DEVICES devices each) =="
for c in 16 64; do
  agent=$(tr ' ' '\n' <<<"${rates[agent$c]}" | grep . | median)
  mdm=$(tr ' ' '\n' <<<"${rates[mdm$c]}" | grep . | median)
  printf '%d connections: agent check-ins %s commands/s (p99 %s ms), MDM connects %s commands/s (p99 %s ms), MDM/agent %.2f\n' \
    "$c" "$agent" "$(tr ' ' '\n' <<<"${p99s[agent$c]}" | grep . | median)" "$mdm" \
    "$(tr ' ' '\n' <<<"${p99s[mdm$c]}" | grep . | median)" "$(awk -v a="$agent" -v m="$mdm" 'BEGIN { print m / a }')"
done
