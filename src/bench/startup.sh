#!/usr/bin/env bash
# Start-up benchmark: the production JVM jar against a bare Quarkus REST hello built with the same Quarkus version,
# and against the stack's floor (src/bench/floor: the app's extensions, one entity, one database-backed endpoint; and
# the same with only the fixed stack, Flyway and the token check),
# in the same run, as medians of RUNS starts each, without and with AOT caches; plus the one-shot `sweep` command.
# Serving instances get no JDBC URL, as in deploy/. Needs a JDK >= 25 (JAVA_HOME, for the AOT caches) and Debian's
# PostgreSQL server binaries (apt-get install postgresql): the database is a throwaway cluster on port 55600, migrated once with the app's own `migrate` command before the runs.
# Usage: bash src/bench/startup.sh [--native] [RUNS]   (default 5). Prints a Markdown table for README's Performance
# section, then Quarkus' slowest start-up steps of each (print-startup-times, medians). --native builds and compares the
# two native binaries instead (needs GraalVM or Mandrel 25, as README's Builds says).
set -euo pipefail
cd "$(dirname "$0")/../.."
NATIVE=""
if [ "${1:-}" = "--native" ]; then NATIVE=1; shift; fi
RUNS="${1:-5}"
PORT=55600
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

app_version=$(sed -n 's:.*<quarkus.platform.version>\(.*\)</quarkus.platform.version>.*:\1:p' pom.xml)
hello_version=$(sed -n 's:.*<quarkus.platform.version>\(.*\)</quarkus.platform.version>.*:\1:p' src/bench/hello/pom.xml)
floor_version=$(sed -n 's:.*<quarkus.platform.version>\(.*\)</quarkus.platform.version>.*:\1:p' src/bench/floor/pom.xml)
[ "$app_version" = "$hello_version" ] && [ "$app_version" = "$floor_version" ] ||
  { echo "Quarkus versions differ: app $app_version, hello $hello_version, floor $floor_version" >&2; exit 1; }

if [ -n "$NATIVE" ]; then
  echo "building the production native binary and the three baselines' (Quarkus $app_version)..." >&2
  ./mvnw -B -q clean package -Dprod -Dnative -DskipTests
  ./mvnw -B -q -f src/bench/hello/pom.xml clean package -Dquarkus.native.enabled=true
  ./mvnw -B -q -f src/bench/floor/pom.xml clean package -Dquarkus.native.enabled=true
  ./mvnw -B -q -f src/bench/floor/pom.xml clean package -Dquarkus.native.enabled=true -Dcore
  APP=$(ls target/*-runner)
  HELLO=$(ls src/bench/hello/target/*-runner)
  FLOOR=$(ls src/bench/floor/target/full/*-runner)
  CORE=$(ls src/bench/floor/target/core/*-runner)
  MIGRATE=("$APP" migrate)
else
  echo "building the production jar and the three baselines (Quarkus $app_version)..." >&2
  ./mvnw -B -q clean package -Dprod -DskipTests
  ./mvnw -B -q -f src/bench/hello/pom.xml clean package
  ./mvnw -B -q -f src/bench/floor/pom.xml clean package
  ./mvnw -B -q -f src/bench/floor/pom.xml clean package -Dcore
  APP=target/quarkus-app/quarkus-run.jar
  HELLO=src/bench/hello/target/quarkus-app/quarkus-run.jar
  FLOOR=src/bench/floor/target/full/quarkus-app/quarkus-run.jar
  CORE=src/bench/floor/target/core/quarkus-app/quarkus-run.jar
  MIGRATE=("$JAVA" -jar "$APP" migrate)
fi

work=$(mktemp -d)
chown nobody "$work" 2>/dev/null || true
as_db() { if [ "$(id -u)" = 0 ]; then su nobody -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
cleanup() { as_db "$PG_BIN/pg_ctl -D $work/data -m fast stop" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
echo postgres > "$work/pw"; chmod 644 "$work/pw"
as_db "$PG_BIN/initdb -D $work/data -U postgres --pwfile=$work/pw -A scram-sha-256" >/dev/null
as_db "$PG_BIN/pg_ctl -D $work/data -o '-p $PORT -k $work' -l $work/log -w start" >/dev/null

env QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://localhost:$PORT/postgres" \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:$PORT/postgres" \
  QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres \
  DEVICE_ACTIONS_SECRETS_KEY=YmVuY2htYXJrLW9ubHkta2V5LTMyLWJ5dGVzLWxvbmc= \
  "${MIGRATE[@]}" 2>/dev/null >&2

"$JAVA" src/bench/StartupBench.java "$RUNS" "$APP" "$HELLO" "$PORT" src/dev/resources/dev "$FLOOR" "$CORE"
