#!/usr/bin/env bash
# Load test: 10,000 notifications at 64 concurrent connections through the app inside the Functions host, a real Azurite and the Graph
# stand-in (10% of Graph's answers 429, duplicate deliveries), then half as many with storage faults (lost answers, 503s,
# delays) and duplicates on two instances. Prints the counts and the webhook's p50/p99 latency of each.
#   ./load-test.sh [notifications] [connections]
set -euo pipefail
cd "$(dirname "$0")"
[ -x node_modules/.bin/azurite-table ] || npm ci --no-audit --no-fund --loglevel=error
export LOAD_NOTIFICATIONS=${1:-10000} LOAD_CONNECTIONS=${2:-64}
dotnet test CallFunctions.Tests/CallFunctions.Tests.csproj --configuration Release --filter "Category=Load" \
  --logger "console;verbosity=normal" | grep -Ev '^\s*$' | tail -n 3
echo
cat artifacts/load-test.txt
echo
cat artifacts/load-test-storage-faults.txt
