// Turns a parsed filter expression into a tree of closures, once; each record then costs a few
// function calls and no allocation for the common shapes (field op constant). The record is only ever
// read as data: no eval, no `new Function`, no prototype lookups (`constructor`, `__proto__` are just
// missing fields).
//
// Semantics, chosen to be unsurprising on messy records:
// - a missing field is `undefined`, and equals `null` (`x == null` holds for both);
// - `<`, `<=`, `>`, `>=` hold only between two numbers or two strings; anything else is false;
// - `==` / `!=` never convert types (`"3" == 3` is false); arrays and objects compare by content;
// - arithmetic on non-numbers (or a non-finite result) gives null, so comparisons with it are false;
// - string operators (`contains`, `starts`, `ends`, `matches`) are false on non-strings, except that
//   `contains` on an array tests membership;
// - truthiness (for `and`, `or`, `not` and the whole expression): false, null, missing, 0, NaN and ""
//   are false; everything else (including [] and {}) is true.
import { ExprSyntaxError, parse, type Node, type Path } from './parse.js';

export type Rec = Record<string, unknown>;
export type Eval = (record: Rec) => unknown;
export type Test = (record: Rec) => boolean;

/** Parses and compiles `source` into a predicate over records (throws ExprSyntaxError). */
export function compileFilter(source: string): Test {
  return compileTest(parse(source), source);
}

export function truthy(v: unknown): boolean {
  return v !== undefined && v !== null && v !== false && v !== 0 && v !== '' && !(typeof v === 'number' && Number.isNaN(v));
}

export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a == null || b == null) return a == null && b == null; // missing equals null
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a as Rec);
  if (ka.length !== Object.keys(b as Rec).length) return false;
  for (const k of ka) if (!Object.hasOwn(b as Rec, k) || !equal((a as Rec)[k], (b as Rec)[k])) return false;
  return true;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const ta = typeof a;
  if ((ta !== 'number' && ta !== 'string') || ta !== typeof b) return false;
  switch (op) {
    case '<': return (a as number) < (b as number);
    case '<=': return (a as number) <= (b as number);
    case '>': return (a as number) > (b as number);
    default: return (a as number) >= (b as number);
  }
}

function number(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Keys that plain property access would find on Object.prototype; read only when the record owns them. */
const INHERITED = new Set(Object.getOwnPropertyNames(Object.prototype).concat(['length']));

function fieldGetter(path: Path): Eval {
  const steps = path.map((key): ((v: unknown) => unknown) => {
    if (typeof key === 'number') {
      return (v) => (Array.isArray(v) ? v[key < 0 ? v.length + key : key] : undefined);
    }
    if (INHERITED.has(key)) {
      return (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, key) ? (v as Rec)[key] : undefined);
    }
    return (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec)[key] : undefined);
  });
  const [first] = path;
  // The record itself is always a plain object: the common one- and two-step paths skip its checks.
  if (path.length === 1 && typeof first === 'string' && !INHERITED.has(first)) return (r) => r[first];
  if (path.length === 2 && typeof first === 'string' && !INHERITED.has(first)) {
    const step = steps[1]!;
    return (r) => step(r[first]);
  }
  if (steps.length === 1) return steps[0]!;
  return (r) => {
    let v: unknown = r;
    for (let i = 0; i < steps.length && v !== undefined; i++) v = steps[i]!(v);
    return v;
  };
}

