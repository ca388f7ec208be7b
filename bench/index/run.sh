#!/usr/bin/env bash
# ream index/merge/search against SQLite FTS5 on a generated Zipfian corpus, in one run.
#   bench/index/run.sh [PAGES=100000] [--no-doc]
# Writes the table into docs/benchmarks.md (section "index") unless --no-doc. Data in bench/data/index.
set -euo pipefail
cd "$(dirname "$0")/../.."
PAGES=${1:-100000}
WRITE_DOC=1
[ "${2:-}" = "--no-doc" ] && WRITE_DOC=0
DATA=bench/data/index/$PAGES
mkdir -p "$DATA"
REAM="${REAM_BIN:-$PWD/bin/ream}"  # REAM_BIN: a snapshot of bin/ + dist/, so rebuilding does not disturb a run
# each timed step starts with the previous steps' files on disk (sync), so that it is not timed while
# the kernel writes back what the step before wrote
T() { sync; /usr/bin/time -f '%e %U %S %M' -o "$DATA/time.txt" "$@" > /dev/null; cat "$DATA/time.txt"; }  # wall user sys maxrss_kb
# the run with the median wall time of three (merges are short: one run is at the mercy of the load)
T3() { for _ in 1 2 3; do T "$@"; done | sort -n | sed -n 2p; }

