#!/usr/bin/env bash
# APNs push latency (issue 25): builds the production jar, starts a throwaway PostgreSQL 15 cluster (port 55800),
# makes the keys of an APNs stand-in (src/bench/ApnsBench.java: an HTTP/2 TLS server on localhost that negotiates
# h2 only, requires the push certificate as the client's and answers 200), starts the app (port 18080) pushing to
# it, seeds Apple MDM devices by SQL (enrolled, with a push token and PushMagic, as TokenUpdate leaves them), then,
# RUNS times: remoteLock at RATE/s (open loop), each request on a device of its own, WARM_S seconds not counted,
# then RUN_S seconds measured. Each run prints p50/p99/max from the client's 202 to the push's arrival at the
# stand-in (the goal: p99 at most 50 ms), the same from the request's send, and the app's own timer
# (device_actions_apple_push_delay: commit to the push request written, by histogram bucket).
# Needs: a JDK >= 21 (JAVA_HOME), Debian's postgresql-15, curl.
# Usage: bash src/bench/push.sh            RATE=200 RUN_S=30 WARM_S=10 RUNS=3 by default
#        NO_BUILD=1 bash src/bench/push.sh  reuse target/quarkus-app (built with -Dprod)
#        COMPARE_JAR=/path/quarkus-run.jar   each run also measures that build (an A/B comparison, interleaved:
#                                            each run restarts the app with one build, then with the other)
set -euo pipefail
cd "$(dirname "$0")/../.."
source src/bench/lib.sh
trap bench_cleanup EXIT

RATE="${RATE:-200}"
RUN_S="${RUN_S:-30}"
WARM_S="${WARM_S:-10}"
RUNS="${RUNS:-3}"
APNS_PORT="${APNS_PORT:-18443}"
# The stand-in runs on the production jar's own libraries: Vert.x, Netty, Bouncy Castle.
BENCH_CP="target/quarkus-app/lib/main/*"
BUILDS="this"
[ -n "${COMPARE_JAR:-}" ] && BUILDS="this compared"
DEVICES=$((RUNS * $(wc -w <<<"$BUILDS") * RATE * (RUN_S + WARM_S)))

machine_facts
machine_load
[ "${NO_BUILD:-0}" = 1 ] || bench_build
pg_start
app_migrate

KEYS="$BENCH_WORK/apns"
"$JAVA" -cp "$BENCH_CP" src/bench/ApnsBench.java keys "$KEYS"
export DEVICE_ACTIONS_APPLE_PUSH_TOPIC=com.apple.mgmt.External.bench
export DEVICE_ACTIONS_APPLE_PUSH_CERT="$KEYS/push.pem"
export DEVICE_ACTIONS_APPLE_PUSH_KEY="$KEYS/push-key.pem"
export DEVICE_ACTIONS_APPLE_APNS_URL="https://localhost:$APNS_PORT"
export DEVICE_ACTIONS_APPLE_APNS_CA="$KEYS/apns-ca.pem"
TOKEN=$(admin_token)

echo "seeding $DEVICES Apple MDM devices (iPhones with a passcode, enrolled, push token and PushMagic)..."
psql_db -v n="$DEVICES" <<'SQL'
insert into device (id, name, platform, os_version, supervised, passcode_set, azure_ad_joined, token_hash,
                    enrolled_at, management_channel, apple_udid, apple_enrolled, apple_enrolled_at, apple_push_ready)
select gen_random_uuid(), 'iphone-' || n, 'iOS', '17.4', true, true, false, sha256(('bench-' || n)::bytea),
       now(), 'appleMdm', 'UDID-BENCH-' || n, true, now(), true
  from generate_series(1, :n) n;
insert into apple_device (device_id, topic, push_token, push_magic)
select id, 'com.apple.mgmt.External.bench', sha256(id::text::bytea), upper(gen_random_uuid()::text)
  from device where management_channel = 'appleMdm';
analyze device;
analyze apple_device;
SQL
psql_db -At -F $'\t' -c "select device_id, encode(push_token, 'hex') from apple_device order by push_token" \
  > "$BENCH_WORK/devices.tsv"

per_run=$((RATE * (RUN_S + WARM_S)))
declare -A p50s p99s
slice=0
for run in $(seq 1 "$RUNS"); do
  for build in $BUILDS; do
    jar="$APP_JAR"
    [ "$build" = compared ] && jar="$COMPARE_JAR"
    printf '\n== run %d of %d, %s build (%s): %d remoteLock/s, %d s warm-up + %d s measured (at %d s) ==\n' \
      "$run" "$RUNS" "$build" "$jar" "$RATE" "$WARM_S" "$RUN_S" "$SECONDS"
    APP_JAR="$jar" app_start
    machine_load
    sed -n "$((slice * per_run + 1)),$(((slice + 1) * per_run))p" "$BENCH_WORK/devices.tsv" > "$BENCH_WORK/run.tsv"
    slice=$((slice + 1))
    cpu_mark
    "$JAVA" -cp "$BENCH_CP" src/bench/ApnsBench.java run "$BENCH_URL" "$TOKEN" "$BENCH_WORK/run.tsv" "$KEYS" \
      "$APNS_PORT" "$RATE" "$RUN_S" "$WARM_S" | tee "$BENCH_WORK/run.out"
    cpu_report $((RUN_S + WARM_S)) "$per_run"
    app_stop
    p50s[$build]+="$(sed -nE 's/^push latency, 202 .*: p50 ([0-9.]+) ms.*/\1/p' "$BENCH_WORK/run.out") "
    p99s[$build]+="$(sed -nE 's/^push latency, 202 .*p99 ([0-9.]+) ms.*/\1/p' "$BENCH_WORK/run.out") "
  done
done

printf '\n== summary (whole run: %d s) ==\n' "$SECONDS"
machine_facts
echo "push latency from the 202 to the push at the stand-in, $RATE remoteLock/s, runs of $RUN_S s:"
for build in $BUILDS; do
  echo "  $build build: p50 per run ${p50s[$build]}ms (median $(tr ' ' '\n' <<<"${p50s[$build]}" | grep . | median) ms)," \
    "p99 per run ${p99s[$build]}ms (median $(tr ' ' '\n' <<<"${p99s[$build]}" | grep . | median) ms; goal: at most 50 ms)"
done
