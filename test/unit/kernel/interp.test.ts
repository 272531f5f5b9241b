// The kernel interpreter, one row per C construct: a C snippet (parsed by the front end's
// tree-sitter converter, no preprocessing) and the value `f()` must return. Integer corner cases
// come first: they are where a JavaScript-number interpreter would silently go wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseC } from './cparse';
import { Interp, type Boundary, type Handler } from '../../../src/kernel/interp/interp';
import { InterpError } from '../../../src/kernel/interp/errors';

const NO_BOUNDARY: Boundary = { handler: () => undefined };

async function run(src: string, opts: { fn?: string; boundary?: Boundary; budget?: ConstructorParameters<typeof Interp>[2] } = {}): Promise<bigint> {
  const p = await parseC(src);
  const it = new Interp(p, opts.boundary ?? NO_BOUNDARY, opts.budget);
  return it.run(opts.fn ?? 'f', []).v;
}

const M64 = (1n << 64n) - 1n;

// [name, C source defining f(), expected return value (as the return type holds it)]
const INTEGER_CASES: [string, string, bigint][] = [
  ['u32 overflow wraps', 'u32 f(void) { u32 x = 0xffffffff; x += 2; return x; }', 1n],
  ['u32 multiply wraps', 'u32 f(void) { u32 x = 0x10000; return x * x; }', 0n],
  ['u32 result widened after the wrap', 'u64 f(void) { u32 a = 0x80000000; u64 r = a + a; return r; }', 0n],
  ['u64 computation without wrap', 'u64 f(void) { u32 a = 0x80000000; u64 r = (u64)a + a; return r; }', 0x100000000n],
  ['signed right shift is arithmetic', 'int f(void) { int x = -16; return x >> 2; }', -4n],
  ['unsigned right shift is logical', 'unsigned int f(void) { unsigned int x = 0xfffffff0; return x >> 4; }', 0x0fffffffn],
  ['1 << 31 is a negative int', 'long f(void) { long x = 1 << 31; return x; }', -(1n << 31n)],
  ['1u << 31 stays positive in long', 'long f(void) { long x = 1u << 31; return x; }', 1n << 31n],
  ['1ULL << 63', 'u64 f(void) { return 1ULL << 63; }', 1n << 63n],
  ['-1 < 0u is false (int converts to unsigned)', 'int f(void) { return -1 < 0u; }', 0n],
  ['-1 < 0 is true', 'int f(void) { return -1 < 0; }', 1n],
  ['-1 == 0xffffffff (both unsigned int)', 'int f(void) { return -1 == 0xffffffff; }', 1n],
  ['-1L < 0u is true (long holds every unsigned int)', 'int f(void) { return -1L < 0u; }', 1n],
  ['-1 < 0ul is false', 'int f(void) { return -1 < 0ul; }', 0n],
  ['u8 truncation on store', 'u8 f(void) { u8 x = 0x1ff; return x; }', 0xffn],
  ['u8 arithmetic promotes to int', 'int f(void) { u8 a = 200, b = 100; return a + b; }', 300n],
  ['u8 increment wraps', 'int f(void) { u8 a = 255; a++; return a; }', 0n],
  ['s8 truncation sign-extends', 'int f(void) { s8 x = 0x80; return x; }', -128n],
  ['u16 to s16', 'int f(void) { u16 a = 0xffff; s16 b = a; return b; }', -1n],
  ['bool conversion of 2 is 1', 'int f(void) { bool b = 2; return b; }', 1n],
  ['bool conversion of a high bit', 'int f(void) { bool b = 0x100000000ULL; return b; }', 1n],
  ['u32 truncation of a high bit is 0', 'int f(void) { u32 b = 0x100000000ULL; return b; }', 0n],
  ['64-bit mask', 'u64 f(void) { u64 v = 0xdeadbeefcafebabeULL; return v & ~0xfffULL; }', 0xdeadbeefcafeb000n],
  ['~0u is 32 bits', 'u64 f(void) { u64 x = ~0u; return x; }', 0xffffffffn],
  ['~0ull is 64 bits', 'u64 f(void) { return ~0ull; }', M64],
  ['~0 sign-extends to u64', 'u64 f(void) { u64 x = ~0; return x; }', M64],
  ['~0u mask clears the high half', 'u64 f(void) { u64 v = 0x123456789ULL; return v & ~0u; }', 0x23456789n],
  ['hex literal 0xffffffff is unsigned int', 'long f(void) { return 0xffffffff + 1; }', 0n],
  ['decimal 4294967295 is long', 'long f(void) { return 4294967295 + 1; }', 0x100000000n],
  ['0x80000000 is unsigned: -x stays positive', 'long f(void) { long x = -0x80000000; return x; }', 0x80000000n],
  ['integer division truncates toward zero', 'int f(void) { return -7 / 2; }', -3n],
  ['modulo takes the dividend sign', 'int f(void) { return -7 % 2; }', -1n],
  ['unsigned division', 'unsigned int f(void) { unsigned int x = -7; return x / 2; }', 0x7ffffffcn],
  ['u64 subtraction wraps', 'u64 f(void) { u64 a = 1; return a - 2; }', M64],
  ['mixed int and u64 compare', 'int f(void) { u64 a = 1; int b = -1; return b > a; }', 1n],
  ['cast to u16 then compare', 'int f(void) { return (u16)0x12345 == 0x2345; }', 1n],
  ['char is signed', 'int f(void) { char c = 0xff; return c; }', -1n],
  ['character literal', "int f(void) { return 'A' + 1; }", 66n],
  ['compound shift', 'u64 f(void) { u64 x = 1; x <<= 40; x |= 3; return x; }', (1n << 40n) | 3n],
  ['s64 minimum', 'int f(void) { s64 x = 0x8000000000000000ULL; return x < 0; }', 1n],
  ['u128 arithmetic', 'int f(void) { unsigned __int128 x = 1; x <<= 100; return (int)(x >> 98); }', 4n],
  ['sizeof of a u64', 'int f(void) { return sizeof(u64); }', 8n],
  ['sizeof an expression does not evaluate it', 'int f(void) { int x = 1; int n = sizeof(x++); return x * 10 + n; }', 14n],
  ['logical not of 0x100', 'int f(void) { return !0x100; }', 0n],
  ['!! normalises', 'int f(void) { return !!0x100; }', 1n],
  ['?: with mixed types converts to unsigned', 'long f(void) { int c = 1; long r = c ? -1 : 0u; return r; }', 0xffffffffn],
];

