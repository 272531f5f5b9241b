// GCC builtins and the few C library functions the kernel's headers reach (memcpy, memset, ...),
// as one table of name → handler. Handlers get the unevaluated arguments: some never evaluate them
// (__builtin_constant_p, __builtin_types_compatible_p, __builtin_choose_expr picks one).
import type { CType, Expr } from '../ast';
import { INT, LONG, ULONG, UINT, VOID, convertInt, type IntType } from './ctype';
import type { Interp, Value } from './interp';

type Arg = Expr | CType;
export type Builtin = (it: Interp, args: Arg[], at: Expr) => Value;

function isType(a: Arg): a is CType {
  return ['void', 'bool', 'int', 'ptr', 'array', 'struct', 'enum', 'func', 'named', 'typeof'].includes(a.k) && !('line' in a);
}
function ex(it: Interp, a: Arg | undefined, what: string): Expr {
  if (!a || isType(a)) return it.fail(`${what}: expected an expression argument`);
  return a;
}
function val(it: Interp, args: Arg[], i: number, name: string): Value { return it.evalExpr(ex(it, args[i], name)); }
function argc(it: Interp, args: Arg[], n: number, name: string): void {
  if (args.length < n) it.fail(`${name} needs ${n} arguments, got ${args.length}`);
}

/** Is an expression a compile-time constant (for __builtin_constant_p)? */
export function isConstant(it: Interp, e: Expr): boolean {
  switch (e.k) {
    case 'num': case 'char': case 'sizeof': case 'alignof': case 'offsetof': case 'str': return true;
    case 'id': return it.program.enumerators.has(e.name);
    case 'unary': return e.op !== '*' && e.op !== '&' && isConstant(it, e.arg);
    case 'bin': return isConstant(it, e.left) && isConstant(it, e.right);
    case 'cond': return isConstant(it, e.test) && (e.then === null || isConstant(it, e.then)) && isConstant(it, e.else);
    case 'cast': return isConstant(it, e.arg);
    case 'builtin': return e.name === '__builtin_constant_p' || e.name === '__builtin_types_compatible_p';
    case 'comma': return e.exprs.every(x => isConstant(it, x));
    default: return false;
  }
}

function bitsOf(name: string): 32 | 64 { return /ll?$/.test(name) && !name.endsWith('_p') ? 64 : 32; }
function unsignedArg(it: Interp, v: Value, bits: 32 | 64): bigint { void it; return BigInt.asUintN(bits, v.v); }

function ffs(x: bigint): bigint {
  if (x === 0n) return 0n;
  let n = 1n;
  while ((x & 1n) === 0n) { x >>= 1n; n++; }
  return n;
}
function popcount(x: bigint): bigint { let n = 0n; while (x) { n += x & 1n; x >>= 1n; } return n; }

