// Reference point, not a tool: the plainest Node filter (string split + JSON.parse), as a ceiling
// for what ream's reader can hope to gain over jq. Usage: baseline.mjs FILE
import { createReadStream } from 'node:fs';

let kept = 0;
let rest = '';
for await (const chunk of createReadStream(process.argv[2], { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
  const lines = (rest + chunk).split('\n');
  rest = lines.pop();
  for (const line of lines) {
    if (!line) continue;
    const r = JSON.parse(line);
    if (r.chars > 1500 && r.lang === 'en' && r.meta.year >= 1990) kept++;
  }
}
process.stdout.write(`${kept}\n`);
