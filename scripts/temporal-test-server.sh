#!/usr/bin/env bash
# Runs the Java SDK's time-skipping Temporal test server from the jars scripts/setup-test-server.sh caches.
# The TypeScript SDK starts it as `<this script> <port> [flags]` (TestWorkflowEnvironment.createTimeSkipping with an
# existing-path executable) and stops it by killing the pid it spawned, so the script execs java in its own place.
#   temporal-test-server.sh PORT [FLAGS...]   run the server
#   temporal-test-server.sh --lib-dir         print the jar folder for this version
#   temporal-test-server.sh --check           exit 0 when java and the jars are there, else explain on stderr
set -euo pipefail

TEMPORAL_TEST_SERVER_VERSION=1.38.0 # io.temporal:temporal-test-server on Maven Central
LIB_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/sendarix/temporal-test-server-${TEMPORAL_TEST_SERVER_VERSION}/lib"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# Tests need a fast start more than peak speed: C1 only, one GC thread pool that suits two cores.
JAVA_OPTS=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k)

check() {
  if ! command -v "$JAVA" >/dev/null 2>&1; then
    echo "temporal-test-server: no java on PATH (or in JAVA_HOME)" >&2
    return 1
  fi
  if [[ ! -f "$LIB_DIR/.complete" ]]; then
    echo "temporal-test-server: jars missing in $LIB_DIR; run scripts/setup-test-server.sh" >&2
    return 1
  fi
}

case "${1:-}" in
  --lib-dir)
    echo "$LIB_DIR"
    ;;
  --check)
    check
    ;;
  '' | -*)
    echo "usage: $0 PORT [FLAGS...] | --lib-dir | --check" >&2
    exit 2
    ;;
  *)
    check
    exec "$JAVA" "${JAVA_OPTS[@]}" -cp "$LIB_DIR/*" io.temporal.testserver.TestServer "$@"
    ;;
esac
