#!/usr/bin/env bash
# The mapper and reducer of the Hadoop Streaming jobs in docs/scale-out.md (ship it with -files).
#
#   hadoop-task.sh pages    mapper: PDF paths in, page records out, keyed by doc
#   hadoop-task.sh tokens   mapper: PDF paths in, tokenized page records out, keyed by doc
#   hadoop-task.sh counts   mapper: PDF paths in, partial term counts out, keyed by term (reduce them
#                           with `ream count --by term --sum count --key term`)
#   hadoop-task.sh index    reducer: tokenized records keyed by doc in (all pages of a document reach
#                           the same reducer); writes one shard as a side file into the job's output
#                           directory (shard-NNNNN.ream) and prints its summary record
#
# Input lines are PDF paths, one a line (NLineInputFormat's `offset<TAB>path` lines too). Each PDF
# is fetched with `$REAM_FETCH SRC DEST` (default `hdfs dfs -get`) to ./pdfs/PATH, where PATH is the
# path without scheme, host and leading `/` — that is the document id. The shard is stored with
# `$REAM_PUT FILE DIR` (default `hdfs dfs -put -f`) into $mapreduce_task_output_dir, which the job's
# committer moves into the -output directory when the task succeeds.
#
# Exit status: a bad PDF is reported on stderr and counted (failures_total), and the task still
# succeeds, so one broken file does not fail the job after four attempts; a stage that crashed or
# was killed fails the task, and Hadoop runs it again.
set -uo pipefail

fetch=${REAM_FETCH:-hdfs dfs -get}
put=${REAM_PUT:-hdfs dfs -put -f}

# Fails (with the first status above 1) when a stage of the last pipeline did not finish.
check() {
  local s
  for s in "$@"; do [ "$s" -le 1 ] || exit "$s"; done
}

fetch_pdfs() {
  local line path rel
  pdfs=()
  mkdir -p pdfs
  while IFS= read -r line; do
    [[ $line =~ ^[0-9]+$'\t' ]] && line=${line#*$'\t'}
    [ -n "$line" ] || continue
    path=$line
    rel=${path#*://*/}
    rel=${rel#/}
    mkdir -p "pdfs/$(dirname "$rel")"
    if $fetch "$path" "pdfs/$rel" >&2; then
      pdfs+=("$rel")
    else
      echo "hadoop-task.sh: $path: could not fetch" >&2
      echo "reporter:counter:ream,failures_total{command=fetch;reason=unreadable},1" >&2
    fi
  done
}

case ${1:-} in
  pages)
    fetch_pdfs
    [ ${#pdfs[@]} -gt 0 ] || exit 0
    (cd pdfs && ream extract --key doc "${pdfs[@]}")
    check $?
    ;;
  tokens)
    fetch_pdfs
    [ ${#pdfs[@]} -gt 0 ] || exit 0
    (cd pdfs && ream extract "${pdfs[@]}" | ream tokenize --key doc; check "${PIPESTATUS[@]}")
    check $?
    ;;
  counts)
    fetch_pdfs
    [ ${#pdfs[@]} -gt 0 ] || exit 0
    (cd pdfs && ream extract "${pdfs[@]}" | ream tokenize | ream count --key term; check "${PIPESTATUS[@]}")
    check $?
    ;;
  index)
    shard=shard-$(printf '%05d' "${mapreduce_task_partition:-0}").ream
    ream index -o "$shard"
    check $?
    if [ -e "$shard" ]; then
      $put "$shard" "${mapreduce_task_output_dir:?not under Hadoop Streaming}/" >&2 || exit 3
    fi
    ;;
  *)
    echo "usage: hadoop-task.sh pages|tokens|counts|index  (see docs/scale-out.md)" >&2
    exit 2
    ;;
esac
