#!/usr/bin/env bash
# Makes the Challenge action's default prompts: "To be connected, press 1." for each key a rule may name (0-9, * and #),
# as Graph plays them: WAV, 16 kHz, 16-bit, mono PCM. Spoken by espeak-ng, converted by sox (Debian: apt-get install
# espeak-ng sox). The files are committed: the app serves them at GET /api/prompts/{name}, and needs neither tool.
#   scripts/make-prompts.sh [folder]     (default: CallFunctions/Prompts)
set -euo pipefail
out="${1:-$(dirname "$0")/../CallFunctions/Prompts}"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
say() { # name text
  espeak-ng -v en-us -s 150 -w "$work/$1.wav" "$2"
  # Graph's format, a quarter second of silence before and after, and no header fields sox would add beyond PCM's.
  sox "$work/$1.wav" -r 16000 -b 16 -c 1 -e signed-integer "$out/$1.wav" pad 0.25 0.25
}
for key in 0 1 2 3 4 5 6 7 8 9; do say "press-$key" "To be connected, press $key."; done
say press-star "To be connected, press star."
say press-pound "To be connected, press pound."
ls -l "$out"
