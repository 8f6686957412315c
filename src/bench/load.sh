#!/usr/bin/env bash
# Load benchmarks (issue 6): builds the production jar, starts a throwaway PostgreSQL 15 cluster (port 55800) and
# the app (port 18080) on loopback, enrolls a fleet with the fleet simulator, then measures, in this order:
#   fleet    the simulator running the fleet as agents (jittered check-ins, answers, admin actions)
#   issue    remoteLock / rebootNow request rate and latency at 2, 16 and 64 connections (wrk), and the ceiling:
#            pgbench running the same SQL on the same PostgreSQL at the same client counts, interleaved
#   checkin  check-in rate when every check-in carries a command, and when none does (wrk)
#   status   status-view latency, filters and cursor pages, on 1,000,000 actions
#   bulk     one bulk request for the whole fleet (10,000 devices)
#   sweep    one sweep over 100k and 1M expired PINs plus as many overdue restarts, and over 1M rows not due
#   events   the event stream to a local sink (port 18081): events/s relayed after one bulk request, commit-to-
#            delivery at 200 actions/s, and the rebootNow rate with a sink, without one, and without the outbox
#   notify   pgbench over the accepted action: as shipped, beside after-commit NOTIFY batches, with a NOTIFY in
#            the transaction (as before V7), without the outbox
#   approvals the rebootNow rate with no approval policy and with a policy that covers another action (issue 26)
# Each prints its figures with CPU use (app vs PostgreSQL) and the machine's load; a summary table comes last.
# Needs: a JDK >= 21 (JAVA_HOME), Debian's postgresql-15 (server, psql, pgbench), wrk, curl.
# Usage: bash src/bench/load.sh [fleet issue checkin status bulk sweep events notify approvals]   (default: all)
#        QUICK=1 bash src/bench/load.sh ...   smaller fleet, shorter runs, one run each: for trying things
#        NO_BUILD=1 ...                        reuse target/quarkus-app (built with -Dprod)
#        COMPARE_JAR=/path/quarkus-run.jar ... the issue section also measures that build, in the same run
#        COMPARE_ENV="NAME=value ..."         settings for the compared build only (COMPARE_JAR may be this build's jar)
#        ISSUE_CONNECTIONS="2 64" ...          the issue section at these connection counts only (default 2 16 64)
#        CLIENT_NICE=-10 ...                   wrk and pgbench at this nice level (default 0), both alike
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
trap bench_cleanup EXIT

if [ "${QUICK:-0}" = 1 ]; then
  FLEET=2000 RUN_S=5 RUNS=1 FLEET_S=20s FLEET_WARMUP=5s CHECKIN_WINDOW=8000 STATUS_ROWS=200000 PAGES=2 BULK_RUNS=2
  SWEEP_SIZES="10000 100000" SWEEP_RUNS=1 BIG_SWEEP_RUNS=1
else
  FLEET=10000 RUN_S=15 RUNS=3 FLEET_S=60s FLEET_WARMUP=20s CHECKIN_WINDOW=25000 STATUS_ROWS=1000000 PAGES=5 BULK_RUNS=5
  SWEEP_SIZES="100000 1000000" SWEEP_RUNS=3 BIG_SWEEP_RUNS=1
fi
CLIENT_NICE="${CLIENT_NICE:-0}"
BENCHES="${*:-fleet issue checkin status bulk sweep events notify approvals}"
SUMMARY=()

summary() { SUMMARY+=("$1"); }
section() { printf '\n== %s (at %d s) ==\n' "$1" "$SECONDS"; machine_load; }

# Runs wrk; prints its figures and the CPU split; leaves the rate in WRK_RATE and p50/p99 in WRK_P50/WRK_P99.
run_wrk() {
  local out
  cpu_mark
  out=$(nice -n "$CLIENT_NICE" wrk -t2 "$@")
  cpu_report "$RUN_S" "$(awk '/requests in/ { print $1 }' <<<"$out")"
  WRK_RATE=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
  WRK_P50=$(sed -nE 's/^latency: p50 ([0-9.]+) ms.*/\1/p' <<<"$out")
  WRK_P99=$(sed -nE 's/.*p99 ([0-9.]+) ms.*/\1/p' <<<"$out")
  echo "  $WRK_RATE req/s, p50 $WRK_P50 ms, p99 $WRK_P99 ms; $(grep -E '^(statuses|check-ins):' <<<"$out")"
}

