#!/usr/bin/env bash
# Benchmarks: decision cost (BenchmarkDotNet), webhook throughput against a bare endpoint, the rule cache against
# reading the rules for every notification, storage round trips, memory, and cold start against an empty ASP.NET Core
# app. Publishes what it starts into artifacts/bench/, runs on loopback only, and rewrites docs/benchmarks.md.
#   ./benchmark.sh                 everything (about 5 minutes on 2 cores, the first publish included)
#   ./benchmark.sh decision        one part: decision | throughput | coldstart (prints, does not rewrite the doc)
#   ./benchmark.sh query           a one-day summary over 100 days of records against one (rewrites its section of the doc)
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:-all}
[ -x node_modules/.bin/azurite-table ] || npm ci --no-audit --no-fund --loglevel=error

publish() { # project, name, extra options...
  local project=$1 name=$2
  shift 2
  echo "Publishing $name..."
  dotnet publish "$project" --configuration Release --runtime linux-x64 --output "artifacts/bench/publish/$name" \
    --nologo --verbosity quiet -p:DebugType=none -p:GenerateDocumentationFile=false "$@"
}

if [ "$mode" = all ] || [ "$mode" = throughput ] || [ "$mode" = coldstart ]; then
  rm -rf artifacts/bench/publish
  # As ./package.sh publishes the handler; the other ways only for the cold-start comparison.
  publish CallFunctions/CallFunctions.csproj handler-sc-r2r --self-contained true -p:PublishReadyToRun=true
  publish CallFunctions.Benchmarks/EmptyApp/EmptyApp.csproj empty-sc-r2r --self-contained true -p:PublishReadyToRun=true
  if [ "$mode" != throughput ]; then
    publish CallFunctions/CallFunctions.csproj handler-sc --self-contained true -p:PublishReadyToRun=false
    publish CallFunctions.Benchmarks/EmptyApp/EmptyApp.csproj empty-sc --self-contained true -p:PublishReadyToRun=false
    publish CallFunctions/CallFunctions.csproj handler-fdd --self-contained false -p:PublishReadyToRun=false
    publish CallFunctions.Benchmarks/EmptyApp/EmptyApp.csproj empty-fdd --self-contained false -p:PublishReadyToRun=false
  fi
fi

dotnet run --configuration Release --project CallFunctions.Benchmarks -- "$mode"
