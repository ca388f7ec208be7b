#!/usr/bin/env bash
# Builds the benchmark input: pdftotext output of every good PDF of the shared corpus as NDJSON page
# records {doc, page, text} (bench/data/corpus-pages.ndjson), plus the same text as one plain file
# (bench/data/corpus-pages.txt) for the tr anchor. Both are git-ignored.
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${REAM_CORPUS:-../shared/corpus}
mkdir -p bench/data
out=bench/data/corpus-pages.ndjson
[ -s "$out" ] && [ -s bench/data/corpus-pages.txt ] && exit 0
tmp=$(mktemp bench/data/.pages.XXXXXX)
for f in "$corpus"/good/*.pdf; do
  doc=$(basename "$f")
  pdftotext -q -enc UTF-8 "$f" - 2>/dev/null |
    jq -Rsc --arg doc "$doc" 'split("\f") | to_entries[] | select(.value | test("\\S")) | {doc: $doc, page: (.key + 1), text: .value}' || true
done >"$tmp"
mv "$tmp" "$out"
jq -r '.text' "$out" >bench/data/corpus-pages.txt.tmp && mv bench/data/corpus-pages.txt.tmp bench/data/corpus-pages.txt
