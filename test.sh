#!/usr/bin/env bash
# Runs every test: installs Azurite (npm, into the repo) when missing, builds, and runs the xunit
# suite against a real Azurite, the app inside the real Functions host over loopback HTTP (`func` when it is on PATH,
# otherwise the host folder named by FUNCTIONS_HOST_PATH, by default ../shared/functions-host), and a loopback Graph
# stand-in; the dashboard in headless Chromium (installed with apt-get when missing, as root).
set -euo pipefail
cd "$(dirname "$0")"

if [ ! -x node_modules/.bin/azurite ] || [ ! -d node_modules/ajv ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing Azurite and the JSON-schema checker (npm ci)..."
  npm ci --no-audit --no-fund --loglevel=error
fi

# The tests run the app inside it.
. scripts/functions-host.sh
find_functions_host || exit 1

# The browser test drives headless Chromium through chromedriver (Debian's packages).
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Chromium and chromedriver for the browser test (apt-get)..."
    apt-get install -y chromium chromium-driver >/dev/null \
      || { apt-get update >/dev/null && apt-get install -y chromium chromium-driver >/dev/null; }
  else
    echo "The browser test needs chromium and chromedriver: run ./test.sh as root (it installs them with apt-get)," >&2
    echo "or install them: sudo apt-get install -y chromium chromium-driver" >&2
    exit 1
  fi
fi

# Test results (trx files, the dashboard's screenshot) stay in artifacts/test-results/ after the run.
results=artifacts/test-results
rm -rf "$results"
mkdir -p "$results"
export CALLFUNCTIONS_TEST_RESULTS=$PWD/$results
. scripts/test-processes.sh
new_test_run
trap stop_test_processes EXIT
set +e
dotnet test CallFunctions.sln --configuration Release --results-directory "$results" "$@" 2>&1 | tee "$results/out.txt"
status=${PIPESTATUS[0]}
set -e

# One plain summary line for CI: "N passed, N failed".
count() { grep -Eo "^(Passed|Failed)! .*" "$results/out.txt" | grep -Eo "$1: +[0-9]+" | awk '{s += $2} END {print s + 0}'; }
echo
echo "$(count Passed) passed, $(count Failed) failed"
exit "$status"
