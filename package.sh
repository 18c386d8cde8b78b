#!/usr/bin/env bash
# Builds the deployable zip of the Functions app: what `dotnet publish` gives the host to load (host.json,
# functions.metadata, worker.config.json, the worker and its extensions), ReadyToRun for linux-x64 and framework-
# dependent (Flex Consumption's dotnet-isolated 10.0 stack brings .NET). No local.settings.json, tests or dev files.
#   ./package.sh [output.zip]      default: artifacts/callfunctions.zip
#   READY_TO_RUN=false ./package.sh  skips the ReadyToRun compilation (minutes of CPU), as the package test does
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-artifacts/callfunctions.zip}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# ReadyToRun: precompiled code lets the worker start sooner than JIT alone (docs/benchmarks.md, cold start).
ready_to_run=${READY_TO_RUN:-true}
echo "Publishing the app (ReadyToRun=$ready_to_run, linux-x64)..."
dotnet publish CallFunctions/CallFunctions.csproj --configuration Release --runtime linux-x64 --self-contained false \
  -p:PublishReadyToRun="$ready_to_run" --output "$stage" --nologo --verbosity quiet -p:DebugType=none -p:GenerateDocumentationFile=false

mkdir -p "$(dirname "$out")"
rm -f "$out"
# Python's zipfile records each file's Unix mode, so the CallFunctions executable stays executable after unzip.
python3 - "$stage" "$out" <<'PY'
import os, sys, zipfile
stage, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
    for folder, dirs, files in os.walk(stage):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            entry = zipfile.ZipInfo.from_file(path, os.path.relpath(path, stage))
            entry.create_system = 3  # Unix: external_attr holds the file mode
            entry.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as source:
                archive.writestr(entry, source.read())
PY
functions=$(node -e 'const fs = require("fs"); console.log(JSON.parse(fs.readFileSync(process.argv[1], "utf8")).map(f => f.name).join(", "))' "$stage/functions.metadata")
echo "Wrote $out ($(du -h "$out" | cut -f1)): host.json, functions.metadata ($functions), worker.config.json, the worker"
