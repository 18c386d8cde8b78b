#!/usr/bin/env bash
# Checks a deployed CallFunctions app from outside, as Graph and an operator reach it, without touching a call:
#   scripts/smoke-check.sh <app URL> <function key>
#   e.g. scripts/smoke-check.sh https://func-callfunctions-abc123.azurewebsites.net "$KEY"
# 1. GET /api/health answers 200 (the app started: its settings passed validation);
# 2. POST /api/calls without Graph's signed token answers 401 (only Graph may drive the bot);
# 3. POST /api/rules/explain with the function key answers 200 (the rules table can be read; nothing is sent to Graph).
# Prints one line per check and exits 1 when any fails. The key goes in a header, never on the command line of curl.
set -euo pipefail
url=${1:?usage: scripts/smoke-check.sh <app URL> <function key>}
key=${2:?usage: scripts/smoke-check.sh <app URL> <function key>}
url=${url%/}
failed=0

# An incoming PSTN call, as Graph sends it: explain evaluates it against the rules and writes nothing.
notification='{"@odata.type":"#microsoft.graph.commsNotifications","value":[{"@odata.type":"#microsoft.graph.commsNotification","changeType":"created","resourceUrl":"/communications/calls/00000000-0000-4000-8000-00000000c0de","resourceData":{"@odata.type":"#microsoft.graph.call","state":"incoming","direction":"incoming","source":{"@odata.type":"#microsoft.graph.participantInfo","identity":{"@odata.type":"#microsoft.graph.identitySet","phone":{"@odata.type":"#microsoft.graph.identity","id":"+14255550123"}}},"targets":[{"@odata.type":"#microsoft.graph.invitationParticipantInfo","identity":{"@odata.type":"#microsoft.graph.identitySet","applicationInstance":{"@odata.type":"#microsoft.graph.identity","id":"00000000-0000-4000-8000-000000000001"}}}]}}]}'

check() { # label, expected status, curl arguments...
  local label=$1 expected=$2 status
  shift 2
  status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$@") || status=000
  if [ "$status" = "$expected" ]; then
    echo "ok    $label: $status"
  else
    echo "FAIL  $label: $status, expected $expected"
    failed=1
  fi
}

check "GET /api/health" 200 "$url/api/health"
check "POST /api/calls without Graph's token" 401 \
  -H 'Content-Type: application/json' --data-binary "$notification" "$url/api/calls"
check "POST /api/rules/explain with the function key" 200 \
  -H 'Content-Type: application/json' -H @- --data-binary "$notification" "$url/api/rules/explain" <<<"x-functions-key: $key"

if [ "$failed" -ne 0 ]; then
  echo "smoke-check: FAILED ($url). docs/troubleshooting.md says what each answer means."
  exit 1
fi
echo "smoke-check: passed ($url)"
