#!/usr/bin/env bash
# The same ream commands over several machines, with GNU parallel and ssh (docs/scale-out.md).
#
#   cluster.sh index -S SSHLOGIN [-S …] [options] -o INDEX.ream PDF…
#       Sends batches of PDFs to the hosts (rsync), runs `ream extract | ream tokenize | ream index`
#       there, brings the shards back and merges them into INDEX.ream. PDF paths must be relative to
#       the current directory: they are the document ids, on every host as here.
#       -n N        PDFs per job, one shard per job (default 8)
#       -j N        jobs at once per host (default: one per core of the host)
#       -w DIR      where the job log, the input list and the shards are kept (default INDEX.ream.d)
#       -r N        tries per job before it counts as failed (default 3; parallel's --retries)
#       --resume    run again only the jobs that failed or never ran (parallel's --resume-failed),
#                   then merge; give the same PDFs in the same order as the first time
#       --no-merge  leave the shards in DIR/shards (search them with ream search -i 'DIR/shards/*.ream')
#
#   cluster.sh pipe -S SSHLOGIN [-S …] [--block SIZE] [--keyed] [-r N] -- COMMAND [ARG…] <in >out
#       Cuts one big NDJSON stream at line boundaries into blocks (default 10M), runs COMMAND (a ream
#       filter such as `ream tokenize` or `ream filter EXPR`) on the hosts, and writes the outputs in
#       input order.
#       --keyed     the input is key<TAB>json lines (`ream … --key doc`): lines with the same key stay
#                   in one block. Needed for `ream tokenize` when long pages come as chunk records,
#                   whose chunks must reach one tokenizer together and in order.
#
# -S takes what parallel's --sshlogin takes: host, user@host, N/host, or 'ssh -p 2222 -i key user@host';
# --slf FILE reads them from a file (parallel's --sshloginfile). Every host needs ream, GNU parallel,
# rsync and bash on its PATH.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
die() { echo "cluster.sh: $1" >&2; exit "${2:-2}"; }

# One shard from some PDFs, on whichever host runs it (sent there by parallel's --env). The shard
# appears only when every stage finished: a stage that was killed or crashed (status > 1) fails the
# job, so parallel retries it and no half shard is ever brought back. Status 1 means some PDF was
# bad; that is reported on stderr and is not worth a retry.
ream_shard_job() {
  local shard=$1
  shift
  ream extract "$@" | ream tokenize | ream index -o "$shard.part"
  local status=("${PIPESTATUS[@]}") s
  for s in "${status[@]}"; do
    if [ "$s" -gt 1 ]; then
      rm -f "$shard.part"
      return "$s"
    fi
  done
  mv "$shard.part" "$shard"
}
export -f ream_shard_job

mode=${1:-}
case $mode in index | pipe) shift ;; *) usage ;; esac
logins=() per_job=8 jobs='' workdir='' retries=3 resume='' merge=1 out='' block=10M keyed='' args=()
# Options may come before or after the PDFs; after `--` everything is an argument.
while [ $# -gt 0 ]; do
  case $1 in
    -S | --sshlogin) logins+=(--sshlogin "$2"); shift 2 ;;
    --slf | --sshloginfile) logins+=(--sshloginfile "$2"); shift 2 ;;
    -n) per_job=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    -w) workdir=$2; shift 2 ;;
    -r) retries=$2; shift 2 ;;
    -o) out=$2; shift 2 ;;
    --block) block=$2; shift 2 ;;
    --resume) resume=--resume-failed; shift ;;
    --no-merge) merge=''; shift ;;
    --keyed) keyed=1; shift ;;
    -h | --help) usage ;;
    --) shift; args+=("$@"); break ;;
    -?*) die "unknown option $1 (see --help)" ;;
    *) args+=("$1"); shift ;;
  esac
done
set -- "${args[@]}"
[ ${#logins[@]} -gt 0 ] || die "no hosts: give -S SSHLOGIN (repeatable) or --slf FILE"
parallel_opts=("${logins[@]}" --retries "$retries")
[ -n "$jobs" ] && parallel_opts+=(--jobs "$jobs")

case $mode in
  index)
    [ -n "$out" ] || die "index needs -o INDEX.ream"
    [ $# -gt 0 ] || die "index needs PDF files"
    for f in "$@"; do
      case $f in
        /* | ../* | */../* | ..) die "$f: give PDF paths relative to the current directory (they become the document ids)" ;;
      esac
      [ -r "$f" ] || die "$f: no such file or not readable" 1
    done
    workdir=${workdir:-$out.d}
    mkdir -p "$workdir/shards"
    work=$(cd "$workdir" && pwd)
    inputs=$work/inputs
    if [ -n "$resume" ]; then
      [ -e "$work/joblog" ] || die "--resume: no job log in $workdir (run without --resume first)"
      printf '%s\n' "$@" | cmp -s - "$inputs" || die "--resume: the PDFs differ from the first run's ($inputs)"
    else
      printf '%s\n' "$@" >"$inputs"
      rm -f "$work/joblog" "$work"/shards/shard-*.ream
    fi
    # {#} is the job's sequence number, which --resume-failed keeps: a job run again overwrites its
    # own shard, so nothing is counted twice. --workdir ... gives every job its own directory on the
    # host, removed with what it transferred (--cleanup).
    status=0
    parallel "${parallel_opts[@]}" --env ream_shard_job --joblog "$work/joblog" $resume \
      -n "$per_job" --workdir ... --transferfile {} --return "$work/shards/./shard-{#}.ream" --cleanup \
      ream_shard_job shard-{#}.ream {} :::: "$inputs" || status=$?
    if [ "$status" -ne 0 ]; then
      die "$status job(s) failed (see $work/joblog); run the same command with --resume to redo just those" 1
    fi
    expected=$(( ($# + per_job - 1) / per_job ))
    shards=("$work"/shards/shard-*.ream)
    [ -e "${shards[0]}" ] || shards=()
    [ ${#shards[@]} -eq "$expected" ] || die "expected $expected shards in $work/shards, found ${#shards[@]}" 1
    if [ -n "$merge" ]; then
      ream merge -o "$out" "${shards[@]}"
    fi
    ;;
  pipe)
    [ $# -gt 0 ] || die "pipe needs a COMMAND after --"
    # --pipe cuts stdin at newlines only, so every block is whole NDJSON records; -k keeps order;
    # --group-by 1 (the key column) never cuts between lines of the same key.
    [ -n "$keyed" ] && parallel_opts+=(--colsep '\t' --group-by 1)
    exec parallel "${parallel_opts[@]}" --pipe --block "$block" -k -q "$@"
    ;;
  *) usage ;;
esac