# Average use of the app's pool connections, sampled in PostgreSQL every 0.5 s for $1 seconds.
pool_sample() {
  local i
  for i in $(seq 1 $(($1 * 2))); do
    psql_db -At -F' ' -c "select count(*) filter (where state = 'active'),
        count(*) filter (where state = 'idle in transaction'), count(*) from pg_stat_activity
        where backend_type = 'client backend'
        and application_name not in ('psql', 'pgbench', 'device-actions notifications')"
    sleep 0.5
  done | awk '{ a += $1; t += $2; n += $3 } END { printf "  app pool (PostgreSQL view): %.1f active, %.1f idle in transaction, of %.1f connections\n", a / NR, t / NR, n / NR }'
}

# The sampler runs beside the next wrk run; `wait` must name it, as the app is a background job too.
start_pool_sample() {
  pool_sample $((RUN_S - 2)) &
  SAMPLER=$!
}

end_pool_sample() {
  if [ -n "${SAMPLER:-}" ]; then
    wait "$SAMPLER"
    SAMPLER=""
  fi
}

bench_fleet() {
  section "fleet simulator: $FLEET devices as agents for $FLEET_S"
  echo "warm-up run (JIT), not counted..."
  "$JAVA" src/bench/FleetSim.java --url "$BENCH_URL" --load "$BENCH_WORK/fleet.tsv" --token "$TOKEN" \
    --interval 30s --duration "$FLEET_WARMUP" --concurrency 64 --act-rate 20 > /dev/null
  "$JAVA" src/bench/FleetSim.java --url "$BENCH_URL" --load "$BENCH_WORK/fleet.tsv" --token "$TOKEN" \
    --interval 30s --duration "$FLEET_S" --concurrency 64 --act-rate 20 | tee "$BENCH_WORK/fleet.out"
  local f="$BENCH_WORK/fleet.out"
  summary "fleet simulator, $FLEET devices, check-in every 30 s +-50%, 20 admin actions/s|$(sed -nE 's/^check-ins: (.*)/\1/p' "$f"); check-in latency $(sed -nE 's/^latency checkin: (p50 [0-9.]+ ms, p99 [0-9.]+ ms).*/\1/p' "$f"), from when due $(sed -nE 's/^check-in response time from when it was due: (p50 [0-9.]+ ms, p99 [0-9.]+ ms).*/\1/p' "$f"); errors: $(sed -nE 's/^errors: //p' "$f")"
}

# The devices and paths that accept the action every time: rebootNow where supported, remoteLock on non-Macs
# (a Mac's second lock is refused while its PIN is outstanding).
issue_paths() {
  awk '$4 ~ /rebootNow/ { print "/api/v1/devices/" $1 "/rebootNow" }' "$BENCH_WORK/fleet.tsv" > "$BENCH_WORK/rebootNow.paths"
  awk '$2 != "macOS" && $4 ~ /remoteLock/ { print "/api/v1/devices/" $1 "/remoteLock" }' "$BENCH_WORK/fleet.tsv" \
    > "$BENCH_WORK/remoteLock.paths"
  awk '$4 ~ /rebootNow/ { print ++n "\t" $1 }' "$BENCH_WORK/fleet.tsv" > "$BENCH_WORK/bench_device.tsv"
  psql_db -c "create table bench_device (n int primary key, id uuid not null)" \
    -c "\copy bench_device from '$BENCH_WORK/bench_device.tsv'" -c "analyze bench_device"
}

