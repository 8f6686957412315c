# Shared by the load benchmarks (sourced, not run): a throwaway PostgreSQL cluster, the production jar on
# loopback, admin tokens from the dev key, CPU accounting per process and the machine facts every figure carries.
# Ports: BENCH_PG_PORT (55800), BENCH_HTTP_PORT (18080) and EVENTS_SINK_PORT (18081). Everything started here is stopped by bench_cleanup,
# which the caller installs as its EXIT trap.

BENCH_PG_PORT="${BENCH_PG_PORT:-55800}"
BENCH_HTTP_PORT="${BENCH_HTTP_PORT:-18080}"
BENCH_URL="http://127.0.0.1:$BENCH_HTTP_PORT"
# load.sh's events section: the local event sink.
EVENTS_SINK_PORT="${EVENTS_SINK_PORT:-18081}"
SINK_PID=""
BENCH_ISSUER="https://device-actions.bench"
BENCH_KEYS="src/dev/resources/dev"
BENCH_CA="src/test/resources/test-keys"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
BENCH_WORK=""
APP_PID=""
# Another build of the app to measure instead (an A/B comparison), e.g. a copy of an older target/quarkus-app.
APP_JAR="${APP_JAR:-target/quarkus-app/quarkus-run.jar}"

bench_build() {
  echo "building the production jar..." >&2
  ./mvnw -B -q clean package -Dprod -DskipTests
}

as_db() { if [ "$(id -u)" = 0 ]; then su nobody -s /bin/sh -c "$*"; else sh -c "$*"; fi; }

# A fresh cluster in a temp dir, owned by nobody (initdb refuses root). Settings beyond Debian's defaults:
# room for 64 pgbench clients beside the app's pool, and shared buffers that hold the 1M-row tables.
pg_start() {
  BENCH_WORK=$(mktemp -d)
  chmod 755 "$BENCH_WORK"
  chown nobody "$BENCH_WORK"
  echo postgres > "$BENCH_WORK/pw"
  chmod 644 "$BENCH_WORK/pw"
  as_db "$PG_BIN/initdb -D $BENCH_WORK/data -U postgres --pwfile=$BENCH_WORK/pw -A scram-sha-256" >/dev/null
  as_db "$PG_BIN/pg_ctl -D $BENCH_WORK/data -l $BENCH_WORK/pg.log -w start \
    -o '-p $BENCH_PG_PORT -k $BENCH_WORK -c max_connections=200 -c shared_buffers=1GB'" >/dev/null
}

pg_stop() {
  [ -n "$BENCH_WORK" ] && as_db "$PG_BIN/pg_ctl -D $BENCH_WORK/data -m fast stop" >/dev/null 2>&1 || true
}

psql_db() {
  PGPASSWORD=postgres "$PG_BIN/psql" -h 127.0.0.1 -p "$BENCH_PG_PORT" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"
}

# The environment of a production instance on the bench cluster, trusting the dev key's tokens.
app_env() {
  export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$BENCH_PG_PORT/postgres"
  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$BENCH_PG_PORT/postgres"
  export QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres
  export DEVICE_ACTIONS_SECRETS_KEY=YmVuY2htYXJrLW9ubHkta2V5LTMyLWJ5dGVzLWxvbmc=
  export MP_JWT_VERIFY_PUBLICKEY_LOCATION="$PWD/$BENCH_KEYS/jwt-public.pem"
  export MP_JWT_VERIFY_ISSUER="$BENCH_ISSUER"
  # The benchmarks run the sweep themselves, when they time it.
  export DEVICE_ACTIONS_SWEEP_EVERY=off
  export QUARKUS_HTTP_PORT="$BENCH_HTTP_PORT"
  # Apple MDM (apple.sh): the tests' device CA, which AppleSeed issues the benchmark devices' identities from.
  export DEVICE_ACTIONS_PUBLIC_URL="$BENCH_URL"
  export DEVICE_ACTIONS_APPLE_PUSH_TOPIC=com.apple.mgmt.External.bench
  export DEVICE_ACTIONS_APPLE_CA_CERT="$PWD/$BENCH_CA/device-ca.pem"
  export DEVICE_ACTIONS_APPLE_CA_KEY="$PWD/$BENCH_CA/device-ca-key.pem"
}

app_migrate() {
  (app_env && "$JAVA" -jar "$APP_JAR" migrate 2>>"$BENCH_WORK/migrate.log" >&2)
}

# Waits until the app at URL answers ready, or its PID exits (LABEL and LOG for the message); 90 s at most.
wait_ready() {  # url pid label log
  for _ in $(seq 1 900); do
    if curl -sf -o /dev/null "$1/q/health/ready"; then return 0; fi
    kill -0 "$2" 2>/dev/null || { echo "$3 exited; see $4" >&2; return 1; }
    sleep 0.1
  done
  echo "$3 was not ready within 90 s" >&2
  return 1
}

# APP_JAVA_OPTS: JVM options for the app only (e.g. -XX:StartFlightRecording=... to profile a section).
app_start() {
  # The subshell execs java, so APP_PID is the JVM itself (cpu_ticks reads it).
  # shellcheck disable=SC2086 # APP_JAVA_OPTS is a list of options
  (app_env && exec "$JAVA" ${APP_JAVA_OPTS:-} -jar "$APP_JAR" >>"$BENCH_WORK/app.log" 2>&1) &
  APP_PID=$!
  wait_ready "$BENCH_URL" "$APP_PID" "the app" "$BENCH_WORK/app.log"
}

