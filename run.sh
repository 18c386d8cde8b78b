#!/usr/bin/env bash
# Runs CallFunctions locally and shows it working: builds the app, starts Azurite and the Functions host on it
# (`func start` when Azure Functions Core Tools are installed, otherwise the host folder named by FUNCTIONS_HOST_PATH,
# by default ../shared/functions-host), seeds example rules when the rules table is empty, sends the sample
# notifications, and prints what happened. Graph is not reachable from a local machine, so the app runs in dry-run
# mode: it decides and records, and sends nothing to Graph.
#   ./run.sh          keep the app running afterwards (Ctrl+C stops everything)
#   ./run.sh --once   stop after the demonstration
set -euo pipefail
cd "$(dirname "$0")"

once=false
[ "${1:-}" = "--once" ] && once=true
port=7071
storage_port=10002
blob_port=10000
queue_port=10001
url="http://127.0.0.1:$port"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
# Ctrl+C or a TERM ends the script through its EXIT trap, which stops Azurite and the host.
trap 'exit 130' INT
trap 'exit 143' TERM
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() {
  for _ in $(seq 1 "$2"); do listening "$1" && return 0; sleep 0.5; done
  echo "Nothing is listening on port $1 after $(( $2 / 2 )) s." >&2; return 1
}

if [ ! -x node_modules/.bin/azurite ]; then
  echo "Installing Azurite into this folder (npm ci)..."
  npm ci --no-audit --no-fund --loglevel=error
fi
app=CallFunctions/bin/Release/net10.0
echo "Building the app into $app ..."
dotnet build CallFunctions/CallFunctions.csproj --configuration Release --nologo --verbosity quiet

. scripts/functions-host.sh
find_functions_host || exit 1
host=$FUNCTIONS_HOST_PATH

# The settings of local.settings.json, as the Functions host gives them to the app (and to the tools below).
eval "$(node -e '
  const values = require("./local.settings.json").Values;
  for (const [k, v] of Object.entries(values)) console.log(`export ${k}='"'"'${String(v).replace(/'"'"'/g, `'"'"'\\'"'"''"'"'`)}'"'"'`);
')"

# UseDevelopmentStorage=true: blobs on 10000 (the host's timer keeps its schedule and lock there), queues on 10001,
# tables on 10002 (the app's rules and records).
if listening "$storage_port"; then
  echo "Using the storage emulator already listening on port $storage_port."
  if ! listening "$blob_port"; then
    echo "Starting Azurite (blobs, for the host's timer) on port $blob_port, data in .azurite/ ..."
    node_modules/.bin/azurite-blob --silent --disableTelemetry --skipApiVersionCheck --location .azurite \
      --blobHost 127.0.0.1 --blobPort "$blob_port" &
    pids+=($!)
    wait_for "$blob_port" 60
  fi
else
  echo "Starting Azurite (blobs $blob_port, queues $queue_port, tables $storage_port), data in .azurite/ ..."
  node_modules/.bin/azurite --silent --disableTelemetry --skipApiVersionCheck --location .azurite \
    --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
    --tableHost 127.0.0.1 --tablePort "$storage_port" &
  pids+=($!)
  wait_for "$storage_port" 60
  wait_for "$blob_port" 60
fi

mkdir -p .azurite
dotnet "$app/CallFunctions.dll" rules seed samples/rules.example.json

if listening "$port"; then
  echo "Port $port is already in use: stop whatever listens there (another ./run.sh or func start) and try again." >&2
  exit 1
fi
if [ -z "$host" ]; then
  # Core Tools do not check function keys locally: the page opens without one.
  dashboard="$url/api/dashboard"
  echo "Starting the Functions host (func start) on port $port, log in .azurite/host.log ..."
  (cd "$app" && exec func start --port "$port") > .azurite/host.log 2>&1 &
else
  # This host checks function keys, as Azure does: it is given a key of this folder's own (made once, kept in
  # .azurite/secrets, never committed), so the dashboard's URL below opens the page.
  secrets="$PWD/.azurite/secrets"
  if [ ! -f "$secrets/host.json" ]; then
    mkdir -p "$secrets"
    (umask 077; node -e '
      const key = () => require("crypto").randomBytes(32).toString("base64url");
      const entry = (name) => ({ name, value: key(), encrypted: false });
      console.log(JSON.stringify({ masterKey: entry("master"), functionKeys: [entry("default")], systemKeys: [] }));
    ' > "$secrets/host.json")
  fi
  key=$(node -e 'console.log(require(process.argv[1]).functionKeys.find((k) => k.name === "default").value)' "$secrets/host.json")
  dashboard="$url/api/dashboard?code=$key"
  echo "Starting the Functions host in $host on port $port, log in .azurite/host.log ..."
  FUNCTIONS_SECRETS_PATH="$secrets" LOCAL_SETTINGS="$PWD/local.settings.json" "$host/start-host.sh" "$app" "$port" > .azurite/host.log 2>&1 &
fi
pids+=($!)
wait_for "$port" 120
# The host listens before its worker is up: wait until the app answers.
for _ in $(seq 1 120); do curl -sf -o /dev/null "$url/api/health" && break; sleep 0.5; done

echo
echo "Graph cannot be reached from here: DRY RUN (Graph__DryRun=true). Each call is decided and recorded,"
echo "but no reject or hang-up is sent to Graph."
echo
echo "Sending the sample notifications to $url/api/calls ..."
post() { # route file-or-json label
  local body=$2 status
  [ -f "$2" ] && body=$(cat "$2")
  status=$(curl -s -o .azurite/answer.json -w '%{http_code}' -H 'Content-Type: application/json' --data-binary "$body" "$url$1")
  node scripts/show-report.mjs "$status" "$3" < .azurite/answer.json
}
post /api/calls samples/incoming-pstn.json "PSTN call from +14255550123"
post /api/calls samples/incoming-p2p-teams-user.json "Teams call from Adele Vance"
post /api/calls samples/incoming-group-invite.json "Meeting invitation"
post /api/calls/outcomes '{"@odata.type":"#microsoft.graph.commsNotifications","value":[{"changeType":"deleted","resourceUrl":"/communications/calls/491f0b00-ffff-4bc9-a43e-b226498ec22a","resourceData":{"@odata.type":"#microsoft.graph.call","state":"terminated"}}]}' "Rejected PSTN call ends"
post /api/calls samples/established.json "Another call established"
post /api/calls samples/terminating.json "...terminating"
post /api/calls samples/terminated-5001.json "...terminated"
post /api/calls samples/terminated-5002-real.json "A call ends (real traffic)"
post /api/calls '{"id":"legacy","type":"Call"}' "Legacy-format notification"

echo
echo "Recorded in table ${Outcomes__Table} (one record per call):"
dotnet "$app/CallFunctions.dll" outcomes list
echo

if $once; then exit 0; fi
echo "The webhook keeps running at $url/api/calls (outcomes: $url/api/calls/outcomes); Ctrl+C stops it."
echo "The dashboard: $dashboard"
echo "Edit the rules in table ${Rules__Table} (Azure Storage Explorer: local emulator); changes apply within ${Rules__RefreshSeconds} s."
wait
