#!/usr/bin/env bash
# Scale-out overhead: the same extract | tokenize | index over the same PDFs, with two jobs at a time,
#   1. xargs -P2 on this machine (the one-machine recipe),
#   2. GNU parallel -j2 on this machine (parallel's own cost, no ssh),
#   3. GNU parallel over ssh to two local sshd "hosts" (examples/cluster.sh: rsync in, run, rsync
#      back, cleanup), each followed by ream merge.
# The hosts are this machine, so the difference between 2/3 and 1 is what going remote costs per
# job, not network bandwidth. Medians of $RUNS runs (hyperfine); the table goes into the scale-out
# section of docs/benchmarks.md. Needs root (sshd), parallel, rsync, hyperfine and the shared corpus.
# Usage: bench/scale-out/run.sh   (PDFS=N pdfs, PER_JOB=M per job, RUNS=R)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
CORPUS=${REAM_CORPUS:-$ROOT/../shared/corpus}
PDFS=${PDFS:-12} PER_JOB=${PER_JOB:-3} RUNS=${RUNS:-3}
export PATH=$ROOT/bin:$PATH

for tool in parallel rsync hyperfine ssh; do command -v $tool >/dev/null || { echo "bench/scale-out: needs $tool" >&2; exit 1; }; done
[ -e "$CORPUS/MANIFEST.tsv" ] || { echo "bench/scale-out: no corpus at $CORPUS" >&2; exit 1; }
[ -e dist/ream.js ] || node build.mjs

work=$(mktemp -d /tmp/ream-bench-scaleout-XXXXXX)
trap 'test/scaleout/sshd-hosts.sh stop "$work/hosts"; rm -rf "$work"' EXIT
test/scaleout/sshd-hosts.sh start "$work/hosts" 2 "$ROOT/bin"

# Text PDFs under 1 MB, in a fixed order.
awk -F'\t' 'NR > 1 && $1 ~ /^good\// && $2 < 1000000 && $6 == "no" && $8 ~ /LATIN/ { print $1 }' "$CORPUS/MANIFEST.tsv" | sort | head -n "$PDFS" >"$work/pdfs.txt"
n=$(wc -l <"$work/pdfs.txt")
jobs=$(( (n + PER_JOB - 1) / PER_JOB ))
bytes=$(cd "$CORPUS" && xargs -d '\n' cat <"$work/pdfs.txt" | wc -c)

cat >"$work/xargs.sh" <<EOF
cd "$CORPUS" && rm -rf "$work/x" && mkdir -p "$work/x"
xargs -d '\\n' -n $PER_JOB -P 2 sh -c 'ream extract "\$@" 2>/dev/null | ream tokenize | ream index -o "$work/x/\$\$.ream" >/dev/null' sh <"$work/pdfs.txt"
ream merge -o "$work/x.ream" "$work"/x/*.ream >/dev/null
EOF
cat >"$work/parallel-local.sh" <<EOF
cd "$CORPUS" && rm -rf "$work/p" && mkdir -p "$work/p"
parallel -j2 -n $PER_JOB 'ream extract {} 2>/dev/null | ream tokenize | ream index -o "$work/p/{#}.ream" >/dev/null' :::: "$work/pdfs.txt"
ream merge -o "$work/p.ream" "$work"/p/*.ream >/dev/null
EOF
cat >"$work/parallel-ssh.sh" <<EOF
cd "$CORPUS" && rm -rf "$work/s.ream" "$work/s.ream.d"
PARALLEL_SSH="ssh -F $work/hosts/ssh_config" PARALLEL_HOME="$work/ph" \\
  xargs -d '\\n' "$ROOT/examples/cluster.sh" index -S 1/host1 -S 1/host2 -n $PER_JOB -o "$work/s.ream" <"$work/pdfs.txt" >/dev/null 2>&1
EOF

(cd "$CORPUS" && xargs -d '\n' cat <"$work/pdfs.txt" >/dev/null) # page cache warm for every recipe
hyperfine --runs "$RUNS" --export-json "$work/h.json" --style basic \
  -n "xargs -P2 (one machine)" "bash $work/xargs.sh" \
  -n "parallel -j2 (one machine)" "bash $work/parallel-local.sh" \
  -n "parallel over ssh, 2 hosts" "bash $work/parallel-ssh.sh" >&2

# What one ssh connection costs here (a job opens seven: mkdir of its work dir, rsync in, the
# command, rsync back, three cleanups).
ssh_seconds=$(for _ in 1 2 3 4 5; do /usr/bin/env time -f %e ssh -F "$work/hosts/ssh_config" host1 true 2>&1 >/dev/null; done | sort -n | sed -n 3p)

# The three builds must agree before their times mean anything.
for idx in p s; do
  cmp <(ream docs "$work/x.ream" | sort) <(ream docs "$work/$idx.ream" | sort) >/dev/null ||
    { echo "bench/scale-out: $idx.ream differs from the xargs build" >&2; exit 1; }
done

table=$(node -e '
  const h = require(process.argv[1]);
  const [jobs, n, mb] = process.argv.slice(2).map(Number);
  const base = h.results[0].median;
  const rows = h.results.map((r) => {
    const perJob = ((r.median - base) * 2) / jobs; // two slots: extra wall time × slots / jobs
    return `| ${r.command} | ${r.median.toFixed(2)} s | ${(r.median / base).toFixed(2)}× | ${r === h.results[0] ? "—" : (perJob >= 0 ? "+" : "") + perJob.toFixed(2) + " s"} |`;
  });
  console.log([
    `${n} PDFs (${mb.toFixed(1)} MB) from the shared corpus, ${jobs} jobs of up to ${Math.ceil(n / jobs)} PDFs, two at a time, then \`ream merge\`; median of ${h.results[0].times.length} runs.`,
    "",
    "| recipe | wall time | vs xargs | extra per job |",
    "| --- | --- | --- | --- |",
    ...rows,
  ].join("\n"));
' "$work/h.json" "$jobs" "$n" "$(echo "$bytes / 1048576" | bc -l)")

section=$(cat <<EOF
## scale-out — xargs on one machine against parallel over ssh

$table

"Extra per job" is (wall time − xargs wall time) × 2 slots ÷ jobs: what each job pays for being
scheduled by parallel and, over ssh, for its connections. A job opens seven ssh connections (mkdir
of its work dir, rsync in, the command, rsync back, three cleanups); one \`ssh host true\` took
${ssh_seconds} s here (median of 5), so going remote costs about 7 × that per job, whatever the PDFs —
give each job enough PDFs (\`-n\`) to dwarf it.
The two hosts are sshd processes on this machine, so no network is crossed; on real hosts add the
transfer time of the PDFs and shards. Produced by \`bench/scale-out/run.sh\` on $(nproc) cores,
$(date -u +%Y-%m-%d), load average at the end $(cut -d' ' -f1-3 /proc/loadavg).
EOF
)
node -e '
  const fs = require("fs");
  const [file, text] = process.argv.slice(1);
  const doc = fs.readFileSync(file, "utf8");
  const start = doc.indexOf("<!-- section: scale-out (bench/scale-out) -->");
  if (start < 0) throw new Error("no scale-out section marker in " + file);
  const after = doc.indexOf("<!-- section:", start + 10);
  const end = after < 0 ? doc.length : after;
  fs.writeFileSync(file, doc.slice(0, start) + "<!-- section: scale-out (bench/scale-out) -->\n\n" + text + "\n" + (after < 0 ? "" : "\n") + doc.slice(end));
' docs/benchmarks.md "$section"
echo "$table"