# COMPARE_JAR: another build's quarkus-run.jar, started beside the app on BENCH_HTTP_PORT + 2 against the same
# database, so that load.sh's issue section measures both builds in one run (an A/B comparison). COMPARE_ENV:
# NAME=value pairs, space-separated, for the compared instance only (the same jar with a setting changed, e.g.
# DEVICE_ACTIONS_AUTH_TOKEN_CACHE_SIZE=0).
COMPARE_JAR="${COMPARE_JAR:-}"
COMPARE_ENV="${COMPARE_ENV:-}"
COMPARE_URL="http://127.0.0.1:$((BENCH_HTTP_PORT + 2))"
COMPARE_PID=""

compare_start() {
  # shellcheck disable=SC2086 # COMPARE_ENV is a list of NAME=value words
  (app_env && export QUARKUS_HTTP_PORT=$((BENCH_HTTP_PORT + 2)) $COMPARE_ENV && exec "$JAVA" -jar "$COMPARE_JAR" >>"$BENCH_WORK/compare.log" 2>&1) &
  COMPARE_PID=$!
  wait_ready "$COMPARE_URL" "$COMPARE_PID" "the compared build" "$BENCH_WORK/compare.log"
}

app_stop() {
  if [ -n "$APP_PID" ]; then
    kill "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
    APP_PID=""
  fi
}

bench_cleanup() {
  app_stop
  if [ -n "$COMPARE_PID" ]; then kill "$COMPARE_PID" 2>/dev/null || true; wait "$COMPARE_PID" 2>/dev/null || true; fi
  if [ -n "$SINK_PID" ]; then kill "$SINK_PID" 2>/dev/null || true; fi
  pg_stop
  [ -n "$BENCH_WORK" ] && rm -rf "$BENCH_WORK"
}

# An admin token (all roles), signed with the dev key and trusted by app_env, valid for three hours.
admin_token() {
  "$JAVA" src/bench/FleetSim.java --print-token --key "$BENCH_KEYS/jwt-private.pem" --issuer "$BENCH_ISSUER"
}

# CPU time in clock ticks used so far by a process, its threads and its reaped children (fields 14-17 of stat).
cpu_ticks() {
  awk '{ s = $14 + $15 + $16 + $17 } END { print s + 0 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# The postmaster, its live backends and (through cutime/cstime) the backends that have exited.
pg_pids() {
  local master
  master=$(head -1 "$BENCH_WORK/data/postmaster.pid")
  echo "$master" $(pgrep -P "$master")
}

pg_ticks() {
  local sum=0 pid
  for pid in $(pg_pids); do sum=$((sum + $(cpu_ticks "$pid"))); done
  echo "$sum"
}

# A backend that has exited but is not reaped yet shows no CPU time, and all of it moves to the postmaster's
# children total once reaped: wait for that first (a seeding psql just ended), or its work lands in the next run.
pg_settle() {
  local master i
  master=$(head -1 "$BENCH_WORK/data/postmaster.pid")
  for i in $(seq 1 50); do
    ps --ppid "$master" -o stat= | grep -q Z || return 0
    sleep 0.1
  done
}

# Usage: cpu_mark; <run>; cpu_report SECONDS  ->  "CPU: app 1.62 cores, postgres 0.31 cores"
cpu_mark() {
  pg_settle
  CPU_APP0=$(cpu_ticks "$APP_PID")
  CPU_PG0=$(pg_ticks)
}

# Usage: cpu_report SECONDS [REQUESTS]. With REQUESTS, also the CPU time each request cost: a figure that other
# load on the machine disturbs much less than a rate does.
cpu_report() {
  local hz app pg
  hz=$(getconf CLK_TCK)
  app=$(( $(cpu_ticks "$APP_PID") - CPU_APP0 ))
  pg=$(( $(pg_ticks) - CPU_PG0 ))
  awk -v a="$app" -v p="$pg" -v hz="$hz" -v s="$1" -v n="${2:-0}" 'BEGIN {
    printf "CPU: app %.2f cores, postgres %.2f cores", a / hz / s, p / hz / s
    if (n > 0) printf " (per request: app %.2f ms, postgres %.2f ms)", a / hz / n * 1000, p / hz / n * 1000
    printf "\n" }'
}

# What else used the CPU: load averages and the busiest processes that are not this benchmark's.
machine_load() {
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min); busiest other processes:"
  local mine=" ${APP_PID:-} "
  [ -n "$BENCH_WORK" ] && [ -f "$BENCH_WORK/data/postmaster.pid" ] && mine+="$(pg_pids | tr '\n' ' ') "
  top -b -n1 -w 200 | awk -v mine="$mine" 'NR > 7 && $9 + 0 >= 5 && index(mine, " " $1 " ") == 0 {
    printf "  %s %s%% %s\n", $1, $9, $12 }' | grep -v -e wrk -e pgbench | head -5 || true
}

machine_facts() {
  echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"\
    "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) memory,"\
    "$("$JAVA" -version 2>&1 | head -1), PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'),"\
    "$(wrk --version 2>&1 | head -1 | awk '{print "wrk " $2}')"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
