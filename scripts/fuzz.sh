#!/usr/bin/env bash
# `npm run fuzz`: schema-driven fuzzing of the whole OpenAPI document with schemathesis. Starts Sendarix
# (src/main.ts: embedded Temporal dev server, PGlite, sandbox SMTP) on free loopback ports with a temporary data
# folder, runs schemathesis against GET /v1/openapi.json with an admin key, and stops Sendarix again.
# Fails on any 5xx and on any response that the document does not describe.
#
# Environment: FUZZ_MAX_EXAMPLES (cases per operation, default 100), FUZZ_SEED (reproducible run),
# FUZZ_WORKERS (default 2), FUZZ_REPORT_DIR (default .test-artifacts/fuzz), FUZZ_MAX_TIME_S (overall bound).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=.venv-fuzz
SCHEMATHESIS_VERSION=4.32.5
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-100}"
WORKERS="${FUZZ_WORKERS:-2}"
REPORT_DIR="${FUZZ_REPORT_DIR:-.test-artifacts/fuzz}"
MAX_TIME_S="${FUZZ_MAX_TIME_S:-1500}"
READY_TIMEOUT_S=120
STOP_TIMEOUT_S=20
# No 5xx, and every response as the document describes it: status, content type, body schema, headers.
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance
CHECKS+=,response_schema_conformance,response_headers_conformance
API_KEY="sk_live_fuzz$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"

# A venv of our own, so the system Python stays untouched; created on first use.
ensure_schemathesis() {
  local python
  python="$(command -v python3.11 || command -v python3)"
  if [[ ! -x "$VENV/bin/schemathesis" ]]; then
    "$python" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet "schemathesis==${SCHEMATHESIS_VERSION}"
  fi
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

DATA_DIR="$(mktemp -d -t sendarix-fuzz-XXXXXX)"
LOG_FILE="$DATA_DIR/sendarix.log"
SX_PID=""

stop_sendarix() {
  if [[ -n "$SX_PID" ]] && kill -0 "$SX_PID" 2>/dev/null; then
    kill -TERM "$SX_PID"
    local waited=0
    while kill -0 "$SX_PID" 2>/dev/null && ((waited < STOP_TIMEOUT_S)); do
      sleep 1
      waited=$((waited + 1))
    done
    if kill -0 "$SX_PID" 2>/dev/null; then kill -KILL "$SX_PID"; fi
  fi
  rm -rf "$DATA_DIR"
}
trap stop_sendarix EXIT

start_sendarix() {
  # The rate limit is raised: thousands of cases a minute from one key are the point here, not abuse.
  env -i PATH="$PATH" HOME="${HOME:-/root}" ${TEMPORAL_CLI:+TEMPORAL_CLI="$TEMPORAL_CLI"} \
    PORT=0 HOST=127.0.0.1 LOG_LEVEL=info \
    SENDARIX_DATA_DIR="$DATA_DIR/data" \
    TEMPORAL_PORT=0 TEMPORAL_UI_PORT="$(free_port)" \
    SENDARIX_SANDBOX_SMTP_PORT=0 SENDARIX_SMTP_PORT=0 SENDARIX_INBOUND_PORT=0 \
    SENDARIX_BOOTSTRAP_API_KEY="$API_KEY" \
    SENDARIX_RATE_LIMIT_PER_MINUTE=1000000 \
    SENDARIX_RETRY_SCHEDULE=1s,1s \
    node --import tsx src/main.ts >"$LOG_FILE" 2>&1 &
  SX_PID=$!
  local waited=0
  until grep -q '"msg":"sendarix ready"' "$LOG_FILE" 2>/dev/null; do
    if ! kill -0 "$SX_PID" 2>/dev/null; then
      echo "sendarix exited during start-up:" >&2
      tail -n 30 "$LOG_FILE" >&2
      exit 1
    fi
    if ((waited >= READY_TIMEOUT_S)); then
      echo "sendarix was not ready within ${READY_TIMEOUT_S} s" >&2
      tail -n 30 "$LOG_FILE" >&2
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  API_URL="$(grep -m1 '"msg":"sendarix ready"' "$LOG_FILE" | sed -E 's/.*"api_url":"([^"]+)".*/\1/')"
}

ensure_schemathesis
start_sendarix
echo "fuzzing ${API_URL} (pid ${SX_PID}), ${MAX_EXAMPLES} examples per operation"
mkdir -p "$REPORT_DIR"

set +e
timeout --kill-after=30 "$MAX_TIME_S" "$VENV/bin/schemathesis" run "${API_URL}/v1/openapi.json" \
  --url "$API_URL" \
  --header "Authorization: Bearer ${API_KEY}" \
  --checks "$CHECKS" \
  --max-examples "$MAX_EXAMPLES" \
  --workers "$WORKERS" \
  --request-timeout 30 \
  --suppress-health-check all \
  --report junit,ndjson --report-dir "$REPORT_DIR" \
  ${FUZZ_SEED:+--seed "$FUZZ_SEED"}
status=$?
set -e

if ! kill -0 "$SX_PID" 2>/dev/null; then
  echo "sendarix died during the fuzz run:" >&2
  tail -n 30 "$LOG_FILE" >&2
  status=1
fi
if grep -q '"level":50' "$LOG_FILE"; then
  echo "sendarix logged errors during the run (first lines):" >&2
  grep '"level":50' "$LOG_FILE" | head -n 5 >&2
fi
exit "$status"
