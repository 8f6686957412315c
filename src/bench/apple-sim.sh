#!/usr/bin/env bash
# Simulated Apple devices against a running device-actions (README "Apple devices", Try it): compiles the tests' Apple
# device simulator (src/test/java/dev/deviceactions/apple/sim) with Bouncy Castle and dd-plist from the local Maven
# repository, then runs src/bench/AppleSim.java with them. Options: see --help.
set -euo pipefail
cd "$(dirname "$0")/../.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile="$work/cp" \
  -Dmdep.includeGroupIds=org.bouncycastle,com.googlecode.plist >/dev/null
"$JAVA_HOME/bin/javac" -cp "$(cat "$work/cp")" -d "$work/classes" src/test/java/dev/deviceactions/apple/sim/*.java
"$JAVA_HOME/bin/java" -cp "$work/classes:$(cat "$work/cp")" src/bench/AppleSim.java "$@"