const CONSTRUCT_CASES: [string, string, bigint][] = [
  ['if / else', 'int f(void) { int x = 3; if (x > 2) return 1; else return 2; }', 1n],
  ['else if chain', 'int f(void) { int x = 2; if (x == 1) return 10; else if (x == 2) return 20; else return 30; }', 20n],
  ['while with break', 'int f(void) { int i = 0; while (1) { if (++i == 5) break; } return i; }', 5n],
  ['do-while runs once', 'int f(void) { int i = 10; do { i++; } while (i < 5); return i; }', 11n],
  ['for with continue', 'int f(void) { int s = 0; for (int i = 0; i < 10; i++) { if (i & 1) continue; s += i; } return s; }', 20n],
  ['nested loops and break', 'int f(void) { int n = 0; for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) { if (j == 2) break; n++; } return n; }', 6n],
  ['switch with fallthrough', 'int f(void) { int r = 0; switch (2) { case 1: r += 1; case 2: r += 2; case 3: r += 3; break; case 4: r += 4; } return r; }', 5n],
  ['switch default', 'int f(void) { switch (9) { case 1: return 1; default: return 7; } }', 7n],
  ['switch default in the middle', 'int f(void) { int r = 0; switch (9) { case 1: r = 1; default: r += 2; case 3: r += 3; } return r; }', 5n],
  ['switch GNU case range', 'int f(void) { switch (5) { case 1 ... 4: return 1; case 5 ... 9: return 2; } return 0; }', 2n],
  ['switch without match', 'int f(void) { int r = 4; switch (3) { case 1: r = 1; } return r; }', 4n],
  ['goto forward', 'int f(void) { int r = 1; goto out; r = 2; out: return r; }', 1n],
  ['goto backward loop', 'int f(void) { int i = 0; again: i++; if (i < 4) goto again; return i; }', 4n],
  ['goto into a label inside an if', 'int f(void) { int r = 0; goto in; if (0) { in: r = 9; } return r; }', 9n],
  ['goto error unwinding', 'int f(void) { int err; err = -22; if (err) goto fail; return 0; fail: err -= 1; return err; }', -23n],
  ['compound assignment operators', 'int f(void) { int x = 100; x -= 10; x *= 2; x /= 3; x %= 7; x ^= 1; x &= 6; return x; }', 4n],
  ['pre and post increment', 'int f(void) { int x = 5; int a = x++; int b = ++x; return a * 100 + b * 10 + x; }', 577n],
  ['comma operator', 'int f(void) { int x = (1, 2, 3); return x; }', 3n],
  ['conditional expression', 'int f(void) { int x = 0; return x ? 10 : 20; }', 20n],
  ['GNU ?: (elvis)', 'int f(void) { int x = 4; return x ?: 9; }', 4n],
  ['short-circuit &&', 'int f(void) { int x = 0; int y = 0; if (x && (y = 1)) return 5; return y; }', 0n],
  ['short-circuit ||', 'int f(void) { int y = 0; if (1 || (y = 1)) return y + 2; return 9; }', 2n],
  ['function call with parameters', 'static int add(int a, int b) { return a + b; } int f(void) { return add(2, 40); }', 42n],
  ['parameter conversion truncates', 'static u8 id8(u8 v) { return v; } int f(void) { return id8(0x1234); }', 0x34n],
  ['return conversion', 'static bool nz(int v) { return v; } int f(void) { return nz(7) + nz(0); }', 1n],
  ['recursion', 'static int fact(int n) { return n <= 1 ? 1 : n * fact(n - 1); } int f(void) { return fact(10); }', 3628800n],
  ['statement expression', 'int f(void) { int x = ({ int t = 3; t * 2; }); return x; }', 6n],
  ['statement expression with locals shadowing', 'int f(void) { int t = 1; int x = ({ int t = 5; t + 1; }); return x + t; }', 7n],
  ['struct members and layout', 'struct s { u8 a; u32 b; u16 c; }; int f(void) { struct s v; v.a = 1; v.b = 2; v.c = 3; return sizeof(struct s) * 100 + v.a + v.b + v.c; }', 1206n],
  ['offsetof', 'struct s { u8 a; u64 b; u16 c; }; int f(void) { return __builtin_offsetof(struct s, c); }', 16n],
  ['packed struct', 'struct __attribute__((packed)) s { u8 a; u64 b; }; int f(void) { return sizeof(struct s); }', 9n],
  ['union shares storage', 'union u { u32 w; u8 b[4]; }; int f(void) { union u x; x.w = 0x11223344; return x.b[0] + x.b[3]; }', 0x44n + 0x11n],
  ['bit-fields', 'struct s { u32 a : 3; u32 b : 5; u32 c : 24; }; int f(void) { struct s v = {0}; v.a = 9; v.b = 31; v.c = 1; return v.a * 1000 + v.b + sizeof(v); }', 1035n],
  ['signed bit-field', 'struct s { int a : 4; }; int f(void) { struct s v; v.a = 15; return v.a; }', -1n],
  ['anonymous union member', 'struct s { int k; union { u32 x; u16 y; }; }; int f(void) { struct s v; v.x = 0x10002; return v.y; }', 2n],
  ['struct initializer with designators', 'struct s { int a, b, c; }; int f(void) { struct s v = { .c = 3, .a = 1 }; return v.a * 100 + v.b * 10 + v.c; }', 103n],
  ['positional struct initializer', 'struct s { int a; int b; }; int f(void) { struct s v = { 4, 5 }; return v.a * 10 + v.b; }', 45n],
  ['struct assignment copies', 'struct s { int a; int b; }; int f(void) { struct s x = { 1, 2 }, y; y = x; x.a = 9; return y.a * 10 + y.b; }', 12n],
  ['struct returned by value', 'struct s { int a; int b; }; static struct s mk(int v) { struct s r = { v, v + 1 }; return r; } int f(void) { return mk(4).b; }', 5n],
  ['pointer to struct and ->', 'struct s { int a; int b; }; static void set(struct s *p) { p->b = 7; } int f(void) { struct s v = {0}; set(&v); return v.b; }', 7n],
  ['&x->y and container_of', 'struct in { int q; }; struct out { long pad; struct in inner; int z; }; int f(void) { struct out o; o.z = 33; struct in *ip = &o.inner; struct out *op = (struct out *)((char *)ip - __builtin_offsetof(struct out, inner)); return op->z; }', 33n],
  ['pointer arithmetic scales', 'int f(void) { u32 a[4] = { 1, 2, 3, 4 }; u32 *p = a; p += 2; return *p + p[1] + (int)(p - a); }', 9n],
  ['pointer to int and back', 'int f(void) { int v = 5; unsigned long u = (unsigned long)&v; int *p = (int *)u; *p = 6; return v; }', 6n],
  ['pointer comparison with NULL', 'int f(void) { int v; int *p = &v; int *q = (void *)0; return (p != q) * 2 + !q; }', 3n],
  ['arrays and sizeof', 'int f(void) { u16 a[10]; return sizeof(a) / sizeof(a[0]); }', 10n],
  ['array initializer with index designators', 'int f(void) { int a[5] = { [3] = 7, [1] = 2 }; return a[0] + a[1] * 10 + a[3] * 100; }', 720n],
  ['unsized array from initializer', 'int f(void) { int a[] = { 1, 2, 3 }; return sizeof(a); }', 12n],
  ['static const table', 'static const struct { u32 e; u32 x; } pairs[] = { { 1, 2 }, { 4, 8 } }; int f(void) { int s = 0; for (int i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) s += pairs[i].e * pairs[i].x; return s; }', 34n],
  ['global variable read and write', 'static int counter = 3; static void bump(void) { counter++; } int f(void) { bump(); bump(); return counter; }', 5n],
  ['static local keeps its value', 'static int next(void) { static int n; return ++n; } int f(void) { next(); next(); return next(); }', 3n],
  ['string literal and sizeof', 'int f(void) { const char *s = "abc"; return s[1] + sizeof("abc"); }', 98n + 4n],
  ['char array from string', 'int f(void) { char b[8] = "hi"; return b[0] + b[2]; }', 104n],
  ['enum constants', 'enum e { A, B = 5, C }; int f(void) { enum e x = C; return x + A + B; }', 11n],
  ['typedef of a struct', 'typedef struct { int v; } wrap_t; int f(void) { wrap_t w = { 8 }; return w.v; }', 8n],
  ['function pointer call', 'static int two(void) { return 2; } int f(void) { int (*fp)(void) = two; return fp() + (*fp)(); }', 4n],
  ['function pointer in a struct table', 'struct ops { int (*get)(int); }; static int dbl(int x) { return 2 * x; } static const struct ops o = { .get = dbl }; int f(void) { return o.get(21); }', 42n],
  ['compound literal', 'struct p { int x, y; }; int f(void) { struct p *q = &(struct p){ 3, 4 }; return q->x * q->y; }', 12n],
  ['__builtin_expect passes the value', 'int f(void) { return __builtin_expect(5, 0); }', 5n],
  ['__builtin_constant_p of a literal', 'int f(void) { int x = 1; return __builtin_constant_p(3) * 10 + __builtin_constant_p(x); }', 10n],
  ['__builtin_ffs / ctz / popcount', 'int f(void) { return __builtin_ffs(0x10) * 100 + __builtin_ctzll(0x100ULL) * 10 + __builtin_popcount(7); }', 5n * 100n + 8n * 10n + 3n],
  ['__builtin_clzll', 'int f(void) { return __builtin_clzll(1ULL); }', 63n],
  ['__builtin_types_compatible_p', 'int f(void) { return __builtin_types_compatible_p(u32, unsigned int) * 10 + __builtin_types_compatible_p(u32, int); }', 10n],
  ['__builtin_choose_expr', 'int f(void) { return __builtin_choose_expr(1, 4, 5); }', 4n],
  ['__builtin_add_overflow', 'int f(void) { u8 r; int o = __builtin_add_overflow(200, 100, &r); return o * 1000 + r; }', 1044n],
  ['memset and memcpy', 'struct s { u32 a[4]; }; int f(void) { struct s x, y; memset(&x, 0xff, sizeof(x)); memcpy(&y, &x, sizeof(y)); return y.a[3] == 0xffffffff; }', 1n],
  ['typeof a variable', 'int f(void) { u8 a = 1; typeof(a) b = 0x1ff; return b; }', 0xffn],
  ['nested statement expressions (kernel min/max shape)', 'int f(void) { int a = 3, b = 8; return ({ int _a = a; int _b = b; _a < _b ? _a : _b; }) + ({ int _x = ({ 2; }); _x; }); }', 5n],
  ['while loop reading a table via pointer', 'static const u16 t[] = { 5, 6, 0 }; int f(void) { const u16 *p = t; int n = 0; while (*p) { n += *p; p++; } return n; }', 11n],
];

