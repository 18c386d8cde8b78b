#!/usr/bin/env bash
# Runs the whole suite with the test host's clock moved to instants where a test that reads the wall clock or the
# machine's time zone would go red: night and morning in UTC on a weekday, a Sunday, the day Europe springs forward,
# the last seconds of a year; then at the real time with TZ far from UTC.
#
# libfaketime (Debian's faketime package) moves the clock in offset mode, and only the test host gets it, through
# RunConfiguration.EnvironmentVariables: wrapping `dotnet test` itself in faketime stalls the runner. The tools the test
# host starts inherit it; the Functions hosts and Azurite do not (Infrastructure/FunctionsHost.cs, Azurite.cs).
#
#   scripts/test-at-instants.sh [name ...]    # no name: every run below; prints one table row per run
#
# Each run's offset is taken from `date +%s` just before it starts, so a run begins at its instant however long the
# runs before it took (with one offset for the whole script, the year-end run would begin well into January).
set -euo pipefail
cd "$(dirname "$0")/.."

lib=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
if [ ! -f "$lib" ]; then
  echo "Installing faketime..."
  apt-get install -y faketime >/dev/null || { echo "faketime is missing: apt-get install faketime" >&2; exit 1; }
fi
if [ ! -x node_modules/.bin/azurite-table ] || [ ! -d node_modules/ajv ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing Azurite and the JSON-schema checker (npm ci)..."
  npm ci --no-audit --no-fund --loglevel=error
fi

# name|instant (UTC, empty: the real time)|TZ (empty: the machine's)
runs=(
  "weekday-03h|2027-01-13T03:00:00Z|"          # a Wednesday, before office hours everywhere in Europe
  "weekday-10h|2027-01-13T10:00:00Z|"          # the same Wednesday, inside office hours in Paris
  "sunday|2027-01-17T12:00:00Z|"               # a Sunday at noon
  "eu-spring-forward|2027-03-28T01:30:00Z|"    # 30 min after clocks in Europe went from 02:00 to 03:00 local
  "year-end|2026-12-31T23:59:50Z|"             # the year, month and day all change 10 s into the run
  "tz-kiritimati||Pacific/Kiritimati"          # UTC+14: already tomorrow
  "tz-adak||America/Adak"                      # UTC-10 (-9 in summer): still yesterday for much of the day
)

selected=("$@")
logs=${CLOCK_RUN_LOGS:-$(mktemp -d -t clock-runs-XXXX)}
mkdir -p "$logs"
echo "Building once; each run then uses the build (--no-build). Logs in $logs"
dotnet build CallFunctions.sln --configuration Release --nologo -v quiet >"$logs/build.txt" 2>&1 || { cat "$logs/build.txt"; exit 1; }

. scripts/test-processes.sh
trap stop_test_processes EXIT

count() { grep -Eo "^(Passed|Failed)! .*" "$1" | grep -Eo "$2: +[0-9]+" | awk '{s += $2} END {print s + 0}'; }

echo
echo "| run | instant (UTC) | FAKETIME | now as seen at the start | TZ | passed | failed | failing tests |"
echo "|---|---|---|---|---|---|---|---|"
status=0
for run in "${runs[@]}"; do
  IFS='|' read -r name instant zone <<<"${run%%#*}"
  name=${name// /}; instant=${instant// /}; zone=${zone// /}
  if [ ${#selected[@]} -gt 0 ] && [[ ! " ${selected[*]} " =~ " $name " ]]; then continue; fi
  settings=()
  offset="-"
  if [ -n "$instant" ]; then
    now=$(date +%s)
    seconds=$(( $(date -u -d "$instant" +%s) - now ))
    offset=$(printf '%+ds' "$seconds")
    settings+=("RunConfiguration.EnvironmentVariables.LD_PRELOAD=$lib" "RunConfiguration.EnvironmentVariables.FAKETIME=$offset")
  fi
  [ -n "$zone" ] && settings+=("RunConfiguration.EnvironmentVariables.TZ=$zone")
  # What a process given the same settings sees as now, in its own zone.
  seen=$(env ${settings[@]+"${settings[@]/#RunConfiguration.EnvironmentVariables./}"} date '+%Y-%m-%dT%H:%M:%S%z')
  log="$logs/$name.txt"
  new_test_run
  set +e
  dotnet test CallFunctions.sln --configuration Release --no-build --nologo --results-directory "$logs/$name" \
    -- "${settings[@]}" >"$log" 2>&1
  code=$?
  stop_test_processes
  set -e
  [ "$code" -ne 0 ] && status=1
  failing=$( (grep -Eo "^  Failed [^ (]+" "$log" || true) | awk '{print $2}' | sed 's/^CallFunctions\.Tests\.//' | sort -u)
  shown=$(echo "$failing" | head -8 | paste -sd ' ' -)
  more=$(( $(echo "$failing" | grep -c . || true) - 8 ))
  [ "$more" -gt 0 ] && shown="$shown (+$more more, see $log)"
  echo "| $name | ${instant:-real time} | $offset | $seen | ${zone:-machine} | $(count "$log" Passed) | $(count "$log" Failed) | ${shown:--} |"
done
exit "$status"