# pgbench over the accepted action's SQL with $1 clients; leaves the rate in PGB_RATE, the mean latency in
# PGB_LATENCY and p50/p99 in PGB_P50/PGB_P99 (from its log of every transaction, -l: the same percentiles as wrk's).
run_pgbench() {
  local out
  rm -f "$BENCH_WORK"/pgbench-log.*
  cpu_mark
  out=$(PGPASSWORD=postgres nice -n "$CLIENT_NICE" pgbench -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -n -M prepared -c "$1" -j 2 \
    -T "$RUN_S" -l --log-prefix="$BENCH_WORK/pgbench-log" -D ndevices="$(wc -l < "$BENCH_WORK/bench_device.tsv")" \
    -f src/bench/sql/action-request.pgbench postgres)
  cpu_report "$RUN_S" "$(sed -nE 's/^number of transactions actually processed: ([0-9]+).*/\1/p' <<<"$out")"
  PGB_RATE=$(sed -nE 's/^tps = ([0-9.]+) .*/\1/p' <<<"$out")
  PGB_LATENCY=$(sed -nE 's/^latency average = ([0-9.]+) ms.*/\1/p' <<<"$out")
  # Each log line: client, transaction, latency in microseconds, ...
  read -r PGB_P50 PGB_P99 < <(cat "$BENCH_WORK"/pgbench-log.* | awk '{ print $3 / 1000 }' | sort -n \
    | awk '{ v[NR] = $1 } END { printf "%.2f %.2f\n", v[int(NR * 0.5) + 1], v[int(NR * 0.99) + 1] }')
  rm -f "$BENCH_WORK"/pgbench-log.*
  echo "  pgbench: $PGB_RATE tps, $(grep -E '^latency average' <<<"$out"), p50 $PGB_P50 ms, p99 $PGB_P99 ms, $(grep -E 'failed' <<<"$out")"
}

# Each run measures this build and, with COMPARE_JAR, the compared build (started beside it; each idles while the
# other is measured), then pgbench: before and after and the ceiling, interleaved in one run.
bench_issue() {
  section "action issue rate over $FLEET devices (wrk, $RUN_S s runs, $RUNS runs each, interleaved with pgbench)"
  issue_paths
  echo "paths: $(wc -l < "$BENCH_WORK/rebootNow.paths") devices for rebootNow, $(wc -l < "$BENCH_WORK/remoteLock.paths") for remoteLock"
  local builds="this"
  if [ -n "$COMPARE_JAR" ]; then
    compare_start
    builds="this compared"
    echo "compared build: $COMPARE_JAR on $COMPARE_URL"
  fi
  echo "warm-up (JIT):"
  local c run action build url pid
  for build in $builds; do
    build_target "$build"
    for action in rebootNow remoteLock; do
      PATHS="$BENCH_WORK/$action.paths" APP_PID=$pid run_wrk -c16 -d"${RUN_S}s" -s src/bench/wrk/post.lua "$url" >/dev/null
    done
  done
  for c in ${ISSUE_CONNECTIONS:-2 16 64}; do
    local -A rates=() p50s=() p99s=()
    local pgb=() pgb_latency=() pgb_p99=()
    for run in $(seq 1 "$RUNS"); do
      for action in rebootNow remoteLock; do
        for build in $builds; do
          build_target "$build"
          echo "$action, $c connections, $build build, run $run:"
          [ "$run" = 1 ] && [ "$action" = rebootNow ] && [ "$build" = this ] && start_pool_sample
          PATHS="$BENCH_WORK/$action.paths" APP_PID=$pid run_wrk -c"$c" -d"${RUN_S}s" -s src/bench/wrk/post.lua "$url"
          end_pool_sample
          rates[$action.$build]+="$WRK_RATE "
          p50s[$action.$build]+="$WRK_P50 "
          p99s[$action.$build]+="$WRK_P99 "
        done
      done
      echo "ceiling, $c clients, run $run:"
      run_pgbench "$c"
      pgb+=("$PGB_RATE")
      pgb_latency+=("$PGB_LATENCY")
      pgb_p99+=("$PGB_P99")
    done
    local ceiling
    ceiling=$(printf '%s\n' "${pgb[@]}" | median)
    for action in rebootNow remoteLock; do
      for build in $builds; do
        local rate key=$action.$build label=""
        [ -n "$COMPARE_JAR" ] && label=" ($build build)"
        rate=$(tr ' ' '\n' <<<"${rates[$key]}" | grep . | median)
        summary "issue $action, $c connections$label|$rate req/s, p50 $(tr ' ' '\n' <<<"${p50s[$key]}" | grep . | median) ms, p99 $(tr ' ' '\n' <<<"${p99s[$key]}" | grep . | median) ms; ratio to pgbench $(awk -v a="$rate" -v b="$ceiling" 'BEGIN { printf "%.2f", a / b }')"
      done
    done
    # pgbench's own latency: what one commit takes at this client count on this disk today, against which the app's
    # p99 reads (each of its requests waits for a commit too).
    summary "ceiling: pgbench, $c clients, SQL of one action request|$ceiling tps, latency average $(printf '%s\n' "${pgb_latency[@]}" | median) ms, p99 $(printf '%s\n' "${pgb_p99[@]}" | median) ms"
  done
}

