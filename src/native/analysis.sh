#!/usr/bin/env bash
# Native analysis without GraalVM (README, issue 18): runs GraalVM's native-image builder from Maven Central's jars
# (org.graalvm.nativeimage:svm, pinned in pom.xml, profile native-analysis) on Temurin 25 in analysis-only mode over
# Quarkus' native sources, and exits 1 on any analysis error (for example an object in the image heap that a native
# image cannot hold, such as a SecureRandom created at build time). It does not build a binary, so it cannot catch
# what only goes wrong at run time; NativeSourcesTest and the native-readiness test cover part of that.
# Needs Debian's gcc and libc6-dev (.ci/run installs them), about 6.5 GB of memory and 3-4 minutes on 2 cores.
# Usage: bash src/native/analysis.sh   (SKIP_BUILD=1 reuses target/native-sources from a sources-only native build)
set -euo pipefail
cd "$(dirname "$0")/../.."

java_home="${NATIVE_ANALYSIS_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
if [ ! -x "$java_home/bin/java" ] \
  || [ "$("$java_home/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')" != 25 ]; then
  echo "native analysis needs a JDK 25 (Temurin) at $java_home, or NATIVE_ANALYSIS_JAVA_HOME" >&2
  exit 1
fi
export JAVA_HOME="$java_home"
if ! command -v gcc >/dev/null || [ ! -e /usr/include/stdio.h ]; then
  echo "native analysis needs gcc and the C library headers: apt-get install gcc libc6-dev" >&2
  exit 1
fi

if [ "${SKIP_BUILD:-}" != 1 ]; then
  ./mvnw -B -q clean package -DskipTests -Dprod -Dquarkus.native.enabled=true -Dquarkus.native.sources-only=true
fi
if [ ! -f target/native-sources/native-image.args ]; then
  echo "no target/native-sources/native-image.args: run without SKIP_BUILD=1" >&2
  exit 1
fi
./mvnw -B -q -Pnative-analysis dependency:copy-dependencies
"$JAVA_HOME/bin/java" src/native/NativeAnalysis.java target/native-sources target/native-analysis-builder \
  src/native/patch target/native-analysis
