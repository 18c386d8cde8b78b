# Sourced by run.sh and test.sh: which Functions host runs the app. `func` (Azure Functions Core Tools) when it is on
# PATH; otherwise the host folder named by FUNCTIONS_HOST_PATH, by default ../shared/functions-host, holding
# start-host.sh. Sets FUNCTIONS_HOST_PATH (exported, absolute) in the second case and leaves it empty in the first;
# returns 1, saying how to get one, when there is neither.
find_functions_host() {
  if command -v func >/dev/null 2>&1; then
    FUNCTIONS_HOST_PATH=""
    return 0
  fi
  local host=${FUNCTIONS_HOST_PATH:-../shared/functions-host}
  if [ ! -x "$host/start-host.sh" ]; then
    echo "No Azure Functions host: install Azure Functions Core Tools (func), or set FUNCTIONS_HOST_PATH to a host" >&2
    echo "folder holding start-host.sh (README.md#prerequisites)." >&2
    return 1
  fi
  FUNCTIONS_HOST_PATH=$(cd "$host" && pwd)
  export FUNCTIONS_HOST_PATH
}
