#!/usr/bin/env bash
# Prints the path of scripts/temporal-test-server.sh once the Java time-skipping test server it runs is cached,
# fetching io.temporal:temporal-test-server and its dependencies from Maven Central with mvn on first use.
# Prints nothing (exit 0) when java or mvn is missing, so time-skipping tests can say how to get it.
# Only the path goes to stdout; progress goes to stderr.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WRAPPER="$SCRIPT_DIR/temporal-test-server.sh"
VERSION="$(sed -n 's/^TEMPORAL_TEST_SERVER_VERSION=\([^ ]*\).*/\1/p' "$WRAPPER")"
LIB_DIR="$(bash "$WRAPPER" --lib-dir)"
SLF4J_NOP_VERSION=1.7.36 # matches the slf4j-api the test server depends on; silences its "no binding" warning

log() { echo "setup-test-server: $*" >&2; }

if bash "$WRAPPER" --check 2>/dev/null; then
  echo "$WRAPPER"
  exit 0
fi
for tool in java mvn; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    log "no $tool here; the time-skipping test server is unavailable"
    exit 0
  fi
done

# Resolve into a private folder and rename into place, so a concurrent caller never sees half the jars.
CACHE_DIR="$(dirname "$LIB_DIR")"
mkdir -p "$CACHE_DIR"
WORK_DIR="$(mktemp -d "$CACHE_DIR/.fetch.XXXXXX")"
trap 'rm -rf "$WORK_DIR"' EXIT
cat >"$WORK_DIR/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>sendarix.local</groupId>
  <artifactId>temporal-test-server-fetch</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${VERSION}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-nop</artifactId>
      <version>${SLF4J_NOP_VERSION}</version>
    </dependency>
  </dependencies>
</project>
POM
log "fetching io.temporal:temporal-test-server:${VERSION} and its dependencies with mvn"
started_s=$SECONDS
mvn -B -q -Dstyle.color=never -f "$WORK_DIR/pom.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$WORK_DIR/lib" >&2
touch "$WORK_DIR/lib/.complete"
rm -rf "$LIB_DIR"
mv "$WORK_DIR/lib" "$LIB_DIR"
log "cached $(find "$LIB_DIR" -name '*.jar' | wc -l) jars in $LIB_DIR in $((SECONDS - started_s)) s"
bash "$WRAPPER" --check
echo "$WRAPPER"