# Sets url and pid to the build that the next run measures.
build_target() {
  if [ "$1" = compared ]; then url=$COMPARE_URL pid=$COMPARE_PID; else url=$BENCH_URL pid=$APP_PID; fi
}

bench_checkin() {
  section "check-ins (wrk, $RUN_S s runs, $RUNS runs each; each device checks in once per window)"
  local windows=$((2 * RUNS + 1)) first=1 c run
  echo "seeding $((windows * CHECKIN_WINDOW)) devices with one pending remoteLock each..."
  psql_db -v first=1 -v count=$((windows * CHECKIN_WINDOW)) -f src/bench/sql/checkin-seed.sql
  echo "warm-up (JIT):"
  FIRST=$first COUNT=$CHECKIN_WINDOW THREADS=2 run_wrk -c16 -d"${RUN_S}s" -s src/bench/wrk/checkin.lua "$BENCH_URL" >/dev/null
  for c in 16 64; do
    local rates=() p50s=() p99s=()
    for run in $(seq 1 "$RUNS"); do
      first=$((first + CHECKIN_WINDOW))
      echo "check-ins with a pending command, $c connections, run $run:"
      [ "$run" = 1 ] && start_pool_sample
      FIRST=$first COUNT=$CHECKIN_WINDOW THREADS=2 run_wrk -c"$c" -d"${RUN_S}s" -s src/bench/wrk/checkin.lua "$BENCH_URL"
      end_pool_sample
      rates+=("$WRK_RATE") p50s+=("$WRK_P50") p99s+=("$WRK_P99")
    done
    summary "check-ins carrying a command, $c connections|$(printf '%s\n' "${rates[@]}" | median)/s, p50 $(printf '%s\n' "${p50s[@]}" | median) ms, p99 $(printf '%s\n' "${p99s[@]}" | median) ms"
  done
  echo "empty check-ins (the first window again, its seeded commands canceled first), 16 connections:"
  psql_db -c "update device_action set state = 'canceled' where initiated_by = 'seed' and state = 'pending'"
  FIRST=1 COUNT=$CHECKIN_WINDOW THREADS=2 run_wrk -c16 -d"${RUN_S}s" -s src/bench/wrk/checkin.lua "$BENCH_URL"
  summary "empty check-ins, 16 connections|$WRK_RATE/s, p50 $WRK_P50 ms, p99 $WRK_P99 ms"
}

# Status-view queries, several of each shape with different values, taken from the seeded rows.
status_queries() {
  local q="$BENCH_WORK/status.queries" i
  : > "$q"
  for i in $(seq 1 10); do printf 'newest first, no filter\tlimit=100\n' >> "$q"; done
  psql_db -At -c "select 'deviceId' || chr(9) || 'deviceId=' || id from device where name not like 'seed-%' order by random() limit 20" >> "$q"
  for i in pending failed; do for _ in 1 2 3 4 5; do printf 'state=%s\tstate=%s&limit=100\n' "$i" "$i" >> "$q"; done; done
  for _ in $(seq 1 10); do printf 'action=resetPin (2%% of rows)\taction=resetPin&limit=100\n' >> "$q"; done
  for _ in $(seq 1 10); do printf 'action=remoteLock&state=active\taction=remoteLock&state=active&limit=100\n' >> "$q"; done
  for i in $(seq 1 10); do printf 'initiatedBy\tinitiatedBy=admin%d%%40example.com&limit=100\n' "$i" >> "$q"; done
  psql_db -At -c "select distinct 'bulkActionId' || chr(9) || 'bulkActionId=' || bulk_action_id from device_action where bulk_action_id is not null limit 10" >> "$q"
  for i in $(seq 1 10); do
    printf 'since+until (one day)\tsince=%s&until=%s&limit=100\n' \
      "$(date -u -d "$((i * 7)) days ago" +%FT%TZ)" "$(date -u -d "$((i * 7 - 1)) days ago" +%FT%TZ)" >> "$q"
  done
}

