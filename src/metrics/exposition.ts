// The Prometheus text exposition format 0.0.4: writing it (what promtool, node_exporter's textfile
// collector, Pushgateway and a scrape read) and reading it back (for `ream metrics --sum`). A family
// holds its samples with their full names, so a histogram's _bucket/_sum/_count lines are plain
// samples and summing files needs no knowledge of types beyond "same HELP/TYPE, same buckets".

export type FamilyType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export type LabelPairs = readonly (readonly [string, string])[];

export interface Sample {
  readonly name: string;
  readonly labels: LabelPairs;
  value: number;
}

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: FamilyType;
  readonly samples: Sample[];
}

/** The media type of a scrape answer in this format. */
export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
export const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function formatValue(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  return String(n);
}

function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function formatLabels(labels: LabelPairs): string {
  if (labels.length === 0) return '';
  return `{${labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

/** Text of the families: HELP and TYPE before each, no timestamps, a final newline. */
export function render(families: readonly Family[]): string {
  let out = '';
  for (const f of families) {
    out += `# HELP ${f.name} ${escapeHelp(f.help)}\n# TYPE ${f.name} ${f.type}\n`;
    for (const s of f.samples) out += `${s.name}${formatLabels(s.labels)} ${formatValue(s.value)}\n`;
  }
  return out;
}

export class ExpositionError extends Error {
  override name = 'ExpositionError';
}

/** Parses text in the exposition format. Timestamps are dropped; errors name the line. */
export function parse(text: string, source = 'input'): Family[] {
  type Building = { -readonly [K in keyof Family]: Family[K] };
  const families: Building[] = [];
  const byName = new Map<string, Building>();
  let current: Building | undefined;
  const lines = text.split('\n');
  const fail = (i: number, what: string): never => {
    throw new ExpositionError(`${source}:${i + 1}: ${what}`);
  };
  const familyFor = (name: string): Building => {
    let family = byName.get(name);
    if (!family) {
      family = { name, help: '', type: 'untyped', samples: [] };
      byName.set(name, family);
      families.push(family);
    }
    return family;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(line);
      if (!m) continue; // other comments
      const [, kind, name, rest = ''] = m;
      if (!METRIC_NAME.test(name!)) fail(i, `bad metric name ${JSON.stringify(name)}`);
      const family = familyFor(name!);
      if (family.samples.length > 0) fail(i, `${kind} for ${name} after its samples`);
      if (kind === 'HELP') family.help = rest.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
      else {
        const type = rest.trim();
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type)) fail(i, `unknown type ${JSON.stringify(type)}`);
        family.type = type as FamilyType;
      }
      current = family;
      continue;
    }
    const sample = parseSample(line, (what) => fail(i, what));
    const family = current && belongsTo(sample.name, current) ? current : familyFor(sample.name);
    current = family;
    family.samples.push(sample);
  }
  return families;
}

function belongsTo(sampleName: string, family: Family): boolean {
  if (sampleName === family.name) return true;
  if (family.type !== 'histogram' && family.type !== 'summary') return false;
  const suffix = sampleName.slice(family.name.length);
  return sampleName.startsWith(family.name) && (suffix === '_sum' || suffix === '_count' || (family.type === 'histogram' && suffix === '_bucket'));
}

function parseSample(line: string, fail: (what: string) => never): Sample {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) fail('expected a metric name');
  const name = nameMatch![0];
  let pos = name.length;
  const labels: [string, string][] = [];
  if (line[pos] === '{') {
    pos++;
    for (;;) {
      while (line[pos] === ' ') pos++;
      if (line[pos] === '}') {
        pos++;
        break;
      }
      const lm = /^([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"/.exec(line.slice(pos));
      if (!lm) fail('bad label');
      pos += lm![0].length;
      let value = '';
      for (;;) {
        const c = line[pos++];
        if (c === undefined) fail('unterminated label value');
        if (c === '"') break;
        if (c === '\\') {
          const e = line[pos++];
          value += e === 'n' ? '\n' : e === '\\' ? '\\' : e === '"' ? '"' : `\\${e ?? ''}`;
        } else value += c;
      }
      labels.push([lm![1]!, value]);
      while (line[pos] === ' ') pos++;
      if (line[pos] === ',') pos++;
      else if (line[pos] !== '}') fail('expected , or } after a label');
    }
  }
  const rest = line.slice(pos).trim().split(/\s+/);
  if (rest.length < 1 || rest.length > 2 || rest[0] === '') fail('expected a value');
  const value = parseValue(rest[0]!);
  if (value === undefined) fail(`bad value ${JSON.stringify(rest[0])}`);
  return { name, labels, value: value! };
}

export function parseValue(text: string): number | undefined {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const n = Number(text);
  return text.trim() !== '' && !Number.isNaN(n) ? n : undefined;
}
