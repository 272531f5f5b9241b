// A C-expression interpreter over 64-bit unsigned values (BigInt). Patch text is untrusted: the
// expression is tokenised and parsed into a small tree and then walked; nothing is ever handed to
// eval/Function. Work is charged by cost (see Budget) and every evaluation stops at a step and a
// time bound; whatever goes wrong inside comes out as ExprError.
// The grammar is the subset of C that KVM's CC() conditions use: integer literals with suffixes,
// casts to the kernel's integer types, unary ! ~ - +, the binary operators by C precedence,
// ?:, comma-free function calls, and member access with -> and . (scenario fields).

/** A problem with an expression: a syntax error, an unknown name, a step-bound overrun. */
export class ExprError extends Error {}

const MASK64 = (1n << 64n) - 1n;

/** Parsed expression tree. */
export type Expr =
  | { kind: 'num'; value: bigint }
  | { kind: 'name'; name: string }
  | { kind: 'member'; path: string; root: string }
  | { kind: 'unary'; op: string; operand: Expr }
  | { kind: 'cast'; bits: number; operand: Expr }
  | { kind: 'bin'; op: string; left: Expr; right: Expr }
  | { kind: 'cond'; test: Expr; then: Expr; otherwise: Expr }
  | { kind: 'call'; fn: string; args: Expr[] };

interface Token { k: 'num' | 'id' | 'op' | 'end'; s: string; v?: bigint; pos: number }

/** Bounds on untrusted input: tokens per expression and nesting depth. */
export const MAX_TOKENS = 4000;
export const MAX_DEPTH = 200;

const OPS = ['<<=', '>>=', '->', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '(', ')', '~', '!', '*', '/', '%', '+', '-', '<', '>', '&', '^', '|', '?', ':', ',', '.'];

/** Longest expression text accepted (a kernel condition or macro value is far shorter). */
export const MAX_SOURCE = 64 * 1024;

const NUMBER = /(0[xX][0-9a-fA-F]+|0[bB][01]+|\d+)([uUlL]*)/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const CHAR = /'(\\?.)'/y;
const SPACE = /\s/;

// One pass over the text: sticky regexes read at the current index (no re-slicing of the rest).
function tokenize(src: string): Token[] {
  if (src.length > MAX_SOURCE) throw new ExprError(`expression too long (${src.length} characters; at most ${MAX_SOURCE})`);
  const out: Token[] = [];
  const push = (t: Token): void => {
    if (out.length >= MAX_TOKENS) throw new ExprError(`expression too long (more than ${MAX_TOKENS} tokens)`);
    out.push(t);
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (SPACE.test(c) || c === '\\') { i++; continue; }
    if (src.startsWith('/*', i)) { const j = src.indexOf('*/', i + 2); i = j < 0 ? src.length : j + 2; continue; }
    if (src.startsWith('//', i)) { const j = src.indexOf('\n', i); i = j < 0 ? src.length : j + 1; continue; }
    if (c >= '0' && c <= '9') {
      NUMBER.lastIndex = i;
      const num = NUMBER.exec(src)!;
      const text = num[1];
      const after = src[i + num[0].length] ?? '';
      if (/[0-9a-zA-Z_]/.test(after)) throw new ExprError(`bad number at column ${i + 1}: "${src.slice(i, i + Math.min(num[0].length + 1, 40))}"`);
      // a literal wider than 64 bits is an error in C too; the length bound also keeps BigInt() cheap
      const digits = text.replace(/^0[xXbB]?0*/, '');
      if (digits.length > 64) throw new ExprError(`integer literal at column ${i + 1} does not fit in 64 bits`);
      const v = /^0[0-7]+$/.test(text) ? BigInt('0o' + text.slice(1)) : BigInt(text);
      push({ k: 'num', s: num[0], v: v & MASK64, pos: i });
      i += num[0].length;
      continue;
    }
    if (c === '\'') {
      CHAR.lastIndex = i;
      const m = CHAR.exec(src);
      if (!m) throw new ExprError(`bad character literal at column ${i + 1}`);
      push({ k: 'num', s: m[0], v: BigInt(m[1].charCodeAt(m[1].length - 1)), pos: i });
      i += m[0].length;
      continue;
    }
    IDENT.lastIndex = i;
    const id = IDENT.exec(src);
    if (id) { push({ k: 'id', s: id[0], pos: i }); i += id[0].length; continue; }
    const op = OPS.find(o => src.startsWith(o, i));
    if (!op) throw new ExprError(`unexpected character ${JSON.stringify(c)} at column ${i + 1}`);
    if (op === '<<=' || op === '>>=') throw new ExprError(`assignment "${op}" is not an expression this simulator evaluates`);
    push({ k: 'op', s: op, pos: i });
    i += op.length;
  }
  out.push({ k: 'end', s: '', pos: src.length });
  return out;
}

