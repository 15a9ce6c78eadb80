#!/usr/bin/env bash
# `npm test` RUNS times in a row (default 3) while BURNERS processes (default 2) keep every core busy beside it:
# the suite must not depend on timing. Stops at the first failing run; the burners never outlive this script.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${RUNS:-3}"
burners="${BURNERS:-2}"

pids=()
stop_burners() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap stop_burners EXIT INT TERM
for _ in $(seq "$burners"); do
  node -e 'for (;;) {}' &
  pids+=("$!")
done
echo "busy: ${#pids[@]} CPU burners running (pids ${pids[*]})"

for run in $(seq "$runs"); do
  echo "busy: run $run of $runs started $(date -u +%H:%M:%S)"
  npm test
  echo "busy: run $run of $runs passed $(date -u +%H:%M:%S)"
done
echo "busy: $runs runs in a row passed beside $burners CPU burners"
