#!/usr/bin/env bash
# Map/reduce indexing of a folder of PDFs with xargs or GNU parallel: batches of PDFs become index
# shards, JOBS at a time (map), then one `ream merge` (reduce).
#
#   examples/map-reduce.sh xargs|parallel PDF_DIR INDEX [JOBS] [BATCH]
#
# The recipes themselves, to copy (docs/pipelines.md):
#   find DIR -name '*.pdf' -print0 |
#     xargs -0 -P"$(nproc)" -n 16 sh -c 'ream extract "$@" | ream tokenize | ream index -o shards/$$.ream' _
#   find DIR -name '*.pdf' -print0 |
#     parallel -0 -n 16 --joblog shards/jobs.log 'ream extract {} | ream tokenize | ream index -o shards/{#}.ream'
#   ream merge -o all.ream shards/*.ream
#
# A PDF that fails is reported on stderr, the rest of its batch is still indexed, the merge still runs,
# and the exit status is non-zero at the end (pipefail: a failed `ream extract` is not hidden behind the
# status of `ream index`). Page text is kept (--keep-text / --store text) for snippets.
set -euo pipefail
runner=$1 pdfs=$2 index=$3 jobs=${4:-$(nproc)} batch=${5:-16}
shards=$(mktemp -d "$index.shards.XXXXXX")
trap 'rm -rf "$shards"' EXIT
# One batch of PDFs → one shard: map_batch SHARD PDF…
map_batch() {
  set -o pipefail
  local shard=$1
  shift
  ream extract "$@" | ream tokenize --keep-text | ream index --store text -o "$shard" >/dev/null
}
export -f map_batch
status=0
case $runner in
  # $$ (the batch's shell) names the shard: unique among running jobs, not reused within a run.
  xargs) find "$pdfs" -name '*.pdf' -type f -print0 |
           xargs -0 -P"$jobs" -n "$batch" bash -c 'map_batch "$0/$$.ream" "$@"' "$shards" || status=$? ;;
  # {#} (the batch's number) names the shard: the same on a --resume-failed rerun.
  parallel) find "$pdfs" -name '*.pdf' -type f -print0 |
              PARALLEL_SHELL=bash parallel -0 -j"$jobs" -n "$batch" --joblog "$shards/jobs.log" map_batch "$shards/{#}.ream" {} || status=$? ;;
  *) echo "usage: $0 xargs|parallel PDF_DIR INDEX [JOBS] [BATCH]" >&2; exit 2 ;;
esac
set -- "$shards"/*.ream
if [ -e "$1" ]; then ream merge -o "$index" "$@" >/dev/null; else ream index -o "$index" </dev/null >/dev/null; fi
exit "$status"