const BINARY = new Map<string, number>(Object.entries({
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '<=': 7, '>': 7, '>=': 7,
  '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
}));

/** Integer type names a cast may use, with their width. */
const CAST_TYPES = new Map<string, number>(Object.entries({
  u8: 8, u16: 16, u32: 32, u64: 64, s8: 8, s16: 16, s32: 32, s64: 64, __u8: 8, __u16: 16, __u32: 32, __u64: 64,
  bool: 1, _Bool: 1, gpa_t: 64, gva_t: 64, hpa_t: 64, gfn_t: 64, size_t: 64, ulong: 64, int: 32, long: 64, char: 8,
}));
const CAST_WORDS = new Set(['unsigned', 'signed', 'long', 'int', 'short', 'char', 'const']);

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Token[], private readonly src: string) {}
  private peek(): Token { return this.toks[this.i]; }
  private next(): Token { return this.toks[this.i++]; }
  private expect(s: string): void {
    const t = this.next();
    if (t.s !== s) throw new ExprError(`expected "${s}" at column ${t.pos + 1}, found ${t.k === 'end' ? 'end of expression' : `"${t.s}"`}`);
  }
  parseAll(): Expr {
    const e = this.ternary();
    const t = this.peek();
    if (t.k !== 'end') throw new ExprError(`unexpected "${t.s}" at column ${t.pos + 1}`);
    return e;
  }
  private ternary(): Expr {
    const c = this.binary(1);
    if (this.peek().s === '?') {
      this.next();
      const a = this.ternary();
      this.expect(':');
      const b = this.ternary();
      return { kind: 'cond', test: c, then: a, otherwise: b };
    }
    return c;
  }
  private binary(min: number): Expr {
    let l = this.unary();
    for (;;) {
      const t = this.peek();
      const p = t.k === 'op' ? BINARY.get(t.s) : undefined;
      if (p === undefined || p < min) return l;
      this.next();
      const r = this.binary(p + 1);
      l = { kind: 'bin', op: t.s, left: l, right: r };
    }
  }
  /** A parenthesised type name such as (u64) or (unsigned long), or undefined. */
  private castWidth(): number | undefined {
    const save = this.i;
    if (this.peek().s !== '(') return undefined;
    this.next();
    const words: string[] = [];
    while (this.peek().k === 'id' && (CAST_TYPES.has(this.peek().s) || CAST_WORDS.has(this.peek().s))) words.push(this.next().s);
    if (words.length && this.peek().s === ')') {
      this.next();
      const named = words.find(w => CAST_TYPES.has(w) && !CAST_WORDS.has(w));
      if (named) return CAST_TYPES.get(named);
      if (words.includes('char')) return 8;
      if (words.includes('short')) return 16;
      if (words.includes('long')) return 64;
      return 32;
    }
    this.i = save;
    return undefined;
  }
  private unary(): Expr {
    if (++this.depth > MAX_DEPTH) throw new ExprError(`expression nested deeper than ${MAX_DEPTH} levels`);
    try { return this.unaryInner(); } finally { this.depth--; }
  }
  private unaryInner(): Expr {
    const t = this.peek();
    if (t.k === 'op' && ['!', '~', '-', '+'].includes(t.s)) { this.next(); return { kind: 'unary', op: t.s, operand: this.unary() }; }
    const bits = this.castWidth();
    if (bits !== undefined) return { kind: 'cast', bits, operand: this.unary() };
    return this.postfix();
  }
  private postfix(): Expr {
    const t = this.next();
    if (t.k === 'num') return { kind: 'num', value: t.v! };
    if (t.s === '(') { const e = this.ternary(); this.expect(')'); return e; }
    if (t.k !== 'id') throw new ExprError(t.k === 'end' ? 'expression ends too early' : `unexpected "${t.s}" at column ${t.pos + 1}`);
    if (t.s === 'sizeof') {
      // sizeof(...) is kept as text: the environment knows the few kernel types conditions use.
      this.expect('(');
      let depth = 1;
      const parts: string[] = [];
      while (depth > 0) {
        const x = this.next();
        if (x.k === 'end') throw new ExprError('unclosed sizeof(');
        if (x.s === '(') depth++;
        if (x.s === ')' && --depth === 0) break;
        parts.push(x.s);
      }
      return { kind: 'call', fn: 'sizeof', args: [{ kind: 'name', name: parts.join(' ') }] };
    }
    if (this.peek().s === '(') {
      this.next();
      const args: Expr[] = [];
      if (this.peek().s !== ')') {
        for (;;) {
          args.push(this.argument());
          if (this.peek().s === ',') { this.next(); continue; }
          break;
        }
      }
      this.expect(')');
      return { kind: 'call', fn: t.s, args };
    }
    if (this.peek().s === '->' || this.peek().s === '.') {
      let path = t.s;
      while (this.peek().s === '->' || this.peek().s === '.') {
        const sep = this.next().s;
        const field = this.next();
        if (field.k !== 'id') throw new ExprError(`expected a field name after "${sep}" at column ${field.pos + 1}`);
        path += sep + field.s;
      }
      return { kind: 'member', path, root: t.s };
    }
    return { kind: 'name', name: t.s };
  }
  /** A call argument: an expression, or `&x` (address-of a scenario object, passed by name). */
  private argument(): Expr {
    if (this.peek().s === '&' ) { this.next(); return this.postfix(); }
    return this.ternary();
  }
  get source(): string { return this.src; }
}