bench_status() {
  section "status view on $STATUS_ROWS actions (one request at a time, $PAGES cursor pages after each first page)"
  local started
  started=$(date +%s)
  psql_db -v total="$STATUS_ROWS" -f src/bench/sql/status-seed.sql
  echo "seeded in $(($(date +%s) - started)) s"
  status_queries
  "$JAVA" src/bench/StatusViewBench.java "$BENCH_URL" "$TOKEN" "$BENCH_WORK/status.queries" "$PAGES" | tee "$BENCH_WORK/status.out"
  summary "status view on $(psql_db -At -c 'select count(*) from device_action') actions|first page p50 / p99 per filter: $(awk -F'|' 'NR > 2 { gsub(/^ +| +$/, "", $2); gsub(/^ +| +$/, "", $3); printf "%s%s %s", sep, $2, $3; sep = "; " }' "$BENCH_WORK/status.out")"
}

bench_bulk() {
  section "bulk: one request for $FLEET devices, $BULK_RUNS runs per action"
  local body="$BENCH_WORK/bulk.json" action run
  for action in rebootNow remoteLock; do
    awk -v a="$action" 'BEGIN { printf "{\"action\":\"%s\",\"deviceIds\":[", a } { printf "%s\"%s\"", (NR > 1 ? "," : ""), $1 } END { print "]}" }' \
      "$BENCH_WORK/fleet.tsv" > "$body"
    local times=()
    for run in $(seq 0 "$BULK_RUNS"); do
      # Each remoteLock run finds the Macs' guards free, as the first lock of a fleet does.
      psql_db -c "update device set outstanding_pin_action_id = null, outstanding_pin_issued_at = null"
      local out
      cpu_mark
      out=$(curl -s -o "$BENCH_WORK/bulk.out" -w '%{http_code} %{time_total}' -X POST "$BENCH_URL/api/v1/device-actions/bulk" \
        -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary @"$body")
      # Run 0 warms the bulk path up (JIT) and is not counted.
      [ "$run" -gt 0 ] && times+=("${out#* }")
      echo "  $action run $run: HTTP ${out% *} in ${out#* } s; $(bulk_counts); $(cpu_report "${out#* }")"
    done
    summary "bulk $action, $FLEET devices|$(printf '%s\n' "${times[@]}" | median) s ($(bulk_counts))"
  done
}

bulk_counts() {
  for field in successfulDeviceIds failedDeviceIds notFoundDeviceIds notSupportedDeviceIds; do
    printf '%s %s ' "${field%DeviceIds}" "$(grep -o "\"$field\":\[[^]]*\]" "$BENCH_WORK/bulk.out" | grep -o '"[0-9a-f-]\{36\}"' | wc -l)"
  done
}

