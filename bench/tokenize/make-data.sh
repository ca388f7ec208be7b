#!/usr/bin/env bash
# Builds the benchmark input: pdftotext output of every good PDF of the shared corpus as NDJSON page
# records {doc, page, text} (bench/data/corpus-pages.ndjson), plus the same text as one plain file
# (bench/data/corpus-pages.txt) for the tr anchor; then both repeated REPEAT times (8 by default:
# ~104 MB of text) into bench/data/tokenize-x<REPEAT>.{ndjson,txt}, so that a throughput run is not
# dominated by Node's start-up (~80 ms) and one-time costs (ICU's Thai dictionary, stemmer loading).
# All git-ignored.
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${REAM_CORPUS:-../shared/corpus}
mkdir -p bench/data
repeat=${REPEAT:-8}
out=bench/data/corpus-pages.ndjson
if ! [ -s "$out" ] || ! [ -s bench/data/corpus-pages.txt ]; then
tmp=$(mktemp bench/data/.pages.XXXXXX)
for f in "$corpus"/good/*.pdf; do
  doc=$(basename "$f")
  pdftotext -q -enc UTF-8 "$f" - 2>/dev/null |
    jq -Rsc --arg doc "$doc" 'split("\f") | to_entries[] | select(.value | test("\\S")) | {doc: $doc, page: (.key + 1), text: .value}' || true
done >"$tmp"
mv "$tmp" "$out"
jq -r '.text' "$out" >bench/data/corpus-pages.txt.tmp && mv bench/data/corpus-pages.txt.tmp bench/data/corpus-pages.txt
fi
big=bench/data/tokenize-x$repeat
if ! [ -s "$big.ndjson" ] || ! [ -s "$big.txt" ]; then
  for ext in ndjson txt; do
    for _ in $(seq "$repeat"); do cat "bench/data/corpus-pages.$ext"; done >"$big.$ext.tmp"
    mv "$big.$ext.tmp" "$big.$ext"
  done
fi
