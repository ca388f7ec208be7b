#!/usr/bin/env bash
# The anchor: a folder of PDFs into SQLite FTS5 with pdftotext, awk and sqlite3 (one row per page),
# the text extraction spread over JOBS processes with xargs like ream's recipe.
# Usage: bench/pipelines/fts5-index.sh PDF_DIR DB [JOBS]
set -euo pipefail
dir=$1 db=$2 jobs=${3:-2}
awk_prog="$(dirname "$0")/pages-csv.awk"
csv=$(mktemp -d)
trap 'rm -rf "$csv"' EXIT
find "$dir" -name '*.pdf' -type f -print0 |
  xargs -0 -P"$jobs" -n 8 sh -c 'prog=$1 out=$(mktemp -p "$2" XXXXXX.csv); shift 2; for f; do pdftotext -q "$f" - | awk -v doc="$f" -f "$prog"; done > "$out"' _ "$awk_prog" "$csv"
rm -f "$db"
cat "$csv"/*.csv | sqlite3 "$db" \
  'CREATE VIRTUAL TABLE pages USING fts5(doc UNINDEXED, page UNINDEXED, text, tokenize = "unicode61 remove_diacritics 0")' \
  '.mode csv' '.import /dev/stdin pages'