for (const [name, src, want] of [...INTEGER_CASES, ...CONSTRUCT_CASES]) {
  test(`interp: ${name}`, async () => {
    assert.equal(await run(src), want, src);
  });
}

// Failures: each is an InterpError with a one-line reason and a location.
const ERROR_CASES: [string, string, RegExp][] = [
  ['division by zero', 'int f(void) { int z = 0; return 5 / z; }', /division by zero/],
  ['modulo by zero', 'int f(void) { int z = 0; return 5 % z; }', /division by zero/],
  ['shift by the width', 'int f(void) { int s = 32; return 1 << s; }', /shift count 32 out of range/],
  ['negative shift', 'u64 f(void) { int s = -1; return 1ULL << s; }', /shift count -1 out of range/],
  ['NULL dereference', 'struct s { int a; }; int f(void) { struct s *p = 0; return p->a; }', /NULL pointer dereference/],
  ['unknown function', 'int f(void) { return g(); }', /cannot run g: no body in the tree/],
  ['unknown identifier', 'int f(void) { return nope; }', /unknown identifier nope/],
  ['past the end of an array', 'int f(void) { int a[2]; return a[5]; }', /past the end/],
  ['infinite loop hits the step budget', 'int f(void) { for (;;) {} return 0; }', /step budget exhausted/],
  ['unbounded recursion hits the depth budget', 'static int r(int n) { return r(n + 1); } int f(void) { return r(0); }', /call depth budget exhausted/],
  ['inline assembly', 'int f(void) { int x; asm volatile("nop" : "=r"(x)); return x; }', /cannot run f: .*asm|cannot run f: inline assembly/i],
  ['write to a string literal', 'int f(void) { char *s = "ab"; s[0] = 1; return 0; }', /read-only/],
  ['__builtin_unreachable', 'int f(void) { __builtin_unreachable(); }', /unreachable/],
  ['huge allocation hits the memory budget', 'int f(void) { int i; for (i = 0; i < 100000; i++) { u64 big[1024]; big[0] = i; } return 0; }', /memory budget exhausted|object budget exhausted/],
];