# One sweep over HTTP; prints its answer and time, leaves the seconds in SWEEP_S.
sweep_once() {
  local out
  cpu_mark
  out=$(curl -s -o "$BENCH_WORK/sweep.out" -w '%{http_code} %{time_total}' -X POST "$BENCH_URL/api/v1/maintenance/sweep" \
    -H "Authorization: Bearer $TOKEN" --max-time 1800)
  SWEEP_S=${out#* }
  echo "  sweep: HTTP ${out% *} in $SWEEP_S s: $(cat "$BENCH_WORK/sweep.out"); $(cpu_report "$SWEEP_S")"
}

sweep_seed() {
  local started
  started=$(date +%s)
  psql_db -v expired_pins="$1" -v overdue_restarts="$2" -v live_pins="$3" -v open_restarts="$4" -f src/bench/sql/sweep-seed.sql
  echo "  seeded $1 expired PINs, $2 overdue restarts, $3 live PINs, $4 open restarts in $(($(date +%s) - started)) s"
}

bench_sweep() {
  section "sweep (POST /api/v1/maintenance/sweep; batches of 10,000)"
  # Earlier benchmarks' restarts would time out during these runs; close them so each count is the seeded rows.
  psql_db -c "update device_action set state = 'canceled', completed_at = now()
              where action = 'rebootNow' and state in ('pending', 'active')"
  sweep_once
  local n run runs big=${SWEEP_SIZES##* }
  for n in $SWEEP_SIZES; do
    local times=()
    runs=$SWEEP_RUNS
    [ "$n" = "$big" ] && runs=$BIG_SWEEP_RUNS
    for run in $(seq 1 "$runs"); do
      echo "$n expired PINs + $n overdue restarts, run $run:"
      sweep_seed "$n" "$n" 0 0
      sweep_once
      times+=("$SWEEP_S")
    done
    summary "sweep, $n expired PINs + $n overdue restarts|$(printf '%s\n' "${times[@]}" | median) s (median of ${#times[@]}; $(cat "$BENCH_WORK/sweep.out"))"
  done
  echo "$big live PINs + $big open restarts, none due:"
  sweep_seed 0 0 "$big" "$big"
  local times=()
  for run in 1 2 3; do sweep_once; times+=("$SWEEP_S"); done
  summary "sweep, $big live PINs + $big open restarts, 0 due|$(printf '%s\n' "${times[@]}" | median) s (median of 3; $(cat "$BENCH_WORK/sweep.out"))"
}

# The app restarted with (or without) the bench's event sink, warmed up with one untimed wrk run.
events_restart() {
  app_stop
  if [ "$1" = sink ]; then export DEVICE_ACTIONS_EVENTS_SINKS="http://127.0.0.1:$EVENTS_SINK_PORT/events"; else unset DEVICE_ACTIONS_EVENTS_SINKS; fi
  app_start
  PATHS="$BENCH_WORK/rebootNow.paths" run_wrk -c16 -d5s -s src/bench/wrk/post.lua "$BENCH_URL" >/dev/null
}

# What waking others costs the accepted action: pgbench replays the app's two statements (as in the issue section)
# with the app stopped, in four variants interleaved: as shipped (V7: the outbox row, no NOTIFY in the transaction);
# the same beside the after-commit notifications at the most one replica sends (a second pgbench, one client,
# 200 batches/s of 100 device ids, synchronous_commit off: common/Notifications sends at most one batch every 5 ms); a NOTIFY in the
# transaction, as V5 and V6 did (the outbox function with its pg_notify put back for the run); no outbox at all.
triggers() {  # shipped | after-commit | in-transaction | no-outbox
  local outbox=enable fn="$BENCH_WORK/outbox-fn.sql"
  case $1 in
    in-transaction) fn="$BENCH_WORK/outbox-fn-notify.sql" ;;
    no-outbox) outbox=disable ;;
  esac
  psql_db -q -f "$fn" -c "alter table device_action $outbox trigger device_action_requested_event" \
    -c "truncate event_outbox" -c checkpoint
}

bench_notify() {
  section "NOTIFY: pgbench over the accepted action's statements, after the commit and in it ($RUN_S s runs, $RUNS runs each)"
  [ -s "$BENCH_WORK/bench_device.tsv" ] || issue_paths >/dev/null
  { psql_db -At -c "select pg_get_functiondef('event_outbox_action_requested'::regproc)"; echo ';'; } > "$BENCH_WORK/outbox-fn.sql"
  sed "s/^\(\s*\)return null;/\1perform pg_notify('device_actions_events', '');\n\1return null;/" \
    "$BENCH_WORK/outbox-fn.sql" > "$BENCH_WORK/outbox-fn-notify.sql"
  grep -q pg_notify "$BENCH_WORK/outbox-fn-notify.sql"
  app_stop
  local c run v notifier
  local variants="shipped after-commit in-transaction no-outbox"
  for c in 2 16 64; do
    local -A rates=()
    for run in $(seq 1 "$RUNS"); do
      for v in $variants; do
        triggers "$v"
        echo "$v, $c clients, run $run:"
        notifier=""
        if [ "$v" = after-commit ]; then
          PGPASSWORD=postgres PGOPTIONS="-c synchronous_commit=off" pgbench -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -n -M prepared -c 1 -R 200 \
            -T "$RUN_S" -f src/bench/sql/notify-batch.pgbench postgres > "$BENCH_WORK/notifier.out" 2>&1 &
          notifier=$!
        fi
        run_pgbench "$c"
        if [ -n "$notifier" ]; then
          wait "$notifier"
          echo "  beside it: $(sed -nE 's/^tps = ([0-9.]+) .*/\1/p' "$BENCH_WORK/notifier.out") notification batches/s"
        fi
        rates[$v]+="$PGB_RATE"$'\n'
      done
    done
    summary "pgbench, accepted action, $c clients: as shipped / with after-commit NOTIFY batches at 200/s / NOTIFY in the transaction (V6) / no outbox|$(for v in $variants; do printf '%s' "${rates[$v]}" | median; done | paste -sd/ | sed 's|/| / |g') tps (medians)"
  done
  triggers shipped
  app_start
}

