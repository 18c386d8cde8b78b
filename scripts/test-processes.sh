# Sourced by test.sh and scripts/test-at-instants.sh. The Functions hosts, their workers and Azurite that a test run
# starts inherit CALLFUNCTIONS_TEST_RUN; when the run ends, however it ends, those still running are stopped. A pooled
# host lives until the test process exits, and one that outlived it would keep a core busy for nothing.
new_test_run() { export CALLFUNCTIONS_TEST_RUN="$$-$(date +%s%N)"; }

stop_test_processes() {
  [ -n "${CALLFUNCTIONS_TEST_RUN:-}" ] || return 0
  local environ pid pids=()
  for environ in /proc/[0-9]*/environ; do
    pid=${environ#/proc/}; pid=${pid%/environ}
    [ "$pid" = "$$" ] && continue
    if { tr '\0' '\n' <"$environ"; } 2>/dev/null | grep -qxF "CALLFUNCTIONS_TEST_RUN=$CALLFUNCTIONS_TEST_RUN"; then pids+=("$pid"); fi
  done
  [ ${#pids[@]} -gt 0 ] || return 0
  kill "${pids[@]}" 2>/dev/null || true
  # A host asked to stop waits for its work; after a few seconds what is left is killed.
  local alive
  for _ in 1 2 3 4 5 6; do
    alive=()
    for pid in "${pids[@]}"; do if kill -0 "$pid" 2>/dev/null; then alive+=("$pid"); fi; done
    [ ${#alive[@]} -gt 0 ] || return 0
    sleep 1
  done
  kill -KILL "${alive[@]}" 2>/dev/null || true
  return 0
}