for (const [name, src, want] of ERROR_CASES) {
  test(`interp error: ${name}`, async () => {
    const p = await parseC(src);
    const it = new Interp(p, NO_BOUNDARY, { steps: 200_000, bytes: 4 << 20 });
    assert.throws(() => it.run('f', []), (e: unknown) => {
      assert.ok(e instanceof InterpError, `not an InterpError: ${String(e)}`);
      assert.match(e.reason, want);
      assert.ok(!e.reason.includes('\n'), 'one line');
      assert.match(e.location ?? '', /^test\.c:\d+$/);
      return true;
    });
  });
}

test('interp: the boundary answers calls before the tree and gets evaluated arguments', async () => {
  const p = await parseC('static int hw_read(int f) { return -1; } int f(void) { return hw_read(2) + hw_read(3); }');
  const calls: bigint[] = [];
  const h: Handler = (it, args) => { calls.push(args[0].v); return it.int(args[0].v * 10n); };
  const it = new Interp(p, { handler: n => n === 'hw_read' ? h : undefined });
  assert.equal(it.run('f', []).v, 50n);
  assert.deepEqual(calls, [2n, 3n]);
});

test('interp: the statement-expression hook sees each ({ }) and its value', async () => {
  const p = await parseC('int f(void) { int a = ({ 1; }); int b = ({ 2; }); return a + b; }');
  const it = new Interp(p, NO_BOUNDARY);
  const seen: bigint[] = [];
  it.hooks.stmtExpr = (_e, evaluate) => { const v = evaluate(); seen.push(v.v); return v; };
  assert.equal(it.run('f', []).v, 3n);
  assert.deepEqual(seen, [1n, 2n]);
});

test('interp: names like __proto__ and constructor are ordinary C names', async () => {
  assert.equal(await run('static int constructor(int __proto__) { int toString = __proto__ + 1; return toString; } int f(void) { int hasOwnProperty = 2; return constructor(hasOwnProperty); }'), 3n);
  const p = await parseC('int f(void) { return __proto__; }');
  assert.throws(() => new Interp(p, NO_BOUNDARY).run('f', []), /unknown identifier __proto__/);
});

test('interp: the time budget stops a long run', async () => {
  const p = await parseC('int f(void) { for (;;) {} return 0; }');
  const it = new Interp(p, NO_BOUNDARY, { steps: 1e12, ms: 30 });
  const t0 = Date.now();
  assert.throws(() => it.run('f', []), /time budget exhausted/);
  assert.ok(Date.now() - t0 < 2000);
});

test('interp: sizeof a global unsized array before its first use', async () => {
  assert.equal(await run('static const int tbl[] = { 1, 2, 3, 4, 5 }; static const unsigned int n = sizeof(tbl) / sizeof(tbl[0]); int f(void) { return n; }'), 5n);
});