const parsed = new Map<string, Expr>();
/** Parses a C expression (cached per text); throws ExprError naming the problem. */
export function parseExpr(src: string): Expr {
  const hit = parsed.get(src);
  if (hit) return hit;
  if (src.length > MAX_SOURCE) throw new ExprError(`expression too long (${src.length} characters; at most ${MAX_SOURCE})`);
  // A condition copied from a patch line may still carry a trailing `;`/`{` and then `||`/`&&`
  // (taken off from the end, without a regex that would rescan runs of spaces).
  let text = src.trim();
  if (text.endsWith(';') || text.endsWith('{')) text = text.slice(0, -1).trimEnd();
  if (text.endsWith('||') || text.endsWith('&&')) text = text.slice(0, -2).trimEnd();
  const e = new Parser(tokenize(text), text).parseAll();
  if (parsed.size > 5000) parsed.clear();
  parsed.set(src, e);
  return e;
}

/** What the interpreter asks of its caller: the values of names, fields and helper calls. */
export interface EvalEnv {
  /** A plain identifier (constant, module parameter, local like `ia32e`). */
  name(name: string): bigint | undefined;
  /** A member path such as `vmcs12->host_cr3` or `vmx->nested.msrs.ept_caps`. */
  member(path: string): bigint | undefined;
  /** A helper function; `args` are evaluated lazily so helpers may take names (`vcpu`). A helper
   *  that loops or builds large values pays for it with `charge(units)` (one unit ≈ one node). */
  call(fn: string, args: Expr[], ev: (e: Expr) => bigint, charge: (units: number) => void): bigint | undefined;
}

/** Step bound for one evaluation: far above any kernel condition, low enough to stop abuse. */
export const MAX_STEPS = 20000;
/** Time bound for one evaluation (ms), however the steps were spent. */
export const MAX_EVAL_MS = 250;

/**
 * What one evaluation may still spend: `steps` in work units and, optionally, a wall-clock
 * `deadline` (Date.now() ms). Work is charged by cost, not per node: a node costs one unit plus
 * one per 64 bits of the values it combines (shifts, multiplication, division), and helpers
 * charge for their loops and the text they read. Callers may share one budget over many
 * evaluations (a whole simulation) by passing the same object.
 */
export interface Budget { steps: number; deadline?: number }

const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);

