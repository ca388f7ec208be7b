#!/usr/bin/env bash
# bench/pipelines: wall time to index the shared corpus good/ the three ways ream offers (make -j2, the
# xargs recipe at -P2, one sequential pipeline) beside recollindex and a pdftotext + sqlite3 FTS5 shell
# pipeline (-P2), all from scratch; plus an incremental run after touching one PDF (make, recollindex).
# Medians of RUNS runs (default 3); writes the table into the pipelines section of docs/benchmarks.md.
#
# Usage: bench/pipelines/run.sh          RUNS=1 bench/pipelines/run.sh    REAM_CORPUS=/path/to/corpus …
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
corpus=$(cd "${REAM_CORPUS:-../shared/corpus}" && pwd)/good
runs=${RUNS:-3}
work=$root/bench/data/pipelines
export PATH="$root/bin:$PATH"
[ -d "$corpus" ] || { echo "bench/pipelines: no corpus at $corpus (set REAM_CORPUS)" >&2; exit 1; }
for tool in pdftotext sqlite3 recollindex; do command -v $tool >/dev/null || { echo "bench/pipelines: $tool is missing (make deb-bench)" >&2; exit 1; }; done
[ -x dist/ream.js ] || [ -f dist/ream.js ] || node build.mjs

pdf_count=$(find "$corpus" -name '*.pdf' -type f | wc -l)
pages=$(awk -F'\t' 'NR > 1 && $1 ~ /^good\// { p += $3 } END { print p }' "$(dirname "$corpus")/MANIFEST.tsv")
[ -n "${METHODS:-}" ] || rm -rf "$work"
mkdir -p "$work/recoll"
touch "$work/results.tsv"
cat > "$work/recoll/recoll.conf" <<EOF
topdirs = $corpus
dbdir = $work/recoll/xapiandb
noaspell = 1
loglevel = 1
EOF
export RECOLL_CONFDIR=$work/recoll

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
size_mb() { du -sb "$1" | awk '{ printf "%.1f", $1 / 1048576 }'; }

# measure NAME PREPARE COMMAND OUTPUT: PREPARE runs before every timed run (not timed); the median wall
# time and the size of OUTPUT go to results.tsv. METHODS=regex measures only the matching names and
# keeps the earlier results (the table shows them all).
results=$work/results.tsv
declared=()
measure() {
  local name=$1 prepare=$2 cmd=$3 out=$4 times=() i
  declared+=("$name")
  [[ $name =~ ${METHODS:-.} ]] || return 0
  for ((i = 1; i <= runs; i++)); do
    bash -c "$prepare" >/dev/null 2>&1 || true
    local t0=$EPOCHREALTIME
    bash -o pipefail -c "$cmd" >/dev/null 2>"$work/stderr.txt" || { echo "bench/pipelines: '$name' failed:" >&2; tail -5 "$work/stderr.txt" >&2; }
    times+=("$(awk "BEGIN { print $EPOCHREALTIME - $t0 }")")
  done
  local wall
  wall=$(printf '%s\n' "${times[@]}" | median)
  grep -v "^$name	" "$results" > "$results.new" || true
  printf '%s\t%s\t%s\n' "$name" "$wall" "$(size_mb "$out")" >> "$results.new"
  mv "$results.new" "$results"
  printf '%-45s %8.2f s  (%s)\n' "$name" "$wall" "${times[*]}" >&2
}

measure "ream, make -j2 (examples/Makefile)" "rm -rf $work/make.ream $work/make.build" \
  "make -s -f examples/Makefile -j2 PDFS=$corpus INDEX=$work/make.ream" "$work/make.ream"
measure "ream, xargs -P2 -n 16 map/reduce" "rm -f $work/xargs.ream" \
  "examples/map-reduce.sh xargs $corpus $work/xargs.ream 2 16" "$work/xargs.ream"
measure "ream, one sequential pipeline" "rm -f $work/seq.ream" \
  "ream extract $corpus/*.pdf | ream tokenize --keep-text | ream index --store text -o $work/seq.ream" "$work/seq.ream"
measure "recollindex -z (Recoll 1.34)" "rm -rf $work/recoll/xapiandb" "recollindex -z" "$work/recoll/xapiandb"
measure "pdftotext + sqlite3 FTS5, xargs -P2" "rm -f $work/fts5.db" \
  "bench/pipelines/fts5-index.sh $corpus $work/fts5.db 2" "$work/fts5.db"
# After a full build, one PDF changed (the corpus is read-only, so make's text file of it is made older
# instead of touching the PDF; Recoll is told to re-index that one file).
changed=$(ls "$corpus" | LC_ALL=C sort | sed -n 10p)
measure "ream, make -j2 after one PDF changed" "touch -d 2000-01-01 $work/make.build/text/${changed%.pdf}.ndjson" \
  "make -s -f examples/Makefile -j2 PDFS=$corpus INDEX=$work/make.ream" "$work/make.ream"
measure "recollindex -Z -i, one PDF changed" "true" "recollindex -Z -i $corpus/$changed" "$work/recoll/xapiandb"

declare -A wall size
order=()
while IFS=$'\t' read -r name w mb; do wall[$name]=$w; size[$name]=$mb; done < "$results"
for name in "${declared[@]}"; do [ -n "${wall[$name]:-}" ] && order+=("$name"); done
base=${wall["ream, one sequential pipeline"]}
table=$(
  echo "| how | wall s (median of $runs) | pages/s | vs ream sequential | index MB |"
  echo "|---|---:|---:|---:|---:|"
  for name in "${order[@]}"; do
    w=${wall[$name]}
    case $name in *changed*) rate='—' ;; *) rate=$(awk "BEGIN { printf \"%.0f\", $pages / $w }") ;; esac
    printf '| %s | %.1f | %s | %.2fx | %s |\n' "$name" "$w" "$rate" "$(awk "BEGIN { print $base / $w }")" "${size[$name]}"
  done
)
echo "$table"

section=$(cat <<EOF

## pipelines — make, xargs, recollindex, pdftotext + FTS5

Indexing the shared corpus \`good/\` ($pdf_count PDFs, $pages pages, 45.6 MB) from scratch, wall time, on
$(nproc) cores ($(node -p 'require("os").cpus()[0].model'), Node $(node -v)), $(date -u +%Y-%m-%d).
Produced by \`bench/pipelines/run.sh\` (RUNS=$runs). "vs ream sequential" > 1 means faster than
\`ream extract … | ream tokenize | ream index\` in one pipeline. ream keeps page text for snippets
(\`--keep-text\`/\`--store text\`), as Recoll and the FTS5 table do.

$table

- make builds one shard per PDF (3 processes per PDF: extract, tokenize, index) and merges them; the
  xargs recipe runs one pipeline per batch of 16 PDFs; the sequential pipeline runs 3 processes in all.
- The incremental rows: one PDF re-extracted and re-indexed, then the shards merged again (make);
  Recoll re-indexes the one file it is told about.
- The machine is shared with other work while this runs: compare ratios within one run.
EOF
)
node -e '
  const fs = require("fs");
  const [file, body] = [process.argv[1], process.argv[2]];
  const text = fs.readFileSync(file, "utf8");
  const start = text.indexOf("<!-- section: pipelines");
  const startEnd = text.indexOf("\n", start) + 1;
  const next = text.indexOf("<!-- section:", startEnd);
  fs.writeFileSync(file, text.slice(0, startEnd) + body.trimEnd() + "\n\n" + text.slice(next));
' docs/benchmarks.md "$section"
echo "bench/pipelines: table written to docs/benchmarks.md" >&2
