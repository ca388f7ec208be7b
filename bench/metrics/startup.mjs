// Interleaved start-up timing: every round runs each command once, in a shuffled order, so that load
// from other processes on a shared machine falls on all of them alike. Prints JSON
// { name: { wallMs, cpuMs } }: the median wall time, and the mean user + system CPU time of the child
// (from the shell's `times`, in clock ticks of 10 ms, hence a mean rather than a median).
// Usage: node startup.mjs ROUNDS NAME=COMMAND…
import { spawnSync } from 'node:child_process';

const [rounds, ...specs] = process.argv.slice(2);
const commands = specs.map((s) => {
  const i = s.indexOf('=');
  return { name: s.slice(0, i), command: s.slice(i + 1) };
});
const wall = new Map(commands.map((c) => [c.name, []]));
const cpu = new Map(commands.map((c) => [c.name, []]));

// `times` after the command prints the children's user and system time (e.g. "0m0.131s 0m0.050s").
const seconds = (t) => {
  const m = /(\d+)m([\d.]+)s/.exec(t);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
};
for (let r = -2; r < Number(rounds); r++) {
  const order = [...commands].sort(() => Math.random() - 0.5);
  for (const { name, command } of order) {
    const start = process.hrtime.bigint();
    const res = spawnSync('sh', ['-c', `${command} >/dev/null 2>&1 </dev/null; times`], { encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r < 0) continue; // warm-up rounds
    const childLine = res.stdout.trim().split('\n').at(-1).split(/\s+/);
    wall.get(name).push(ms);
    cpu.get(name).push((seconds(childLine[0]) + seconds(childLine[1])) * 1000);
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
console.log(JSON.stringify(Object.fromEntries(commands.map(({ name }) => [name, { wallMs: median(wall.get(name)), cpuMs: cpu.get(name).reduce((a, b) => a + b, 0) / cpu.get(name).length }]))));