bench_events() {
  section "events: CloudEvents to a local sink (port $EVENTS_SINK_PORT)"
  [ -f "$BENCH_WORK/rebootNow.paths" ] || issue_paths
  "$JAVA" src/bench/EventsBench.java sink "$EVENTS_SINK_PORT" "$BENCH_WORK/arrivals.tsv" &
  SINK_PID=$!
  sleep 3
  events_restart sink
  local run rates=() with=() without=() bare=()
  for run in $(seq 1 "$RUNS"); do
    "$JAVA" src/bench/EventsBench.java bulk "$BENCH_URL" "$TOKEN" "$BENCH_WORK/fleet.tsv" "$BENCH_WORK/arrivals.tsv" | tee "$BENCH_WORK/events-bulk.out"
    rates+=("$(sed -nE 's/.*: ([0-9]+) events\/s.*/\1/p' "$BENCH_WORK/events-bulk.out")")
  done
  summary "events relayed after one bulk rebootNow for the fleet|$(printf '%s\n' "${rates[@]}" | median) events/s (median of $RUNS)"
  "$JAVA" src/bench/EventsBench.java paced "$BENCH_URL" "$TOKEN" "$BENCH_WORK/fleet.tsv" "$BENCH_WORK/arrivals.tsv" 200 "$RUN_S" | tee "$BENCH_WORK/events-paced.out"
  summary "commit to delivery at 200 rebootNow/s for $RUN_S s|$(sed -nE 's/.*delivery from (ce-time .*)/\1/p' "$BENCH_WORK/events-paced.out")"
  for run in $(seq 1 "$RUNS"); do
    echo "rebootNow, 16 connections, with the sink, run $run:"
    [ "$run" = 1 ] || events_restart sink
    PATHS="$BENCH_WORK/rebootNow.paths" run_wrk -c16 -d"${RUN_S}s" -s src/bench/wrk/post.lua "$BENCH_URL"
    with+=("$WRK_RATE")
    echo "rebootNow, 16 connections, no sink (the relay drops the outbox rows), run $run:"
    events_restart none
    PATHS="$BENCH_WORK/rebootNow.paths" run_wrk -c16 -d"${RUN_S}s" -s src/bench/wrk/post.lua "$BENCH_URL"
    without+=("$WRK_RATE")
    echo "rebootNow, 16 connections, no outbox at all (its triggers disabled), run $run:"
    psql_db -c "alter table device_action disable trigger device_action_requested_event"
    PATHS="$BENCH_WORK/rebootNow.paths" run_wrk -c16 -d"${RUN_S}s" -s src/bench/wrk/post.lua "$BENCH_URL"
    psql_db -c "alter table device_action enable trigger device_action_requested_event"
    bare+=("$WRK_RATE")
  done
  local w n b
  w=$(printf '%s\n' "${with[@]}" | median) n=$(printf '%s\n' "${without[@]}" | median) b=$(printf '%s\n' "${bare[@]}" | median)
  summary "rebootNow rate, 16 connections: with a sink / without / without the outbox|$w / $n / $b req/s; with/without $(awk -v a="$w" -v b="$n" 'BEGIN { printf "%.2f", a / b }'), with/no outbox $(awk -v a="$w" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
  kill "$SINK_PID" 2>/dev/null || true
  wait "$SINK_PID" 2>/dev/null || true
}

# The request path's cover check (issue 26): an uncovered request asks the policies the instance holds in memory,
# and V10's fence trigger probes approval_policy on the action's insert. First the app under wrk; then pgbench alone
# over the same statements, which isolates the trigger's cost in PostgreSQL from the rest of the machine's noise.
# Each wrk run starts the app anew on the policies it measures (none, or one covering resetPin), so that memory
# holds what the database holds, then warms it up.
approvals_state() {  # none | other
  psql_db -c "delete from approval_policy"
  app_stop
  app_start
  if [ "$1" = other ]; then
    curl -sf -o /dev/null -X POST "$BENCH_URL/api/v1/approval-policies" -H "Authorization: Bearer $TOKEN" \
      -H 'Content-Type: application/json' -d '{"displayName":"PIN resets need two","actions":["resetPin"],"minimumDevices":1}'
  fi
  PATHS="$BENCH_WORK/rebootNow.paths" run_wrk -c16 -d5s -s src/bench/wrk/post.lua "$BENCH_URL" >/dev/null
}