# temp + rename: an interrupted run must not leave a short corpus behind
[ -s "$DATA/pages.ndjson" ] || { bench/index/generate.mjs "$PAGES" > "$DATA/pages.tmp" && mv "$DATA/pages.tmp" "$DATA/pages.ndjson"; }
# FTS5 gets the same tokens joined by single spaces, one page per line
[ -s "$DATA/text.tsv" ] || { node -e '
  const rl = require("readline").createInterface({ input: process.stdin });
  const out = []; rl.on("line", (l) => { out.push(JSON.parse(l).tokens.join(" ")); if (out.length > 5000) { process.stdout.write(out.join("\n") + "\n"); out.length = 0; } });
  rl.on("close", () => out.length && process.stdout.write(out.join("\n") + "\n"));' < "$DATA/pages.ndjson" > "$DATA/text.tmp" && mv "$DATA/text.tmp" "$DATA/text.tsv"; }
TEXT_BYTES=$(stat -L -c %s "$DATA/text.tsv")

# The builds alternate, BUILD_RUNS times each (the machine's speed drifts over minutes: a ratio is
# fair only between neighbours); each side's row is its run of median CPU time.
BUILD_RUNS=${BUILD_RUNS:-3}
: > "$DATA/builds-ream.txt"
: > "$DATA/builds-fts5.txt"
PAIRS=""
for run in $(seq "$BUILD_RUNS"); do
  echo "ream index ($PAGES pages, one process), run $run of $BUILD_RUNS" >&2
  rm -f "$DATA/all.ream"
  r=$(T "$REAM" index -o "$DATA/all.ream" "$DATA/pages.ndjson")
  echo "$r" >> "$DATA/builds-ream.txt"
  echo "SQLite FTS5 build, run $run of $BUILD_RUNS" >&2
  rm -f "$DATA/fts.db"
  f=$(T sqlite3 "$DATA/fts.db" \
    "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'unicode61 remove_diacritics 0');" \
    ".mode tabs" ".import $DATA/text.tsv t")
  echo "$f" >> "$DATA/builds-fts5.txt"
  PAIRS="$PAIRS $(echo "$r $f" | awk '{ printf "%.2fx", ($6 + $7) / ($2 + $3) }')"
done
# the line (wall user sys rss) whose user + sys is the median
median_cpu() { awk '{ print $2 + $3, $0 }' "$1" | sort -n | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }' | cut -d' ' -f2-; }
read -r R_WALL R_USER R_SYS R_RSS < <(median_cpu "$DATA/builds-ream.txt")
read -r F_WALL F_USER F_SYS F_RSS < <(median_cpu "$DATA/builds-fts5.txt")
R_BYTES=$(stat -c %s "$DATA/all.ream")
F_BYTES=$(sqlite3 "$DATA/fts.db" "SELECT sum(length(block)) FROM t_data;")

echo "2 shards built with xargs -P2, then merged" >&2
rm -rf "$DATA/shards2" && mkdir -p "$DATA/shards2"
# whole documents per shard (100 pages each): a document in two inputs would be replaced, not joined
split -l $(( (PAGES / 2 + 99) / 100 * 100 )) -d "$DATA/pages.ndjson" "$DATA/shards2/part"
S_START=$(date +%s.%N)
ls "$DATA"/shards2/part* | xargs -P2 -I{} "$REAM" index -o {}.ream {} > /dev/null
S_INDEX=$(echo "$(date +%s.%N) - $S_START" | bc)
read -r M2_WALL M2_USER M2_SYS M2_RSS < <(T3 "$REAM" merge -o "$DATA/merged2.ream" "$DATA"/shards2/*.ream)
S_WALL=$(printf %.1f "$(echo "$S_INDEX + $M2_WALL" | bc)")
cmp -s "$DATA/merged2.ream" "$DATA/all.ream" && SAME2=yes || SAME2=no

echo "16 shards merged" >&2
rm -rf "$DATA/shards16" && mkdir -p "$DATA/shards16"
split -l $(( (PAGES / 16 + 99) / 100 * 100 )) -d "$DATA/pages.ndjson" "$DATA/shards16/part"
ls "$DATA"/shards16/part* | xargs -P2 -I{} "$REAM" index -o {}.ream {} > /dev/null
IN16=$(cat "$DATA"/shards16/*.ream | wc -c)
read -r M16_WALL M16_USER M16_SYS M16_RSS < <(T3 "$REAM" merge -o "$DATA/merged16.ream" "$DATA"/shards16/*.ream)
cmp -s "$DATA/merged16.ream" "$DATA/all.ream" && SAME16=yes || SAME16=no

echo "query latency" >&2
# bundled next to the sources, so that it finds dist/index-phrase.worker.js as src/index/ does
node scripts/bundle.mjs bench/index/latency.ts bench/index/.latency.mjs
LAT=$(node bench/index/.latency.mjs "$DATA/all.ream" "$DATA/fts.db" "$DATA/pages.ndjson" "$REAM")
rm -f bench/index/.latency.mjs

LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
ratio() { echo "scale=2; $1 / $2" | bc; }
R_CPU=$(echo "$R_USER + $R_SYS" | bc); M16_CPU=$(echo "$M16_USER + $M16_SYS" | bc); F_CPU=$(echo "$F_USER + $F_SYS" | bc)
R_PPS=$(echo "$PAGES / $R_CPU" | bc); F_PPS=$(echo "$PAGES / $F_CPU" | bc)
lat() { echo "$LAT" | jq -r "\"\(.${1}.${2}[0] | .*10|round/10) / \(.${1}.${2}[1] | .*10|round/10)\""; }
TABLE=$(cat <<MD
Corpus: \`bench/index/generate.mjs $PAGES\` — $PAGES pages of ~400 Zipfian words (200k-word vocabulary,
exponent 1.07), $(echo "$TEXT_BYTES / 1048576" | bc) MiB of text as FTS5 sees it. Command: \`bench/index/run.sh $PAGES\`
($(date -u +%Y-%m-%d), $(nproc) cores shared with other jobs, load average $LOAD, Node $(node --version), SQLite $(sqlite3 --version | cut -d' ' -f1)).
Builds: $BUILD_RUNS of each, alternating; the row is each side's median CPU run (ratio of each pair, ream's pages per CPU-second over FTS5's:$PAIRS). Merges: the median of three runs.

| measure | ream | SQLite FTS5 | ratio |
|---|---|---|---|
| build, one process: wall / CPU seconds | $R_WALL / $R_CPU | $F_WALL / $F_CPU | |
| build pages per CPU-second | $R_PPS | $F_PPS | $(ratio "$R_PPS" "$F_PPS")x |
| build max RSS | $((R_RSS / 1024)) MB | $((F_RSS / 1024)) MB | |
| index size (positions, no stored text) | $((R_BYTES / 1048576)) MiB ($(ratio "$R_BYTES" "$TEXT_BYTES")x text) | $((F_BYTES / 1048576)) MiB ($(ratio "$F_BYTES" "$TEXT_BYTES")x text) | $(ratio "$R_BYTES" "$F_BYTES")x |
| 2 shards (xargs -P2) + merge, wall | $S_WALL s (merge $M2_WALL s, identical to one build: $SAME2) | | |
| merge of 16 shards: wall / CPU s, RSS, MB/s per wall / CPU second | $M16_WALL / $M16_CPU s, $((M16_RSS / 1024)) MB, $(echo "$IN16 / 1048576 / $M16_WALL" | bc) / $(echo "$IN16 / 1048576 / $M16_CPU" | bc) MB/s (identical to one build: $SAME16) | | |
| warm query p50 / p95 ms, one term | $(lat term ream) | $(lat term fts5) | |
| warm query p50 / p95 ms, two-term AND | $(lat and ream) | $(lat and fts5) | |
| warm query p50 / p95 ms, phrase | $(lat phrase ream) | $(lat phrase fts5) | |
| warm query p50 / p95 ms, prefix (3 letters) | $(lat prefix ream) | $(lat prefix fts5) | |
| one query as a whole process p50 / p95 ms (harness: /bin/true $(lat process floor)) | $(lat process ream) (\`ream search\`) | $(lat process sqlite3) (\`sqlite3\` CLI) | |
MD
)
echo "$TABLE"
if [ "$WRITE_DOC" = 1 ]; then
  node -e '
    const fs = require("fs"); const [file, table] = [process.argv[1], process.argv[2]];
    const doc = fs.readFileSync(file, "utf8");
    // only the latest table is replaced: the notes and earlier runs after it are kept
    const open = "<!-- bench/index: latest table -->", close = "<!-- bench/index: end of latest table -->";
    const start = doc.indexOf(open), end = doc.indexOf(close);
    if (start < 0 || end < start) throw new Error("docs/benchmarks.md: no " + open + " … " + close + " markers");
    fs.writeFileSync(file, doc.slice(0, start + open.length) + "\n" + table + "\n" + doc.slice(end));' docs/benchmarks.md "$TABLE"
fi
