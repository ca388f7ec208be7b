// The filter language's lexer and recursive-descent parser: expression text → AST. Nothing here
// evaluates anything; compile.ts turns the AST into closures. Errors carry the column of the fault so
// the command can show the expression with a caret under it.

export type Path = (string | number)[];

export type Node =
  | { kind: 'literal'; value: unknown; at: number }
  | { kind: 'regex'; regex: RegExp; at: number }
  | { kind: 'field'; path: Path; at: number }
  | { kind: 'list'; items: Node[]; at: number }
  | { kind: 'call'; name: string; args: Node[]; at: number }
  | { kind: 'unary'; op: 'not' | 'neg'; operand: Node; at: number }
  | { kind: 'logical'; op: 'and' | 'or'; left: Node; right: Node; at: number }
  | { kind: 'binary'; op: BinaryOp; left: Node; right: Node; at: number };

export type BinaryOp =
  | '==' | '!=' | '<' | '<=' | '>' | '>='
  | '+' | '-' | '*' | '/' | '%'
  | 'in' | 'not in'
  | 'contains' | 'icontains' | 'starts' | 'istarts' | 'ends' | 'iends' | 'matches' | 'imatches' | 'not matches';

/** A fault in the expression text; `at` is the 0-based column. */
/** Characters of the expression shown on each side of a fault. */
const POINTER_CONTEXT = 60;

export class ExprSyntaxError extends Error {
  override name = 'ExprSyntaxError';
  constructor(message: string, readonly at: number, readonly source: string) {
    super(message);
  }

  /** The expression with a caret under the fault, for stderr. */
  pointer(): string[] {
    let line = this.source.replace(/[\r\n\t]/g, ' ');
    let at = Math.min(this.at, line.length);
    // A long expression is shown around the fault only.
    if (line.length > 2 * POINTER_CONTEXT) {
      const from = Math.max(0, Math.min(at - POINTER_CONTEXT, line.length - 2 * POINTER_CONTEXT));
      const to = from + 2 * POINTER_CONTEXT;
      line = `${from > 0 ? '…' : ''}${line.slice(from, to)}${to < line.length ? '…' : ''}`;
      at = at - from + (from > 0 ? 1 : 0);
    }
    return [`  ${line}`, `  ${' '.repeat(at)}^`];
  }
}

type TokenKind = 'num' | 'str' | 'regex' | 'ident' | 'quoted' | 'op' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  value?: unknown;
  at: number;
}

/** Word operators and constants; a field with one of these names is written in backticks. */
export const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'true', 'false', 'null', 'contains', 'icontains', 'starts', 'istarts', 'ends', 'iends', 'matches', 'imatches']);
const WORD_OPS: Record<string, BinaryOp> = {
  contains: 'contains', icontains: 'icontains', starts: 'starts', istarts: 'istarts', ends: 'ends', iends: 'iends',
  matches: 'matches', imatches: 'imatches', startswith: 'starts', endswith: 'ends',
};
const SYMBOL_OPS = ['==', '!=', '<=', '>=', '=~', '!~', '&&', '||', '<', '>', '=', '!', '+', '-', '*', '/', '%', '(', ')', '[', ']', ',', '.'];
const COMPARISONS: Record<string, BinaryOp> = { '==': '==', '=': '==', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=', '=~': 'matches', '!~': 'not matches' };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (msg: string, at = i): never => {
    throw new ExprSyntaxError(msg, at, src);
  };
  // `/` starts a regex unless it follows something that ends a value (then it divides).
  const valueEnded = (): boolean => {
    const t = tokens[tokens.length - 1];
    if (!t) return false;
    if (t.kind === 'num' || t.kind === 'str' || t.kind === 'regex' || t.kind === 'quoted') return true;
    if (t.kind === 'ident') return !KEYWORDS.has(t.text) || t.text === 'true' || t.text === 'false' || t.text === 'null';
    return t.text === ')' || t.text === ']';
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const at = i;
    if ((c >= '0' && c <= '9') || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i))!;
      i += m[0].length;
      if (/[A-Za-z_$]/.test(src[i] ?? '')) fail('a number runs into a name', i);
      tokens.push({ kind: 'num', text: m[0], value: Number(m[0]), at });
      continue;
    }
    if (c === '"' || c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= src.length) fail('this string is not closed', at);
        const ch = src[i]!;
        if (ch === c) break;
        if (ch === '\\') {
          const e = src[i + 1];
          const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", '/': '/', b: '\b', f: '\f' };
          if (e !== undefined && e in simple) {
            value += simple[e];
            i += 2;
          } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
            i += 6;
          } else fail('unknown escape in string', i);
          continue;
        }
        value += ch;
        i++;
      }
      i++;
      tokens.push({ kind: 'str', text: src.slice(at, i), value, at });
      continue;
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end === -1) fail('this quoted field name is not closed', at);
      tokens.push({ kind: 'quoted', text: src.slice(i + 1, end), at });
      i = end + 1;
      continue;
    }
    if (c === '/' && !valueEnded()) {
      let j = i + 1;
      let inClass = false;
      for (;; j++) {
        if (j >= src.length) fail('this regular expression is not closed', at);
        const ch = src[j];
        if (ch === '\\') j++;
        else if (ch === '[') inClass = true;
        else if (ch === ']') inClass = false;
        else if (ch === '/' && !inClass) break;
      }
      const body = src.slice(i + 1, j);
      let k = j + 1;
      while (/[a-z]/.test(src[k] ?? '')) k++;
      const flags = src.slice(j + 1, k);
      if (!/^i?$/.test(flags)) fail(`unsupported regex flag '${flags}' (only i)`, j + 1);
      let regex: RegExp;
      try {
        regex = new RegExp(body, flags);
      } catch (err) {
        fail(`bad regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`, at);
      }
      tokens.push({ kind: 'regex', text: src.slice(at, k), value: regex!, at });
      i = k;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i))!;
      i += m[0].length;
      tokens.push({ kind: 'ident', text: m[0], at });
      continue;
    }
    const op = SYMBOL_OPS.find((o) => src.startsWith(o, i));
    if (!op) fail(`unexpected character '${c}'`);
    tokens.push({ kind: 'op', text: op!, at });
    i += op!.length;
  }
  tokens.push({ kind: 'end', text: '', at: src.length });
  return tokens;
}

