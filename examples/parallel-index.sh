#!/usr/bin/env bash
# The same map/reduce with GNU parallel: numbered shards ({#}), a job log, and retries.
#
#   examples/parallel-index.sh ~/papers papers.ream [JOBS] [BATCH]
#
# The recipe itself, to copy:
#   find DIR -name '*.pdf' -print0 |
#     parallel -0 -n 16 --joblog shards/jobs.log 'ream extract {} | ream tokenize | ream index -o shards/{#}.ream'
#   ream merge -o all.ream shards/*.ream
# After a failure, `parallel --resume-failed --joblog shards/jobs.log …` (same command) runs only the
# batches that failed again, into the same shard names, so nothing is indexed twice.
set -eu
pdfs=$1 index=$2 jobs=${3:-$(nproc)} batch=${4:-16}
shards=$(mktemp -d "$index.shards.XXXXXX")
trap 'rm -rf "$shards"' EXIT INT TERM
status=0
# map
find "$pdfs" -name '*.pdf' -type f -print0 |
  PARALLEL_SHELL=bash parallel -0 -j"$jobs" -n "$batch" --joblog "$shards/jobs.log" \
    "set -o pipefail; ream extract {} | ream tokenize --keep-text | ream index --store text -o $shards/{#}.ream >/dev/null" ||
  status=$?
# reduce
set -- "$shards"/*.ream
if [ -e "$1" ]; then ream merge -o "$index" "$@" >/dev/null; else ream index -o "$index" </dev/null >/dev/null; fi
exit "$status"