type Compiled = (c: RunCtx) => bigint;
interface RunCtx { env: EvalEnv; steps: number; limit: number; deadline: number; clock: number; ev: (x: Expr | undefined) => bigint; charge: (units: number) => void }
const compiledCache = new WeakMap<Expr, Compiled>();

function tick(c: RunCtx, units = 1): void {
  c.steps -= units;
  if (c.steps < 0) throw new ExprError(`evaluation exceeded ${c.limit} steps`);
  // the clock is read every 512 units of work
  if ((c.clock -= units) < 0) {
    c.clock = 512;
    if (Date.now() > c.deadline) throw new ExprError('evaluation exceeded its time budget');
  }
}
/** Units a 64-bit operation on `a` and `b` costs beyond its node: one per 64 bits of operands. */
const width = (v: bigint): number => (v > MASK64 || v < 0n ? Math.ceil(v.toString(16).length / 16) : 1);

/** Turns a tree into nested closures once (an interpreter technique; no code is generated). */
function compile(x: Expr): Compiled {
  const hit = compiledCache.get(x);
  if (hit) return hit;
  let f: Compiled;
  switch (x.kind) {
    case 'num': { const v = x.value; f = c => { tick(c); return v; }; break; }
    case 'name': {
      const n = x.name;
      f = c => { tick(c); const v = c.env.name(n); if (v === undefined) throw new ExprError(`unknown name "${n}"`); return in64(c, v); };
      break;
    }
    case 'member': {
      const p = x.path;
      f = c => { tick(c); const v = c.env.member(p); if (v === undefined) throw new ExprError(`unknown field "${p}"`); return in64(c, v); };
      break;
    }
    case 'unary': {
      const e = compile(x.operand);
      if (x.op === '!') f = c => { tick(c); return e(c) === 0n ? 1n : 0n; };
      else if (x.op === '~') f = c => { tick(c); return ~e(c) & MASK64; };
      else if (x.op === '-') f = c => { tick(c); return (-e(c)) & MASK64; };
      else f = c => { tick(c); return e(c); };
      break;
    }
    case 'cast': {
      const e = compile(x.operand), bits = x.bits;
      f = bits === 1 ? c => { tick(c); return e(c) === 0n ? 0n : 1n; } : c => { tick(c); return BigInt.asUintN(bits, e(c)); };
      break;
    }
    case 'cond': { const cc = compile(x.test), a = compile(x.then), b = compile(x.otherwise); f = c => { tick(c); return cc(c) !== 0n ? a(c) : b(c); }; break; }
    case 'call': {
      const fn = x.fn, args = x.args;
      for (const a of args) compile(a);
      f = c => { tick(c); const v = c.env.call(fn, args, c.ev, c.charge); if (v === undefined) throw new ExprError(`unknown function "${fn}"`); return in64(c, v); };
      break;
    }
    case 'bin': {
      const l = compile(x.left), r = compile(x.right);
      switch (x.op) {
        case '&&': f = c => { tick(c); return l(c) !== 0n && r(c) !== 0n ? 1n : 0n; }; break;
        case '||': f = c => { tick(c); return l(c) !== 0n || r(c) !== 0n ? 1n : 0n; }; break;
        case '|': f = c => { tick(c); return l(c) | r(c); }; break;
        case '&': f = c => { tick(c); return l(c) & r(c); }; break;
        case '^': f = c => { tick(c); return l(c) ^ r(c); }; break;
        case '+': f = c => { tick(c); return (l(c) + r(c)) & MASK64; }; break;
        case '-': f = c => { tick(c); return (l(c) - r(c)) & MASK64; }; break;
        // the product of two 64-bit values has up to 128 bits: two units
        case '*': f = c => { tick(c, 2); return (l(c) * r(c)) & MASK64; }; break;
        case '/': f = c => { tick(c, 2); const a = l(c), b = r(c); if (b === 0n) throw new ExprError('division by zero'); return a / b; }; break;
        case '%': f = c => { tick(c, 2); const a = l(c), b = r(c); if (b === 0n) throw new ExprError('division by zero'); return a % b; }; break;
        // a shift by 64 or more is undefined in C; here it gives 0 without building the value
        case '<<': f = c => { tick(c); const a = l(c), b = r(c); if (b >= 64n) return 0n; tick(c, 1); return (a << b) & MASK64; }; break;
        case '>>': f = c => { tick(c); const a = l(c), b = r(c); return b >= 64n ? 0n : a >> b; }; break;
        case '==': f = c => { tick(c); return l(c) === r(c) ? 1n : 0n; }; break;
        case '!=': f = c => { tick(c); return l(c) !== r(c) ? 1n : 0n; }; break;
        case '<': f = c => { tick(c); return l(c) < r(c) ? 1n : 0n; }; break;
        case '<=': f = c => { tick(c); return l(c) <= r(c) ? 1n : 0n; }; break;
        case '>': f = c => { tick(c); return l(c) > r(c) ? 1n : 0n; }; break;
        case '>=': f = c => { tick(c); return l(c) >= r(c) ? 1n : 0n; }; break;
        default: throw new ExprError(`operator "${x.op}" not supported`);
      }
      break;
    }
  }
  compiledCache.set(x, f);
  return f;
}

