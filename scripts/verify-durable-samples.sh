#!/usr/bin/env bash
# Runs the official durable-functions TypeScript samples (Azure/azure-functions-durable-js,
# folder samples-ts) unmodified on factory-host and prints each sample's final status.
# Usage: scripts/verify-durable-samples.sh <path to a samples-ts checkout>   (needs curl and jq)
# The samples are not part of this repository; bring your own checkout.
set -euo pipefail
samples=$(cd "${1:?path to samples-ts}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
port=${PORT:-7399}
work=$(mktemp -d)
mkdir -p "$work/input/sub"
printf 'hello\n' >"$work/input/a.txt"; printf '0123456789' >"$work/input/sub/b.bin"; printf 'xyz' >"$work/input/c.md"
(cd "$samples" && npm ci --no-audit --no-fund >/dev/null && npx tsc)
node "$root/dist/local/bin/factory-host.js" "$samples" --port "$port" --data-dir "$work/data" >"$work/host.log" 2>&1 &
host=$!
trap 'kill $host 2>/dev/null || true' EXIT
until grep -q listening "$work/host.log"; do sleep 0.2; done

run() { # name body [max seconds]
  local uri status
  uri=$(curl -s -X POST -d "$2" "http://localhost:$port/api/orchestrators/$1" | jq -r .statusQueryGetUri)
  for _ in $(seq 1 $(( ${3:-60} * 5 ))); do
    status=$(curl -s "$uri")
    case $(jq -r .runtimeStatus <<<"$status") in Completed|Failed|Terminated) break ;; esac
    sleep 0.2
  done
  printf '%-28s %s\n' "$1" "$(jq -c '{runtimeStatus, output}' <<<"$status")"
}

run helloSequence '{}'
run sayHelloWithActivity '"Tokyo"'
run sayHelloWithCustomStatus '"Paris"'
run sayHelloWithSubOrchestrator '"Bob"'
run backupSiteContent "\"$work/input\""
(cd "$work/data/blobs" && find . -type f | sort | sed 's/^/    blob /')
run callActivityWithRetry null
run callSubOrchestratorWithRetry null 60
run cancelTimer null
run continueAsNewCounter null 400
