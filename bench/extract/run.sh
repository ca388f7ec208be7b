#!/usr/bin/env bash
# ream extract against pdftotext and mutool on the shared corpus: pages/s on one core (wall and CPU),
# per-invocation overhead (-n1 vs -n64), xargs -P2 scaling, peak RSS. Writes the table into the
# extract section of docs/benchmarks.md.
#   REPEAT=3        runs per measurement (the median is reported)
#   FILES='good/*.pdf'  glob inside the corpus (e.g. to leave out the 2,415-page file on a busy machine)
#   CORPUS=../shared/corpus
#   LOCK=/tmp/ream-bench.lock  on a shared machine: each single run holds this lock (flock), so other
#                   benchmarks never overlap it and none waits for this whole script
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CORPUS=${CORPUS:-$ROOT/../shared/corpus}
REPEAT=${REPEAT:-3}
FILES=${FILES:-good/*.pdf}
for tool in pdftotext pdfinfo mutool; do
  command -v "$tool" >/dev/null || { echo "bench/extract/run.sh: $tool not found (Debian: poppler-utils, mupdf-tools)" >&2; exit 1; }
done
node build.mjs
export PATH="$ROOT/bin:$PATH"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
LIST=$TMP/files.list
LOADS=$TMP/loads
cd "$CORPUS"
# shellcheck disable=SC2086
ls $FILES > "$LIST"
PAGES=$(while read -r f; do pdfinfo "$f" 2>/dev/null | awk '/^Pages:/{print $2}'; done < $LIST | paste -sd+ | bc)
NFILES=$(wc -l < $LIST)

# once CMD: runs CMD once (holding $LOCK if set), prints "wall cpu rss_kb"; notes the load average.
once() {
  local out=$TMP/time
  if [ -n "${LOCK:-}" ]; then
    flock "$LOCK" sh -c 'cut -d" " -f1 /proc/loadavg >> "$0"; /usr/bin/time -f "%e %U %S %M" -o "$1" sh -c "$2" >/dev/null 2>&1' "$LOADS" "$out" "$1" || true
  else
    cut -d' ' -f1 /proc/loadavg >> "$LOADS"
    /usr/bin/time -f '%e %U %S %M' -o "$out" sh -c "$1" >/dev/null 2>&1 || true
  fi
  tail -n1 "$out" | awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}'
}

# Each pass runs every command once, so that a change in the machine's load falls on all of them
# alike; the table has the median of each column over REPEAT passes. Pinned to CPU 0 unless a -P run.
ONE='taskset -c 0'
NAMES=()
declare -A CMD RESULT
add() { NAMES+=("$1"); CMD[$1]=$2; }
add pdftotext "$ONE xargs -d '\n' -n1 sh -c 'pdftotext -q \"\$0\" -' < $LIST"
add mutool "$ONE xargs -d '\n' -n1 sh -c 'mutool draw -q -F txt -o - \"\$0\"' < $LIST"
add ream_n64 "$ONE xargs -d '\n' -n64 ream extract < $LIST"
add ream_n1 "$ONE xargs -d '\n' -n1 ream extract < $LIST"
# -P2 with the list in two halves: a ream process pays pdf.js's load and JIT warm-up (seconds of CPU
# on a large corpus), so as few processes as keep both cores busy; -n8 (ten processes) shows the cost
# of small batches, -j 2 the same two halves as two workers of one process, fed file by file.
HALF=$(( (NFILES + 1) / 2 ))
add ream_p2 "xargs -d '\n' -P2 -n$HALF ream extract < $LIST"
add ream_p2_n8 "xargs -d '\n' -P2 -n8 ream extract < $LIST"
add ream_j2 "xargs -d '\n' -n$NFILES ream extract -j 2 < $LIST"
add pdftotext_p2 "xargs -d '\n' -P2 -n1 sh -c 'pdftotext -q \"\$0\" -' < $LIST"
add poppler_n64 "$ONE xargs -d '\n' -n64 ream extract --engine pdftotext < $LIST"
add poppler_p2 "xargs -d '\n' -P2 -n8 ream extract --engine pdftotext < $LIST"
for pass in $(seq "$REPEAT"); do
  for name in "${NAMES[@]}"; do
    r=$(once "${CMD[$name]}")
    echo "$r" >> "$TMP/runs.$name"
    echo "pass $pass $name: $r" >&2
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for name in "${NAMES[@]}"; do
  f=$TMP/runs.$name
  RESULT[$name]="$(cut -d' ' -f1 "$f" | median) $(cut -d' ' -f2 "$f" | median) $(cut -d' ' -f3 "$f" | median)"
done

row() { # name, command label
  read -r wall cpu rss <<<"${RESULT[$1]}"
  awk -v n="$2" -v p="$PAGES" -v w="$wall" -v c="$cpu" -v r="$rss" -v bw="$3" -v bc="$4" \
    'BEGIN {printf "| %s | %.1f | %.0f | %.0f | %.2f | %.2f | %.0f |\n", n, w, p / w, p / c, (p / w) / (p / bw), (p / c) / (p / bc), r / 1024}'
}
read -r ptw ptc _ <<<"${RESULT[pdftotext]}"
TABLE=$(
  echo "Corpus: \`$FILES\` of the shared corpus, $NFILES files, $PAGES pages; median of $REPEAT runs; ratios are against pdftotext in the same run."
  echo "Machine: $(nproc) cores, $(uname -sr), Node $(node -v), $(date -u +%Y-%m-%d); load average (1 min) at the start of the runs $(sort -n "$LOADS" | awk '{a[NR]=$1} END {printf "%s–%s, median %s", a[1], a[NR], a[int((NR+1)/2)]}'), so CPU-time pages/s is the steadier column."
  echo
  echo '| command | wall s | pages/s (wall) | pages/s (CPU) | x pdftotext (wall) | x pdftotext (CPU) | peak RSS MB |'
  echo '|---|---|---|---|---|---|---|'
  row pdftotext 'pdftotext, one file per process, 1 core' "$ptw" "$ptc"
  row mutool 'mutool draw -F txt, one file per process, 1 core' "$ptw" "$ptc"
  row ream_n64 'ream extract, xargs -n64 (one process), 1 core' "$ptw" "$ptc"
  row ream_n1 'ream extract, xargs -n1 (process per file), 1 core' "$ptw" "$ptc"
  row ream_p2 "ream extract, xargs -P2 -n$HALF (two processes), 2 cores" "$ptw" "$ptc"
  row ream_p2_n8 'ream extract, xargs -P2 -n8 (ten processes), 2 cores' "$ptw" "$ptc"
  row ream_j2 'ream extract -j 2 (one process, two workers), 2 cores' "$ptw" "$ptc"
  row pdftotext_p2 'pdftotext, xargs -P2, 2 cores' "$ptw" "$ptc"
  row poppler_n64 'ream extract --engine pdftotext, xargs -n64, 1 core' "$ptw" "$ptc"
  row poppler_p2 'ream extract --engine pdftotext, xargs -P2 -n8, 2 cores' "$ptw" "$ptc"
  echo
  read -r a _ <<<"${RESULT[ream_n64]}"; read -r b _ <<<"${RESULT[ream_p2]}"
  read -r c _ <<<"${RESULT[ream_j2]}"
  echo "ream speed-up over one process on one core: xargs -P2 -n$HALF $(awk -v a="$a" -v b="$b" 'BEGIN{printf "%.2f", a / b}')x, -j 2 $(awk -v a="$a" -v b="$c" 'BEGIN{printf "%.2f", a / b}')x. Produced by \`bench/extract/run.sh\` (REPEAT=$REPEAT FILES='$FILES')."
)
cd "$ROOT"
node -e '
// Only the text between the markers is replaced: the notes written around the table stay.
const fs = require("fs");
const [file, table] = [process.argv[1], process.argv[2]];
const doc = fs.readFileSync(file, "utf8");
const begin = "<!-- bench/extract: latest table -->\n";
const end = "<!-- bench/extract: end of latest table -->";
const a = doc.indexOf(begin);
const b = doc.indexOf(end, a);
if (a < 0 || b < 0) throw new Error(file + ": the bench/extract table markers are missing");
fs.writeFileSync(file + ".tmp", doc.slice(0, a + begin.length) + table + "\n" + doc.slice(b));
fs.renameSync(file + ".tmp", file);
' docs/benchmarks.md "$TABLE"
echo "$TABLE"
