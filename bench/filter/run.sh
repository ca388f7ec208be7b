#!/usr/bin/env bash
# ream filter against jq and Miller: the same filter, and the same count, over >= 200 MB of page-like
# NDJSON (bench/filter/generate.mjs → bench/data/pages.ndjson), medians of RUNS runs in one hyperfine
# session; then start-up on empty input against jq and bare `node -e 0`. Writes the table into the
# filter section of docs/benchmarks.md. Usage: bench/filter/run.sh  (RUNS=5 MB=200 to change)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-5}
MB=${MB:-200}
DATA=bench/data/pages.ndjson
OUT=bench/data/filter-results
mkdir -p bench/data "$OUT"
for tool in jq mlr hyperfine; do command -v $tool >/dev/null || { echo "bench/filter: $tool is not installed (make deb-bench)" >&2; exit 2; }; done
[ -f dist/ream.js ] || node build.mjs
if [ ! -s "$DATA" ] || [ "$(stat -c %s "$DATA")" -lt $((MB * 1024 * 1024)) ]; then
  echo "bench/filter: generating $MB MB of page records into $DATA" >&2
  node bench/filter/generate.mjs "$MB" > "$DATA.tmp" && mv "$DATA.tmp" "$DATA"
fi
size_mb=$(( $(stat -c %s "$DATA") / 1024 / 1024 ))
records=$(wc -l < "$DATA")

EXPR='chars > 1500 and lang == "en" and meta.year >= 1990'
JQ='select(.chars > 1500 and .lang == "en" and .meta.year >= 1990)'
JQ_COUNT='reduce (inputs | '"$JQ"') as $r (0; . + 1) | {count: .}'
MLR='$chars > 1500 && $lang == "en" && $meta["year"] >= 1990'

# The tools must agree before their times mean anything.
want=$(./bin/ream filter --count "$EXPR" "$DATA" | tr -dc 0-9)
got_jq=$(jq -c "$JQ" "$DATA" | wc -l)
got_mlr=$(mlr --ijsonl --ojsonl filter "$MLR" then count "$DATA" | tr -dc 0-9)
got_lines=$(./bin/ream filter "$EXPR" "$DATA" | wc -l)
if [ "$want" != "$got_jq" ] || [ "$want" != "$got_mlr" ] || [ "$want" != "$got_lines" ]; then
  echo "bench/filter: counts disagree: ream --count $want, ream $got_lines, jq $got_jq, mlr $got_mlr" >&2
  exit 1
fi

hyperfine -N -w 1 -r "$RUNS" --export-json "$OUT/throughput.json" \
  -n 'ream filter' "./bin/ream filter '$EXPR' $DATA" \
  -n 'jq select' "jq -c '$JQ' $DATA" \
  -n 'mlr filter' "mlr --ijsonl --ojsonl filter '$MLR' $DATA" \
  -n 'ream filter --count' "./bin/ream filter --count '$EXPR' $DATA" \
  -n 'jq count' "jq -n '$JQ_COUNT' $DATA" \
  -n 'mlr count' "mlr --ijsonl --ojsonl filter '$MLR' then count $DATA" \
  -n 'node split+JSON.parse (reference)' "node bench/filter/baseline.mjs $DATA" >&2

hyperfine -N -w 3 -r $((RUNS * 6)) --export-json "$OUT/startup.json" \
  -n 'node -e 0' 'node -e 0' \
  -n 'ream filter (empty input)' './bin/ream filter true /dev/null' \
  -n 'jq (empty input)' 'jq . /dev/null' >&2

table=$(node - "$OUT/throughput.json" "$OUT/startup.json" "$size_mb" "$records" "$RUNS" <<'JS'
const fs = require('fs');
const [tp, st, mb, records, runs] = process.argv.slice(2);
// Wall-clock medians, and CPU (user + system, mean): on a shared machine the CPU ratio is the steadier one.
const load = (f) => Object.fromEntries(JSON.parse(fs.readFileSync(f, 'utf8')).results.map((r) => [r.command, { wall: r.median, cpu: r.user + r.system }]));
const t = load(tp), s = load(st);
const ms = (x) => `${(x * 1000).toFixed(0)} ms`;
const rate = (x) => `${(mb / x).toFixed(0)} MB/s`;
const row = (name, r, base) => `| ${name} | ${ms(r.wall)} | ${rate(r.wall)} | ${(base.wall / r.wall).toFixed(2)}x | ${ms(r.cpu)} | ${(base.cpu / r.cpu).toFixed(2)}x |`;
const slower = (name, r, base) => `| ${name} | ${ms(r.wall)} | ${(r.wall / base.wall).toFixed(2)}x | ${ms(r.cpu)} | ${(r.cpu / base.cpu).toFixed(2)}x |`;
const out = [
  `${mb} MB, ${records} page records; medians of ${runs} runs (start-up: ${runs * 6}). "vs jq" is jq's time divided by the row's (higher is faster).`,
  '',
  '| filter `' + "chars > 1500 and lang == \"en\" and meta.year >= 1990" + '` | wall (median) | throughput | vs jq | CPU | vs jq (CPU) |',
  '|---|---|---|---|---|---|',
  row('ream filter', t['ream filter'], t['jq select']),
  row('jq -c select(…)', t['jq select'], t['jq select']),
  row('mlr filter', t['mlr filter'], t['jq select']),
  row('node split + JSON.parse (reference script)', t['node split+JSON.parse (reference)'], t['jq select']),
  '',
  '| count of the same | wall (median) | throughput | vs jq | CPU | vs jq (CPU) |',
  '|---|---|---|---|---|---|',
  row('ream filter --count', t['ream filter --count'], t['jq count']),
  row('jq reduce', t['jq count'], t['jq count']),
  row('mlr filter then count', t['mlr count'], t['jq count']),
  '',
  '| start-up, empty input | wall (median) | / node -e 0 | CPU | / node -e 0 (CPU) |',
  '|---|---|---|---|---|',
  slower('node -e 0', s['node -e 0'], s['node -e 0']),
  slower('ream filter true /dev/null', s['ream filter (empty input)'], s['node -e 0']),
  slower('jq . /dev/null', s['jq (empty input)'], s['node -e 0']),
];
console.log(out.join('\n'));
JS
)

section=$(cat <<MD

## filter — against jq and Miller

Produced by \`bench/filter/run.sh\` (\`RUNS=$RUNS\`) on $(date -u +%Y-%m-%d): $(nproc) cores, Node.js $(node --version), $(jq --version), mlr $(mlr --version | awk '{print $2}'), hyperfine $(hyperfine --version | awk '{print $2}'). Output goes to /dev/null; all tools agree on the $want records kept. Load average at the start: $(cut -d" " -f1-3 /proc/loadavg).

$table

On a shared machine wall-clock times are inflated unevenly by other jobs; the CPU columns
(user + system, mean) are then the steadier comparison.

MD
)
SECTION="$section" node - docs/benchmarks.md <<'JS'
const fs = require('fs');
const file = process.argv[2];
const doc = fs.readFileSync(file, 'utf8');
const start = '<!-- section: filter (bench/filter) -->';
const from = doc.indexOf(start) + start.length;
const to = doc.indexOf('<!-- section:', from);
if (from < start.length || to < 0) throw new Error('filter section markers not found in ' + file);
fs.writeFileSync(file + '.tmp', doc.slice(0, from) + '\n\n' + process.env.SECTION.trim() + '\n\n' + doc.slice(to));
fs.renameSync(file + '.tmp', file);
JS
echo "$table"