/** Nesting levels allowed while parsing, and the depth of the tree (left-deep chains `a and b and …` included). */
const MAX_NESTING = 256;
const MAX_TREE_DEPTH = 2000;

/** The depth of a tree, walked without recursion. */
function treeDepth(root: Node): number {
  let deepest = 0;
  const stack: Array<[Node, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, d] = stack.pop()!;
    deepest = Math.max(deepest, d);
    const children: Node[] =
      node.kind === 'logical' || node.kind === 'binary' ? [node.left, node.right] : node.kind === 'unary' ? [node.operand] : node.kind === 'list' ? node.items : node.kind === 'call' ? node.args : [];
    for (const c of children) stack.push([c, d + 1]);
  }
  return deepest;
}

/** Parses filter-expression text into an AST; throws ExprSyntaxError with the column of the fault. */
export function parse(src: string): Node {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const fail = (msg: string, at = peek().at): never => {
    throw new ExprSyntaxError(msg, at, src);
  };
  const isOp = (text: string): boolean => peek().kind === 'op' && peek().text === text;
  const isWord = (word: string): boolean => peek().kind === 'ident' && peek().text === word;
  const describe = (t: Token): string => (t.kind === 'end' ? 'the end of the expression' : `'${t.text}'`);
  const expect = (text: string, what: string): void => {
    if (!isOp(text)) fail(`expected ${what}, found ${describe(peek())}`);
    pos++;
  };

  // Nesting (parentheses, lists, calls, not, unary minus) is bounded so that a pathological
  // expression is a syntax error rather than a stack overflow here or when it is compiled.
  let depth = 0;
  const nested = <T>(at: number, inner: () => T): T => {
    if (++depth > MAX_NESTING) fail(`expression nested more than ${MAX_NESTING} levels deep`, at);
    try {
      return inner();
    } finally {
      depth--;
    }
  };

  const parseOr = (): Node => nested(peek().at, parseOrAt);
  const parseOrAt = (): Node => {
    let left = parseAnd();
    while (isWord('or') || isOp('||')) {
      const at = next().at;
      left = { kind: 'logical', op: 'or', left, right: parseAnd(), at };
    }
    return left;
  };
  const parseAnd = (): Node => {
    let left = parseNot();
    while (isWord('and') || isOp('&&')) {
      const at = next().at;
      left = { kind: 'logical', op: 'and', left, right: parseNot(), at };
    }
    return left;
  };
  const parseNot = (): Node => {
    if (isWord('not') || isOp('!')) {
      const at = next().at;
      return { kind: 'unary', op: 'not', operand: nested(at, parseNot), at };
    }
    return parseComparison();
  };
  const parseComparison = (): Node => {
    const left = parseSum();
    const t = peek();
    let op: BinaryOp | undefined;
    if (t.kind === 'op' && t.text in COMPARISONS) op = COMPARISONS[t.text];
    else if (t.kind === 'ident' && t.text in WORD_OPS) op = WORD_OPS[t.text];
    else if (t.kind === 'ident' && t.text === 'in') op = 'in';
    else if (t.kind === 'ident' && t.text === 'not' && tokens[pos + 1]?.kind === 'ident') {
      const after = tokens[pos + 1]!.text;
      if (after === 'in') op = 'not in';
      else if (after === 'matches') op = 'not matches';
      if (op) pos++;
    }
    if (!op) return left;
    pos++;
    const right = parseSum();
    if (op === 'matches' || op === 'imatches' || op === 'not matches') {
      if (right.kind === 'literal' && typeof right.value === 'string') {
        try {
          return { kind: 'binary', op, left, right: { kind: 'regex', regex: new RegExp(right.value, op === 'imatches' ? 'i' : ''), at: right.at }, at: t.at };
        } catch (err) {
          fail(`bad regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`, right.at);
        }
      }
      if (right.kind !== 'regex') fail('a regular expression (/…/ or a quoted string) must follow', right.at);
      if (op === 'imatches' && right.kind === 'regex' && !right.regex.flags.includes('i')) {
        return { kind: 'binary', op, left, right: { ...right, regex: new RegExp(right.regex.source, 'i') }, at: t.at };
      }
    }
    const following = peek();
    if ((following.kind === 'op' && following.text in COMPARISONS) || (following.kind === 'ident' && (following.text in WORD_OPS || following.text === 'in'))) {
      fail(`comparisons do not chain; use 'and' (… ${t.text} … and … ${following.text} …)`);
    }
    return { kind: 'binary', op, left, right, at: t.at };
  };
  const parseSum = (): Node => {
    let left = parseProduct();
    while (isOp('+') || isOp('-')) {
      const t = next();
      left = { kind: 'binary', op: t.text as BinaryOp, left, right: parseProduct(), at: t.at };
    }
    return left;
  };
  const parseProduct = (): Node => {
    let left = parseUnary();
    while (isOp('*') || isOp('/') || isOp('%')) {
      const t = next();
      left = { kind: 'binary', op: t.text as BinaryOp, left, right: parseUnary(), at: t.at };
    }
    return left;
  };
  const parseUnary = (): Node => {
    if (isOp('-')) {
      const at = next().at;
      const operand = nested(at, parseUnary);
      if (operand.kind === 'literal' && typeof operand.value === 'number') return { ...operand, value: -operand.value, at };
      return { kind: 'unary', op: 'neg', operand, at };
    }
    return parsePrimary();
  };
  const parsePath = (first: string, at: number): Node => {
    const path: Path = [first];
    for (;;) {
      if (isOp('.')) {
        pos++;
        const t = next();
        if (t.kind === 'ident' || t.kind === 'quoted') path.push(t.text);
        else fail(`expected a field name after '.', found ${describe(t)}`, t.at);
      } else if (isOp('[')) {
        pos++;
        const t = next();
        if (t.kind === 'num' && Number.isInteger(t.value)) path.push(t.value as number);
        else if (t.kind === 'op' && t.text === '-' && peek().kind === 'num' && Number.isInteger(peek().value)) path.push(-(next().value as number));
        else if (t.kind === 'str') path.push(t.value as string);
        else fail(`expected an index or a quoted key inside [ ], found ${describe(t)}`, t.at);
        expect(']', "']'");
      } else return { kind: 'field', path, at };
    }
  };
  const parsePrimary = (): Node => {
    const t = next();
    switch (t.kind) {
      case 'num':
      case 'str':
        return { kind: 'literal', value: t.value, at: t.at };
      case 'regex':
        return { kind: 'regex', regex: t.value as RegExp, at: t.at };
      case 'quoted':
        return parsePath(t.text, t.at);
      case 'ident': {
        if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true', at: t.at };
        if (t.text === 'null') return { kind: 'literal', value: null, at: t.at };
        if (KEYWORDS.has(t.text)) return fail(`expected a value, found '${t.text}' (a field of that name is written \`${t.text}\`)`, t.at);
        if (isOp('(')) {
          pos++;
          const args: Node[] = [];
          if (!isOp(')')) {
            do args.push(parseOr());
            while (isOp(',') && ++pos);
          }
          expect(')', `',' or ')' to close the call of ${t.text}`);
          return { kind: 'call', name: t.text, args, at: t.at };
        }
        return parsePath(t.text, t.at);
      }
      case 'op':
        if (t.text === '(') {
          const inner = parseOr();
          expect(')', "')'");
          return inner;
        }
        if (t.text === '[') {
          const items: Node[] = [];
          if (!isOp(']')) {
            do items.push(parseOr());
            while (isOp(',') && ++pos);
          }
          expect(']', "',' or ']' to close the list");
          return { kind: 'list', items, at: t.at };
        }
        if (t.text === '.' && peek().kind === 'ident') {
          // jq habit: `.meta.author` means the same as `meta.author`.
          const name = next();
          return parsePath(name.text, t.at);
        }
        return fail(`expected a value, found ${describe(t)}`, t.at);
      case 'end':
        return fail('expected a value, found the end of the expression', t.at);
    }
  };

  if (peek().kind === 'end') fail('the expression is empty');
  const root = parseOr();
  if (treeDepth(root) > MAX_TREE_DEPTH) fail(`expression nested more than ${MAX_TREE_DEPTH} levels deep (a chain of that many operators)`, 0);
  if (peek().kind !== 'end') fail(`expected an operator or the end, found ${describe(peek())}`);
  return root;
}