/** A value from the environment as 64 bits; a wider one (a helper's) pays for its width first. */
function in64(c: RunCtx, v: bigint): bigint {
  if (typeof v !== 'bigint') throw new ExprError(`a name or helper gave a ${typeof v}, not a number`);
  if (v >= 0n && v <= MASK64) return v;
  tick(c, width(v));
  return v & MASK64;
}

let lastEnv: EvalEnv | undefined;
let lastCtx: RunCtx | undefined;
function contextFor(env: EvalEnv): RunCtx {
  if (env === lastEnv) return lastCtx!;
  const fresh: RunCtx = {
    env, steps: 0, limit: 0, deadline: 0, clock: 512,
    ev: (x: Expr | undefined) => { if (!x) throw new ExprError('a function is called with too few arguments'); return compile(x)(fresh); },
    charge: (units: number) => tick(fresh, Math.max(1, Math.ceil(units))),
  };
  lastEnv = env; lastCtx = fresh;
  return fresh;
}

/** Runs one evaluation within `budget`. Whatever fails inside (a RangeError from a huge value, a
 *  TypeError from a helper, a stack overflow) comes out as ExprError: the interpreter's own error. */
function run(f: Compiled, env: EvalEnv, budget: Budget): bigint {
  const c = contextFor(env);
  const outer = c.steps, outerDeadline = c.deadline, outerLimit = c.limit;
  c.steps = c.limit = budget.steps;
  c.deadline = Math.min(budget.deadline ?? Infinity, Date.now() + MAX_EVAL_MS, outer > 0 ? outerDeadline : Infinity);
  try { return f(c); }
  catch (e) {
    if (e instanceof ExprError) throw e;
    throw new ExprError(`cannot evaluate: ${e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e)}`);
  } finally { budget.steps = c.steps; c.steps = outer; c.deadline = outerDeadline; c.limit = outerLimit; }
}

/** Evaluates `e` to a 64-bit unsigned value. Comparisons are unsigned (kernel fields are u64/u32). */
export function evaluate(e: Expr, env: EvalEnv, budget: Budget = { steps: MAX_STEPS }): bigint {
  return run(compile(e), env, budget);
}

const compiledText = new Map<string, Compiled>();
/** Parses (once) and evaluates a condition given as text. */
export function evaluateText(src: string, env: EvalEnv, budget: Budget = { steps: MAX_STEPS }): bigint {
  let f = compiledText.get(src);
  if (!f) {
    f = compile(parseExpr(src));
    if (compiledText.size > 5000) compiledText.clear();
    compiledText.set(src, f);
  }
  return run(f, env, budget);
}

/** Signed view of a 64-bit value (for helpers that need it). */
export { s64 };

/** Text of an expression tree, for messages. */
export function exprText(e: Expr): string {
  switch (e.kind) {
    case 'num': return '0x' + e.value.toString(16);
    case 'name': return e.name;
    case 'member': return e.path;
    case 'unary': return e.op + exprText(e.operand);
    case 'cast': return `(u${e.bits})` + exprText(e.operand);
    case 'bin': return `(${exprText(e.left)} ${e.op} ${exprText(e.right)})`;
    case 'cond': return `(${exprText(e.test)} ? ${exprText(e.then)} : ${exprText(e.otherwise)})`;
    case 'call': return `${e.fn}(${e.args.map(exprText).join(', ')})`;
  }
}