bench_approvals() {
  section "approval policies: rebootNow at 16 connections, no policy / a policy covering resetPin ($RUN_S s runs, $RUNS runs each, interleaved)"
  [ -f "$BENCH_WORK/rebootNow.paths" ] || issue_paths
  local run v out="$BENCH_WORK/approvals-wrk.out"
  local -A rates=() apps=() pgs=()
  for run in $(seq 1 "$RUNS"); do
    # ABBA order, so that a drift in the machine's load over the runs falls on both alike.
    for v in $( ((run % 2)) && echo none other || echo other none); do
      approvals_state "$v"
      echo "rebootNow, 16 connections, policies: $v, run $run:"
      PATHS="$BENCH_WORK/rebootNow.paths" run_wrk -c16 -d"${RUN_S}s" -s src/bench/wrk/post.lua "$BENCH_URL" > "$out"
      cat "$out"
      rates[$v]+="$WRK_RATE"$'\n'
      apps[$v]+="$(sed -nE 's/.*per request: app ([0-9.]+) ms.*/\1/p' "$out")"$'\n'
      pgs[$v]+="$(sed -nE 's/.*per request: .*postgres ([0-9.]+) ms.*/\1/p' "$out")"$'\n'
    done
  done
  local none other
  none=$(printf '%s' "${rates[none]}" | median) other=$(printf '%s' "${rates[other]}" | median)
  summary "rebootNow, 16 connections: no approval policy / a policy covering resetPin|$none / $other req/s (ratio $(awk -v a="$other" -v b="$none" 'BEGIN { printf "%.2f", a / b }')); CPU per request app $(printf '%s' "${apps[none]}" | median) / $(printf '%s' "${apps[other]}" | median) ms, postgres $(printf '%s' "${pgs[none]}" | median) / $(printf '%s' "${pgs[other]}" | median) ms (medians)"
  approvals_fence
}

# What the fence trigger costs PostgreSQL alone: pgbench replays the accepted action's two statements (as in the
# issue section) with the app stopped, interleaved: no policy, a policy covering resetPin, and the fence disabled.
approvals_fence() {
  app_stop
  local c=16 run v
  local -A tps=()
  for run in $(seq 1 "$RUNS"); do
    for v in $( ((run % 2)) && echo none other unfenced || echo unfenced other none); do
      psql_db -q -c "delete from approval_policy" -c "alter table device_action enable trigger device_action_approval_fence"
      [ "$v" = other ] && psql_db -q -c "insert into approval_policy values (gen_random_uuid(), 'PIN resets need two',
        '{resetPin}', 1, 'bench', now(), now())"
      [ "$v" = unfenced ] && psql_db -q -c "alter table device_action disable trigger device_action_approval_fence"
      echo "pgbench, $c clients, $v, run $run:"
      run_pgbench "$c"
      tps[$v]+="$PGB_RATE"$'\n'
    done
  done
  psql_db -q -c "delete from approval_policy" -c "alter table device_action enable trigger device_action_approval_fence"
  summary "pgbench, accepted action, $c clients: no policy / a policy covering resetPin / fence disabled|$(for v in none other unfenced; do printf '%s' "${tps[$v]}" | median; done | paste -sd/ | sed 's|/| / |g') tps (medians)"
  app_start
}

machine_facts
machine_load
[ "${NO_BUILD:-0}" = 1 ] || bench_build
pg_start
echo "disk: $(as_db "$PG_BIN/pg_test_fsync -s 1 -f $BENCH_WORK/fsync.test" | awk '/fdatasync .*ops\/sec/ { print $2 " fdatasync/s"; exit }') (pg_test_fsync; every commit waits for one)"
app_migrate
app_start
TOKEN=$(admin_token)
export TOKEN
echo "enrolling $FLEET devices with the fleet simulator..."
"$JAVA" src/bench/FleetSim.java --url "$BENCH_URL" --token "$TOKEN" --devices "$FLEET" --duration 0 --concurrency 32 \
  --save "$BENCH_WORK/fleet.tsv" | tee "$BENCH_WORK/enroll.out"
summary "enrollment (fleet simulator, 32 concurrent)|$(sed -E 's/^enrolled: //' "$BENCH_WORK/enroll.out")"

for bench in $BENCHES; do "bench_$bench"; done

printf '\n== summary (whole run: %d s) ==\n' "$SECONDS"
machine_facts
echo "| benchmark | figures |"
echo "|---|---|"
for line in "${SUMMARY[@]}"; do echo "| ${line%%|*} | ${line#*|} |"; done
