#!/usr/bin/env bash
# Runs every benchmark (bench/<area>/run.sh) in turn; each writes its table into docs/benchmarks.md
# or bench/results/. Usage: bench/run.sh [area…]
set -euo pipefail
cd "$(dirname "$0")/.."
areas=("$@")
if [ ${#areas[@]} -eq 0 ]; then
  for d in bench/*/; do [ -x "$d/run.sh" ] && areas+=("$(basename "$d")"); done
fi
for a in "${areas[@]}"; do
  echo "== bench/$a" >&2
  "bench/$a/run.sh"
done
