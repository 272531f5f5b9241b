// Fuzzing the kernel interpreter: random C expressions (syntax trees built directly, with every
// integer type, casts, shifts by any count, division by zero, pointers into small objects, member
// access, statement expressions, deep nesting) run through Interp. The interpreter must either
// return a value that fits its type or throw an InterpError with a one-line reason; any other
// exception, a multi-line reason or a value out of range is a failure.
import type { CType, Expr, FunctionDef, Program, Stmt } from '../../../src/kernel/ast';
import { Interp } from '../../../src/kernel/interp/interp';
import { InterpError } from '../../../src/kernel/interp/errors';

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 0x100000000; };
}

const INT_TYPES: CType[] = ([8, 16, 32, 64, 128] as const).flatMap(bits => [{ k: 'int', bits, signed: true }, { k: 'int', bits, signed: false }] as CType[]);
const TYPES: CType[] = [...INT_TYPES, { k: 'bool' }, { k: 'enum', tag: null }, { k: 'ptr', to: { k: 'int', bits: 32, signed: false } }, { k: 'named', name: 'u64' }, { k: 'named', name: 'nope_t' }];
const BIN = ['+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '&&', '||', '==', '!=', '<', '>', '<=', '>='] as const;
const UN = ['!', '~', '-', '+', '*', '&'] as const;
const NAMES = ['a', 'b', 'p', 's', 'arr', 'missing', '__proto__', 'constructor', 'E1', 'g'];
const FIELDS = ['x', 'y', 'z', 'toString', '__proto__'];

const L = 1;
function num(r: () => number): Expr {
  const pick = r();
  let value: bigint;
  if (pick < 0.3) value = BigInt(Math.floor(r() * 10));
  else if (pick < 0.5) value = BigInt(Math.floor(r() * 70));
  else if (pick < 0.8) value = [0xffn, 0xffffn, 0xffffffffn, 0x80000000n, 0xffffffffffffffffn, 0x8000000000000000n, 1n << 63n][Math.floor(r() * 7)];
  else value = BigInt(Math.floor(r() * 2 ** 31)) * BigInt(Math.floor(r() * 2 ** 31));
  if (value >> 64n) value &= (1n << 64n) - 1n;
  return { k: 'num', line: L, value, unsigned: r() < 0.3, long: Math.floor(r() * 3), decimal: r() < 0.5 };
}

export function randomExpr(r: () => number, depth: number): Expr {
  const x = r();
  if (depth <= 0 || x < 0.15) return r() < 0.6 ? num(r) : { k: 'id', line: L, name: NAMES[Math.floor(r() * NAMES.length)] };
  const d = depth - 1;
  if (x < 0.45) return { k: 'bin', line: L, op: BIN[Math.floor(r() * BIN.length)], left: randomExpr(r, d), right: randomExpr(r, d) };
  if (x < 0.55) return { k: 'unary', line: L, op: UN[Math.floor(r() * UN.length)], arg: randomExpr(r, d) };
  if (x < 0.65) return { k: 'cast', line: L, type: TYPES[Math.floor(r() * TYPES.length)], arg: randomExpr(r, d) };
  if (x < 0.7) return { k: 'cond', line: L, test: randomExpr(r, d), then: r() < 0.2 ? null : randomExpr(r, d), else: randomExpr(r, d) };
  if (x < 0.75) return { k: 'member', line: L, object: randomExpr(r, d), field: FIELDS[Math.floor(r() * FIELDS.length)], arrow: r() < 0.5 };
  if (x < 0.8) return { k: 'index', line: L, object: randomExpr(r, d), index: randomExpr(r, d) };
  if (x < 0.85) return { k: 'assign', line: L, op: (['=', '+=', '<<=', '/=', '|='] as const)[Math.floor(r() * 5)], left: randomExpr(r, d), right: randomExpr(r, d) };
  if (x < 0.88) return { k: 'update', line: L, op: r() < 0.5 ? '++' : '--', prefix: r() < 0.5, arg: randomExpr(r, d) };
  if (x < 0.91) return { k: 'sizeof', line: L, type: r() < 0.5 ? TYPES[Math.floor(r() * TYPES.length)] : null, arg: randomExpr(r, d) };
  if (x < 0.94) return { k: 'stmtexpr', line: L, body: { k: 'block', line: L, body: [{ k: 'expr', line: L, expr: randomExpr(r, d) }] } };
  if (x < 0.96) return { k: 'comma', line: L, exprs: [randomExpr(r, d), randomExpr(r, d)] };
  if (x < 0.98) return { k: 'call', line: L, callee: { k: 'id', line: L, name: r() < 0.5 ? 'g' : 'nobody' }, args: [randomExpr(r, d)] };
  return { k: 'builtin', line: L, name: ['__builtin_ffsll', '__builtin_clzll', '__builtin_popcountll', '__builtin_constant_p', '__builtin_bswap32', '__builtin_nope'][Math.floor(r() * 6)], args: [randomExpr(r, d)] };
}

function program(): Program {
  const u32: CType = { k: 'int', bits: 32, signed: false };
  const locals: Stmt = {
    k: 'decl', line: L, static: false, decls: [
      { name: 'a', type: { k: 'int', bits: 32, signed: true }, init: { k: 'num', line: L, value: 7n, unsigned: false, long: 0 }, line: L },
      { name: 'b', type: { k: 'int', bits: 64, signed: false }, init: { k: 'num', line: L, value: 0xffffffffffn, unsigned: true, long: 2 }, line: L },
      { name: 'arr', type: { k: 'array', of: u32, length: 4 }, init: null, line: L },
      { name: 's', type: { k: 'struct', tag: 'pt', union: false }, init: null, line: L },
      { name: 'p', type: { k: 'ptr', to: u32 }, init: { k: 'id', line: L, name: 'arr' }, line: L },
    ],
  };
  const f = (name: string, body: Stmt[]): FunctionDef => ({ name, file: 'fuzz.c', line: L, endLine: L, ret: { k: 'int', bits: 64, signed: false }, params: [], variadic: false, body: { k: 'block', line: L, body }, static: true, inline: false });
  const g: FunctionDef = { ...f('g', [{ k: 'return', line: L, value: { k: 'id', line: L, name: 'x' } }]), params: [{ name: 'x', type: { k: 'int', bits: 32, signed: true } }] };
  return {
    functions: new Map([['g', g], ['main', f('main', [locals])]]),
    structs: new Map([['struct pt', { tag: 'pt', union: false, file: 'fuzz.c', line: L, fields: [{ name: 'x', type: u32, bits: null }, { name: 'y', type: { k: 'int', bits: 8, signed: true }, bits: 3 }, { name: 'z', type: { k: 'int', bits: 64, signed: false }, bits: null }] }]]),
    typedefs: new Map([['u64', { k: 'int', bits: 64, signed: false }]]),
    enumerators: new Map([['E1', 5n]]),
    globals: new Map(),
    macros: new Map(),
    moduleParams: new Map(),
    notes: [],
  };
}

export interface FuzzResult { cases: number; values: number; errors: number; failures: string[] }

/** Runs `count` random expressions (seeded); returns counts and failure descriptions. */
export function fuzzInterp(count: number, seed = 1): FuzzResult {
  const r = rng(seed);
  const base = program();
  const main = base.functions.get('main')!;
  const out: FuzzResult = { cases: 0, values: 0, errors: 0, failures: [] };
  for (let i = 0; i < count; i++) {
    const e = randomExpr(r, 1 + Math.floor(r() * 6));
    const fn: FunctionDef = { ...main, body: { k: 'block', line: L, body: [...main.body.body, { k: 'return', line: L, value: e }] } };
    const prog: Program = { ...base, functions: new Map([...base.functions, ['f', fn]]) };
    const it = new Interp(prog, { handler: () => undefined }, { steps: 20_000, ms: 200 });
    out.cases++;
    try {
      const v = it.run('f', []);
      if (v.v < 0n || v.v >> 64n) out.failures.push(`case ${i}: u64 result out of range: ${v.v}`);
      else out.values++;
    } catch (x) {
      if (!(x instanceof InterpError)) out.failures.push(`case ${i}: ${x instanceof Error ? x.constructor.name + ': ' + x.message : String(x)}`);
      else if (x.reason.includes('\n') || !x.reason) out.failures.push(`case ${i}: bad reason ${JSON.stringify(x.reason)}`);
      else if (/^internal error/.test(x.reason)) out.failures.push(`case ${i}: ${x.reason}`);
      else out.errors++;
    }
  }
  return out;
}