type Fn = { arity: [number, number]; call: (args: unknown[]) => unknown };
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (f: (n: number) => number) => (args: unknown[]) => (typeof args[0] === 'number' ? number(f(args[0])) : null);
const FUNCTIONS: Record<string, Fn> = {
  len: {
    arity: [1, 1],
    call: ([v]) => (typeof v === 'string' || Array.isArray(v) ? v.length : v !== null && typeof v === 'object' ? Object.keys(v).length : null),
  },
  lower: { arity: [1, 1], call: ([v]) => str(v)?.toLowerCase() ?? null },
  upper: { arity: [1, 1], call: ([v]) => str(v)?.toUpperCase() ?? null },
  trim: { arity: [1, 1], call: ([v]) => str(v)?.trim() ?? null },
  exists: { arity: [1, 1], call: ([v]) => v !== undefined },
  type: {
    arity: [1, 1],
    call: ([v]) => (v === undefined ? 'missing' : v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v),
  },
  num: {
    arity: [1, 1],
    call: ([v]) => {
      if (typeof v === 'number') return v;
      if (typeof v !== 'string' || v.trim() === '') return null;
      const n = Number(v);
      return Number.isFinite(n) ? n : null;
    },
  },
  str: { arity: [1, 1], call: ([v]) => (v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v)) },
  abs: { arity: [1, 1], call: num(Math.abs) },
  floor: { arity: [1, 1], call: num(Math.floor) },
  ceil: { arity: [1, 1], call: num(Math.ceil) },
  round: { arity: [1, 1], call: num(Math.round) },
  min: { arity: [1, Infinity], call: (args) => extreme(args, (a, b) => a < b) },
  max: { arity: [1, Infinity], call: (args) => extreme(args, (a, b) => a > b) },
};
export const FUNCTION_NAMES = Object.keys(FUNCTIONS);

/** min/max over numbers, or over the numbers of one array argument; null if there are none. */
function extreme(args: unknown[], better: (a: number, b: number) => boolean): number | null {
  const values = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  let best: number | null = null;
  for (const v of values) if (typeof v === 'number' && (best === null || better(v, best))) best = v;
  return best;
}

function compileValue(node: Node, src: string): Eval {
  switch (node.kind) {
    case 'literal': {
      const value = node.value;
      return () => value;
    }
    case 'regex':
      throw new ExprSyntaxError('a regular expression can only follow matches, imatches, =~ or !~', node.at, src);
    case 'field':
      return fieldGetter(node.path);
    case 'list': {
      const items = node.items.map((n) => compileValue(n, src));
      return (r) => items.map((f) => f(r));
    }
    case 'call': {
      const fn = Object.hasOwn(FUNCTIONS, node.name) ? FUNCTIONS[node.name] : undefined;
      if (!fn) throw new ExprSyntaxError(`unknown function '${node.name}' (known: ${FUNCTION_NAMES.join(', ')})`, node.at, src);
      const [lo, hi] = fn.arity;
      if (node.args.length < lo || node.args.length > hi) {
        const want = lo === hi ? `${lo} argument${lo === 1 ? '' : 's'}` : `at least ${lo} argument`;
        throw new ExprSyntaxError(`${node.name}() takes ${want}, got ${node.args.length}`, node.at, src);
      }
      const args = node.args.map((n) => compileValue(n, src));
      if (args.length === 1) {
        const [a] = args;
        const call = fn.call;
        const scratch: unknown[] = [undefined];
        return (r) => {
          scratch[0] = a!(r);
          return call(scratch);
        };
      }
      return (r) => fn.call(args.map((f) => f(r)));
    }
    case 'unary': {
      if (node.op === 'not') {
        const t = compileTest(node.operand, src);
        return (r) => !t(r);
      }
      const v = compileValue(node.operand, src);
      return (r) => {
        const x = v(r);
        return typeof x === 'number' ? -x : null;
      };
    }
    case 'logical':
    case 'binary':
      if (node.kind === 'binary' && '+-*/%'.includes(node.op)) return compileArithmetic(node.op, compileValue(node.left, src), compileValue(node.right, src));
      return compileTest(node, src);
  }
}

function compileArithmetic(op: string, l: Eval, r: Eval): Eval {
  switch (op) {
    case '+':
      return (x) => {
        const a = l(x);
        const b = r(x);
        if (typeof a === 'number' && typeof b === 'number') return number(a + b);
        if (typeof a === 'string' && typeof b === 'string') return a + b;
        return null;
      };
    case '-':
      return (x) => {
        const a = l(x);
        const b = r(x);
        return typeof a === 'number' && typeof b === 'number' ? number(a - b) : null;
      };
    case '*':
      return (x) => {
        const a = l(x);
        const b = r(x);
        return typeof a === 'number' && typeof b === 'number' ? number(a * b) : null;
      };
    case '/':
      return (x) => {
        const a = l(x);
        const b = r(x);
        return typeof a === 'number' && typeof b === 'number' ? number(a / b) : null;
      };
    default:
      return (x) => {
        const a = l(x);
        const b = r(x);
        return typeof a === 'number' && typeof b === 'number' ? number(a % b) : null;
      };
  }
}

