#!/usr/bin/env bash
# Benchmarks: decision cost (BenchmarkDotNet, in process), then through the real Azure Functions host: ring to reject
# (one call at a time and a burst), CPU per notification of host and worker against an empty isolated app, the worker's
# peak working set, a ring's cost with a Repeat rule in scope against without one, and cold start against the empty app.
# Publishes both apps as ./package.sh does into artifacts/bench/publish/, runs on loopback only, and rewrites
# docs/benchmarks.md.
#   ./benchmark.sh                 everything (about 10 minutes on a quiet 2-core machine, 25 loaded; the publishes not included)
#   ./benchmark.sh <part>          one part: decision | ringtoreject | cpu | memory | coldstart (prints, does not
#                                  rewrite the doc); memory runs ring to reject (its bursts) and then cpu, as the whole
#                                  run does, since the worker's peak is measured after them
#   ./benchmark.sh query           a one-day summary over 100 days of records against one, in Azurite (no host; rewrites
#                                  its section of the doc)
#   ./benchmark.sh challenge       ring to answer beside ring to reject, and a challenged call's storage requests and CPU
#                                  against a rejected call's (rewrites its section of the doc)
#   ./benchmark.sh repeat          a ring's storage requests and CPU per notification with a Repeat rule in scope against
#                                  without one, alternating in one app (rewrites its section of the doc)
#   ./benchmark.sh wholepath       the webhook's whole path in process (BenchmarkDotNet, stub HTTP; rewrites its section)
#   ./benchmark.sh profile         the CPU comparison with EventPipe's sample profiler on the app's worker and host:
#                                  their top costs (rewrites its section of the doc)
# The host: `func` when on PATH, otherwise FUNCTIONS_HOST_PATH (default ../shared/functions-host), as for the tests.
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-all}
[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund --loglevel=error

publish() { # project, name
  echo "Publishing $2 (framework-dependent, ReadyToRun, linux-x64, as ./package.sh)..."
  dotnet publish "$1" --configuration Release --runtime linux-x64 --self-contained false -p:PublishReadyToRun=true \
    --output "artifacts/bench/publish/$2" --nologo --verbosity quiet -p:DebugType=none -p:GenerateDocumentationFile=false
}

if [ "$mode" != decision ] && [ "$mode" != query ] && [ "$mode" != wholepath ]; then
  rm -rf artifacts/bench/publish
  publish CallFunctions/CallFunctions.csproj app
  publish CallFunctions.Benchmarks/EmptyApp/EmptyApp.csproj empty
fi

dotnet run --configuration Release --project CallFunctions.Benchmarks -- "$mode"
