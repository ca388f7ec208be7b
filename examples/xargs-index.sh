#!/bin/sh
# Map/reduce with xargs: batches of PDFs become index shards, JOBS at a time, then one merge.
#
#   examples/xargs-index.sh ~/papers papers.ream [JOBS] [BATCH]
#
# The recipe itself, to copy:
#   find DIR -name '*.pdf' -print0 |
#     xargs -0 -P"$(nproc)" -n 16 sh -c 'ream extract "$@" | ream tokenize | ream index -o shards/$$.ream' _
#   ream merge -o all.ream shards/*.ream
# ($$ is the PID of each batch's shell: unique among running jobs, and the kernel does not hand the same
# PID out again within one run unless it wraps around pid_max.)
# A PDF that fails is reported on stderr, the rest of its batch is still indexed, and the exit status is
# non-zero at the end. Add `--keep-text` / `--store text` as here for snippets in search results.
set -eu
pdfs=$1 index=$2 jobs=${3:-$(nproc)} batch=${4:-16}
shards=$(mktemp -d "$index.shards.XXXXXX")
trap 'rm -rf "$shards"' EXIT INT TERM
status=0
# map
find "$pdfs" -name '*.pdf' -type f -print0 |
  xargs -0 -P"$jobs" -n "$batch" bash -o pipefail -c \
    'shards=$1; shift; ream extract "$@" | ream tokenize --keep-text | ream index --store text -o "$shards/$$.ream" >/dev/null' _ "$shards" ||
  status=$?
# reduce
set -- "$shards"/*.ream
if [ -e "$1" ]; then ream merge -o "$index" "$@" >/dev/null; else ream index -o "$index" </dev/null >/dev/null; fi
exit "$status"