function constantOf(node: Node): { value: unknown } | undefined {
  return node.kind === 'literal' ? { value: node.value } : undefined;
}

function compileTest(node: Node, src: string): Test {
  if (node.kind === 'logical') {
    const a = compileTest(node.left, src);
    const b = compileTest(node.right, src);
    return node.op === 'and' ? (r) => a(r) && b(r) : (r) => a(r) || b(r);
  }
  if (node.kind === 'unary' && node.op === 'not') {
    const t = compileTest(node.operand, src);
    return (r) => !t(r);
  }
  if (node.kind !== 'binary' || '+-*/%'.includes(node.op)) {
    const v = compileValue(node, src);
    return (r) => truthy(v(r));
  }
  const op = node.op;
  const left = compileValue(node.left, src);
  if (op === 'matches' || op === 'imatches' || op === 'not matches') {
    const re = (node.right as Extract<Node, { kind: 'regex' }>).regex;
    const hit: Test = (r) => {
      const s = left(r);
      return typeof s === 'string' && re.test(s);
    };
    return op === 'not matches' ? (r) => !hit(r) : hit;
  }
  const k = constantOf(node.right);
  const right = compileValue(node.right, src);
  switch (op) {
    case '==':
    case '!=': {
      let eq: Test;
      if (k && (typeof k.value === 'number' || typeof k.value === 'string' || typeof k.value === 'boolean')) {
        const c = k.value;
        eq = (r) => left(r) === c;
      } else eq = (r) => equal(left(r), right(r));
      return op === '==' ? eq : (r) => !eq(r);
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (k && typeof k.value === 'number') {
        const c = k.value;
        // Specialised: the shape of `pages > 3`, the most common filter.
        if (op === '<') return (r) => { const v = left(r); return typeof v === 'number' && v < c; };
        if (op === '<=') return (r) => { const v = left(r); return typeof v === 'number' && v <= c; };
        if (op === '>') return (r) => { const v = left(r); return typeof v === 'number' && v > c; };
        return (r) => { const v = left(r); return typeof v === 'number' && v >= c; };
      }
      return (r) => compare(op, left(r), right(r));
    }
    case 'in':
    case 'not in': {
      const member: Test = (r) => {
        const item = left(r);
        const set = right(r);
        if (Array.isArray(set)) {
          for (const x of set) if (equal(item, x)) return true;
          return false;
        }
        return typeof set === 'string' && typeof item === 'string' && set.includes(item);
      };
      if (node.right.kind === 'list' && node.right.items.every((n) => n.kind === 'literal' && n.value !== null && typeof n.value !== 'object')) {
        // A constant list of scalars: one Set lookup.
        const values = new Set(node.right.items.map((n) => (n as { value: unknown }).value));
        const fast: Test = (r) => values.has(left(r));
        return op === 'in' ? fast : (r) => !fast(r);
      }
      return op === 'in' ? member : (r) => !member(r);
    }
    case 'contains':
      return (r) => {
        const a = left(r);
        const b = right(r);
        if (typeof a === 'string') return typeof b === 'string' && a.includes(b);
        if (Array.isArray(a)) {
          for (const x of a) if (equal(x, b)) return true;
        }
        return false;
      };
    case 'starts':
      return (r) => {
        const a = left(r);
        const b = right(r);
        return typeof a === 'string' && typeof b === 'string' && a.startsWith(b);
      };
    case 'ends':
      return (r) => {
        const a = left(r);
        const b = right(r);
        return typeof a === 'string' && typeof b === 'string' && a.endsWith(b);
      };
    case 'icontains':
    case 'istarts':
    case 'iends': {
      const kind = op.slice(1) as 'contains' | 'starts' | 'ends';
      const lowerRight: Eval = k && typeof k.value === 'string' ? ((c) => () => c)(k.value.toLowerCase()) : (r) => str(right(r))?.toLowerCase();
      return (r) => {
        const a = left(r);
        const b = lowerRight(r);
        if (typeof a !== 'string' || typeof b !== 'string') return false;
        const s = a.toLowerCase();
        return kind === 'contains' ? s.includes(b) : kind === 'starts' ? s.startsWith(b) : s.endsWith(b);
      };
    }
  }
  throw new ExprSyntaxError(`unknown operator ${op}`, node.at, src);
}
