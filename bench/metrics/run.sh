#!/usr/bin/env bash
# Start-up cost of metrics: a command run without --metrics must not be slower than before the
# metrics issue. Builds the pre-metrics commit (BASE, default: main) into a temp dir and times both
# builds in one hyperfine run (medians), then the cost of asking for --metrics. Writes the table into
# the metrics section of docs/benchmarks.md. Usage: bench/metrics/run.sh [BASE]
set -euo pipefail
cd "$(dirname "$0")/../.."
base=${1:-main}
runs=${RUNS:-40}
mkdir -p tmp   # in the checkout (git-ignored): shared /tmp is cleaned by other jobs on this machine
tmp=$(mktemp -d "$PWD/tmp/bench-metrics.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

node build.mjs
mkdir "$tmp/base"
git archive "$base" | tar -x -C "$tmp/base"
ln -s "$PWD/node_modules" "$tmp/base/node_modules"
(cd "$tmp/base" && node build.mjs)
new=$PWD/bin/ream
old=$tmp/base/bin/ream
: > "$tmp/empty.ndjson"

# On the base build most commands are scaffolds that exit 2: start-up is what is timed.
node bench/metrics/startup.mjs "$runs" \
  "node=node -e 0" \
  "base-version=$old filter --version" \
  "this-version=$new filter --version" \
  "base-csv=$old csv $tmp/empty.ndjson" \
  "this-csv=$new csv $tmp/empty.ndjson" \
  "plain=$new filter true $tmp/empty.ndjson" \
  "with-metrics=$new filter true $tmp/empty.ndjson --metrics $tmp/m.prom" > "$tmp/startup.json"

get() { jq -r --arg n "$1" --arg f "$2" '.[$n][$f]' "$tmp/startup.json"; }
row() {
  local w1 w2 c1 c2
  w1=$(get "$2" wallMs) w2=$(get "$3" wallMs) c1=$(get "$2" cpuMs) c2=$(get "$3" cpuMs)
  printf '| %s | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f |\n' "$1" "$w1" "$w2" "$(echo "$w2 / $w1" | bc -l)" "$c1" "$c2" "$(echo "$c2 / $c1" | bc -l)"
}
table=$(
  echo "| command | base wall (ms) | this wall (ms) | ratio | base CPU (ms) | this CPU (ms) | ratio |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  row '`ream filter --version`' base-version this-version
  row '`ream csv < empty`' base-csv this-csv
)
cost=$(
  echo "| this build | without --metrics wall (ms) | with --metrics m.prom wall (ms) | ratio | without CPU (ms) | with CPU (ms) | ratio |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  row '`ream filter true < empty`' plain with-metrics
)
node_ms=$(printf '%.1f' "$(get node wallMs)")

section=$(cat <<MD

## metrics — start-up cost

A command run without \`--metrics\` must start as fast as before the metrics issue: the dispatcher only
declares the two options; the writer, catalog and file code load only when \`--metrics\` is given.
$runs interleaved rounds (\`bench/metrics/startup.mjs\`: each round runs every command once in a
shuffled order, after 2 warm-up rounds) with base = \`$base\` built into a temp dir, in one run: median
wall time, and mean user + system CPU time of the process (less disturbed by other load on a shared
machine). \`node -e 0\` alone: $node_ms ms wall.

$table

What asking for metrics costs (loading the writer, writing the file atomically):

$cost

Machine: $(nproc) cores, $(node --version), $(uname -sr); produced by \`bench/metrics/run.sh\` on $(date -u +%Y-%m-%d).

MD
)
# Replace the text between this section's marker and the next one.
SECTION="$section" node -e '
  const fs = require("fs");
  const doc = fs.readFileSync("docs/benchmarks.md", "utf8");
  const start = doc.indexOf("<!-- section: metrics (bench/metrics) -->");
  const next = doc.indexOf("<!-- section:", start + 1);
  if (start < 0) throw new Error("no metrics section in docs/benchmarks.md");
  const head = doc.slice(0, start) + "<!-- section: metrics (bench/metrics) -->\n\n" + process.env.SECTION.trim() + "\n\n";
  fs.writeFileSync("docs/benchmarks.md", head + (next < 0 ? "" : doc.slice(next)));
'
echo "$table"; echo; echo "$cost"