const table: [string, Builtin][] = [
  ['__builtin_expect', (it, a) => { argc(it, a, 2, '__builtin_expect'); const v = val(it, a, 0, '__builtin_expect'); val(it, a, 1, '__builtin_expect'); return it.convert(v, LONG); }],
  ['__builtin_expect_with_probability', (it, a) => it.convert(val(it, a, 0, '__builtin_expect_with_probability'), LONG)],
  ['__builtin_constant_p', (it, a) => it.int(a[0] !== undefined && !isType(a[0]) && isConstant(it, a[0]), INT)],
  ['__builtin_types_compatible_p', (it, a) => {
    const [x, y] = a;
    if (!x || !y) return it.fail('__builtin_types_compatible_p needs two types');
    const tx = isType(x) ? x : it.typeOf(x), ty = isType(y) ? y : it.typeOf(y);
    return it.int(it.types.same(tx, ty), INT);
  }],
  ['__builtin_choose_expr', (it, a) => {
    argc(it, a, 3, '__builtin_choose_expr');
    return it.truthy(val(it, a, 0, '__builtin_choose_expr')) ? val(it, a, 1, '__builtin_choose_expr') : val(it, a, 2, '__builtin_choose_expr');
  }],
  ['__builtin_unreachable', it => it.fail('reached __builtin_unreachable()')],
  ['__builtin_trap', it => it.fail('reached __builtin_trap()')],
  ['__builtin_prefetch', () => ({ t: VOID, v: 0n })],
  ['__builtin_return_address', it => it.ptr(0n, VOID)],
  ['__builtin_frame_address', it => it.ptr(0n, VOID)],
  ['__builtin_assume_aligned', (it, a) => val(it, a, 0, '__builtin_assume_aligned')],
  ['__builtin_object_size', (it, a) => { const t = val(it, a, 1, '__builtin_object_size'); return it.int(t.v >= 2n ? 0n : -1n, ULONG); }],
  ['__builtin_dynamic_object_size', (it, a) => { const t = val(it, a, 1, '__builtin_dynamic_object_size'); return it.int(t.v >= 2n ? 0n : -1n, ULONG); }],
  ...['__builtin_ffs', '__builtin_ffsl', '__builtin_ffsll'].map((n): [string, Builtin] => [n, (it, a) => it.int(ffs(unsignedArg(it, val(it, a, 0, n), bitsOf(n))), INT)]),
  ...['__builtin_ctz', '__builtin_ctzl', '__builtin_ctzll'].map((n): [string, Builtin] => [n, (it, a) => {
    const x = unsignedArg(it, val(it, a, 0, n), bitsOf(n));
    if (x === 0n) it.fail(`${n}(0) is undefined`);
    return it.int(ffs(x) - 1n, INT);
  }]),
  ...['__builtin_clz', '__builtin_clzl', '__builtin_clzll'].map((n): [string, Builtin] => [n, (it, a) => {
    const bits = bitsOf(n);
    const x = unsignedArg(it, val(it, a, 0, n), bits);
    if (x === 0n) it.fail(`${n}(0) is undefined`);
    return it.int(BigInt(bits - x.toString(2).length), INT);
  }]),
  ...['__builtin_popcount', '__builtin_popcountl', '__builtin_popcountll'].map((n): [string, Builtin] => [n, (it, a) => it.int(popcount(unsignedArg(it, val(it, a, 0, n), bitsOf(n))), INT)]),
  ...['__builtin_parity', '__builtin_parityl', '__builtin_parityll'].map((n): [string, Builtin] => [n, (it, a) => it.int(popcount(unsignedArg(it, val(it, a, 0, n), bitsOf(n))) & 1n, INT)]),
  ...([16, 32, 64] as const).map((bits): [string, Builtin] => [`__builtin_bswap${bits}`, (it, a) => {
    let x = BigInt.asUintN(bits, val(it, a, 0, 'bswap').v), r = 0n;
    for (let i = 0; i < bits / 8; i++) { r = (r << 8n) | (x & 0xffn); x >>= 8n; }
    return it.int(r, { k: 'int', bits, signed: false });
  }]),
  ...(['add', 'sub', 'mul'] as const).map((op): [string, Builtin] => [`__builtin_${op}_overflow`, (it, a) => {
    argc(it, a, 3, `__builtin_${op}_overflow`);
    const x = val(it, a, 0, op), y = val(it, a, 1, op), p = val(it, a, 2, op);
    const pt = it.types.resolve(p.t);
    if (pt.k !== 'ptr') return it.fail(`__builtin_${op}_overflow: the third argument is not a pointer`);
    const rt = it.types.intOf(pt.to) as IntType | null;
    if (!rt) return it.fail(`__builtin_${op}_overflow: result is not an integer`);
    const sx = signedValue(it, x), sy = signedValue(it, y);
    const exact = op === 'add' ? sx + sy : op === 'sub' ? sx - sy : sx * sy;
    const wrapped = convertInt(exact, rt);
    it.store({ t: pt.to, addr: p.v, bitOff: 0, bits: null }, { t: rt, v: wrapped });
    return it.int(wrapped !== exact, INT);
  }]),
  // C library functions the headers call (the kernel's versions are assembly)
  ...['memcpy', '__builtin_memcpy', 'memmove', '__builtin_memmove', '__memcpy'].map((n): [string, Builtin] => [n, (it, a) => {
    argc(it, a, 3, n);
    const d = val(it, a, 0, n), s = val(it, a, 1, n), len = Number(BigInt.asUintN(64, val(it, a, 2, n).v));
    it.tick(1 + (len >> 6));
    it.mem.copy(d.v, s.v, len);
    return d;
  }]),
  ...['memset', '__builtin_memset', '__memset'].map((n): [string, Builtin] => [n, (it, a) => {
    argc(it, a, 3, n);
    const d = val(it, a, 0, n), c = val(it, a, 1, n), len = Number(BigInt.asUintN(64, val(it, a, 2, n).v));
    it.tick(1 + (len >> 6));
    it.mem.fill(d.v, Number(c.v & 0xffn), len);
    return d;
  }]),
  ...['memcmp', '__builtin_memcmp'].map((n): [string, Builtin] => [n, (it, a) => {
    argc(it, a, 3, n);
    const x = val(it, a, 0, n), y = val(it, a, 1, n), len = Number(BigInt.asUintN(64, val(it, a, 2, n).v));
    it.tick(1 + (len >> 6));
    return it.int(it.mem.compare(x.v, y.v, len), INT);
  }]),
  ...['strlen', '__builtin_strlen'].map((n): [string, Builtin] => [n, (it, a) => it.int(new TextEncoder().encode(it.mem.cString(val(it, a, 0, n).v, 1 << 20)).length, ULONG)]),
  ['strcmp', (it, a) => { const x = it.mem.cString(val(it, a, 0, 'strcmp').v), y = it.mem.cString(val(it, a, 1, 'strcmp').v); return it.int(x < y ? -1 : x > y ? 1 : 0, INT); }],
];

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(table);

function signedValue(it: Interp, v: Value): bigint {
  const t = it.types.intOf(v.t) ?? UINT;
  return t.signed ? v.v : BigInt.asUintN(t.bits, v.v);
}
