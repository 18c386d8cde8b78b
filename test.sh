#!/usr/bin/env bash
# Runs every test: installs Azurite (npm, into the repo) when missing, builds, and runs the xunit
# suite against a real Azurite, the app inside the real Functions host over loopback HTTP (`func` when it is on PATH,
# otherwise the host folder named by FUNCTIONS_HOST_PATH, by default ../shared/functions-host), and a loopback Graph
# stand-in.
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x node_modules/.bin/azurite-table ] || [ ! -d node_modules/ajv ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing Azurite and the JSON-schema checker (npm ci)..."
  npm ci --no-audit --no-fund --loglevel=error
fi

if ! command -v func >/dev/null 2>&1; then
  host=${FUNCTIONS_HOST_PATH:-../shared/functions-host}
  if [ ! -x "$host/start-host.sh" ]; then
    echo "No Azure Functions host: install Azure Functions Core Tools (func), or set FUNCTIONS_HOST_PATH to a host" >&2
    echo "folder holding start-host.sh. The tests run the app inside it." >&2
    exit 1
  fi
  export FUNCTIONS_HOST_PATH=$(cd "$host" && pwd)
fi

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
set +e
dotnet test CallFunctions.sln --configuration Release --results-directory "$results" "$@" 2>&1 | tee "$results/out.txt"
status=${PIPESTATUS[0]}
set -e

# One plain summary line for CI: "N passed, N failed".
count() { grep -Eo "^(Passed|Failed)! .*" "$results/out.txt" | grep -Eo "$1: +[0-9]+" | awk '{s += $2} END {print s + 0}'; }
echo
echo "$(count Passed) passed, $(count Failed) failed"
exit "$status"
