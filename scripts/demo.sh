#!/usr/bin/env bash
# `make demo [PDFS=~/papers]`: PDFs → index through the real examples/Makefile → a few searches with
# snippets and page numbers → a metrics summary. With no folder it indexes the sample PDFs that
# scripts/sample-pdfs.mjs generates. Everything it writes is under demo/out/ (git-ignored); run it again
# and only what changed is re-indexed.
#
# Usage: scripts/demo.sh [PDF_FOLDER]
#   DEMO_QUERIES='q1|q2|q3' chooses the queries; DEMO_OUT=dir puts the output elsewhere than demo/out.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/bin:$PATH"

out=${DEMO_OUT:-demo/out}
mkdir -p "$out"
if [ $# -gt 0 ]; then
  pdfs=${1%/}
  [ -d "$pdfs" ] || { echo "demo: $pdfs is not a folder" >&2; exit 2; }
  index=$out/$(basename "$pdfs").ream
  default_queries=''
else
  pdfs=$out/pdfs
  index=$out/samples.ream
  node scripts/sample-pdfs.mjs "$pdfs"
  default_queries='river delta|"pipe buffer"|волга|soupe pistou'
fi
metrics=$out/metrics
rm -rf "$metrics" && mkdir -p "$metrics"

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }

step "indexing $(find "$pdfs" -name '*.pdf' -type f | wc -l) PDFs in $pdfs with make -j$(nproc) (examples/Makefile)"
started=$EPOCHREALTIME
status=0
make --no-print-directory -f examples/Makefile -j"$(nproc)" PDFS="$pdfs" INDEX="$index" METRICS="$metrics" || status=$?
printf 'built %s in %.1f s%s\n' "$index" "$(awk "BEGIN { print $EPOCHREALTIME - $started }")" "$([ $status -eq 0 ] || echo ' (some PDFs failed: see above)')"
[ -f "$index" ] || exit 1

if [ -n "${DEMO_QUERIES:-$default_queries}" ]; then
  IFS='|' read -r -a queries <<< "${DEMO_QUERIES:-$default_queries}"
else
  # Your own folder: search for the three longer words found in the most pages, short of half of
  # them (BM25 gives a word on more than half the pages an idf of ~0: every score would be 0.00).
  mapfile -t queries < <(ream terms "$index" | PAGES=$(ream docs "$index" | wc -l) node -e '
    const terms = require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean).map(JSON.parse);
    terms.filter((t) => [...t.term].length >= 6 && /^\p{L}+$/u.test(t.term) && t.df < Number(process.env.PAGES) / 2)
      .sort((a, b) => b.df - a.df || (a.term < b.term ? -1 : 1)).slice(0, 3).forEach((t) => console.log(t.term));')
fi

for q in "${queries[@]}"; do
  step "ream search -i $index -k 3 '$q'"
  ream search -i "$index" -k 3 "$q" | node -e '
    const hits = require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean).map(JSON.parse);
    if (hits.length === 0) console.log("  (no hits)");
    for (const h of hits) {
      console.log(`  ${h.rank}. ${h.doc}  page ${h.page}  score ${Number(h.score).toFixed(2)}`);
      if (h.snippet) console.log(`     ${String(h.snippet).replace(/\s+/g, " ").trim()}`);
    }'
done

step "metrics of this run (ream metrics --sum $metrics/*.prom)"
shopt -s nullglob
proms=("$metrics"/*.prom)
if [ ${#proms[@]} -eq 0 ]; then
  echo "  nothing was rebuilt, so no ream process ran (touch a PDF or delete $out to see them)"
else
  ream metrics --sum "${proms[@]}" > "$out/metrics.prom"
  # One line per command, then the totals that matter; the whole file is there for Prometheus.
  node -e '
    const [file, ...proms] = process.argv.slice(1);
    const value = {};
    for (const line of require("fs").readFileSync(file, "utf8").split("\n")) {
      const m = /^ream_(\w+)\{command="(\w+)"[^}]*\} (\S+)$/.exec(line);
      if (m) (value[m[2]] ??= {})[m[1]] = (value[m[2]][m[1]] ?? 0) + Number(m[3]);
    }
    const runs = (c) => proms.filter((p) => require("path").basename(p).startsWith(c + "-")).length;
    const order = (c) => ["extract", "tokenize", "index", "merge"].indexOf(c) >>> 0;
    const n = (x) => Math.round(x ?? 0).toLocaleString("en-US");
    console.log("  command    processes  records in  records out  seconds");
    for (const [c, v] of Object.entries(value).sort(([a], [b]) => order(a) - order(b)))
      console.log(`  ${c.padEnd(10)} ${String(runs(c)).padStart(9)} ${n(v.records_in_total).padStart(11)} ${n(v.records_out_total).padStart(12)} ${(v.run_duration_seconds ?? 0).toFixed(1).padStart(8)}`);
    const e = value.extract ?? {}, t = value.tokenize ?? {}, m = value.merge ?? value.index ?? {};
    console.log(`  ${n(e.documents_total)} PDFs, ${n(e.pages_total)} pages (${n(e.empty_pages_total)} without text), ${n(t.tokens_total)} tokens; index: ${n(m.index_terms_total)} terms, ${n(m.index_postings_total)} postings, ${n(m.index_bytes_written_total)} bytes`);
  ' "$out/metrics.prom" "${proms[@]}"
  echo "  (all of it, in the Prometheus text format: $out/metrics.prom)"
fi
exit "$status"
