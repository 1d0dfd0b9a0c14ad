#!/usr/bin/env bash
# Prints the path of a Temporal CLI (dev server with SQLite persistence and the Web UI), building it once if needed.
# Order: $TEMPORAL_CLI if executable; the cached build; a fresh `go install` into the cache when Go is present.
# Prints nothing (exit 0) when no CLI can be had, so callers fall back to the SDK's own download of the dev server.
# Only the path goes to stdout; progress goes to stderr.
set -euo pipefail

TEMPORAL_CLI_VERSION=1.5.1 # later tags of github.com/temporalio/cli carry a replace directive and fail `go install`
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/sendarix/temporal-cli-${TEMPORAL_CLI_VERSION}"
CACHED_CLI="$CACHE_DIR/temporal"

log() { echo "setup-temporal: $*" >&2; }

if [[ -n "${TEMPORAL_CLI:-}" ]]; then
  if [[ -f "$TEMPORAL_CLI" && -x "$TEMPORAL_CLI" ]]; then
    echo "$TEMPORAL_CLI"
    exit 0
  fi
  log "TEMPORAL_CLI=$TEMPORAL_CLI is not an executable file; ignoring it"
fi

if [[ -f "$CACHED_CLI" && -x "$CACHED_CLI" ]]; then
  echo "$CACHED_CLI"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  log "no Temporal CLI cached and no Go toolchain; the SDK will download the dev server itself"
  exit 0
fi

# Build into a private folder and rename into place, so a concurrent caller never sees a half-written binary.
mkdir -p "$(dirname "$CACHE_DIR")"
BUILD_DIR="$(mktemp -d "$(dirname "$CACHE_DIR")/.temporal-cli-build.XXXXXX")"
trap 'rm -rf "$BUILD_DIR"' EXIT
log "building Temporal CLI v${TEMPORAL_CLI_VERSION} with $(go version) (takes a few minutes)"
started_s=$SECONDS
GOBIN="$BUILD_DIR" go install "github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}" >&2
mkdir -p "$CACHE_DIR"
mv -f "$BUILD_DIR/temporal" "$CACHED_CLI"
log "built $CACHED_CLI in $((SECONDS - started_s)) s"
echo "$CACHED_CLI"
