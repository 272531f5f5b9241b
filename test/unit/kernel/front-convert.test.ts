// The converter from tree-sitter-c's tree to the engine's syntax tree: one row per C construct, each
// a small snippet and a predicate over the resulting Program (a wrong conversion fails its row).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseC } from './cparse';
import { parseIntLiteral } from '../../../src/kernel/front/convert';
import type { Expr, Program, Stmt } from '../../../src/kernel/ast';

/** The body statements of function f. */
function body(p: Program, name = 'f'): Stmt[] {
  const f = p.functions.get(name);
  assert.ok(f, `function ${name} converted`);
  return f.body.body;
}
/** The expression of the first `return` in f. */
function ret(p: Program, name = 'f'): Expr {
  const r = body(p, name).find(s => s.k === 'return');
  assert.ok(r && r.k === 'return' && r.value, 'a return with a value');
  return r.value;
}
/** A compact, comparable rendering of an expression. */
function show(e: Expr | null): string {
  if (!e) return '∅';
  switch (e.k) {
    case 'num': return `${e.value}${e.unsigned ? 'u' : ''}${'l'.repeat(e.long)}`;
    case 'char': return `'${e.value}'`;
    case 'str': return JSON.stringify(e.value);
    case 'id': return e.name;
    case 'unary': return `(${e.op}${show(e.arg)})`;
    case 'update': return e.prefix ? `(${e.op}${show(e.arg)})` : `(${show(e.arg)}${e.op})`;
    case 'bin': return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'assign': return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'cond': return `(${show(e.test)} ? ${show(e.then)} : ${show(e.else)})`;
    case 'call': return `${show(e.callee)}(${e.args.map(show).join(', ')})`;
    case 'member': return `${show(e.object)}${e.arrow ? '->' : '.'}${e.field}`;
    case 'index': return `${show(e.object)}[${show(e.index)}]`;
    case 'cast': return `((${JSON.stringify(e.type)}) ${show(e.arg)})`;
    case 'sizeof': return e.type ? `sizeof(${JSON.stringify(e.type)})` : `sizeof ${show(e.arg)}`;
    case 'alignof': return `alignof(${JSON.stringify(e.type)})`;
    case 'offsetof': return `offsetof(${JSON.stringify(e.type)}, ${e.path.map(x => typeof x === 'string' ? x : show(x)).join('.')})`;
    case 'comma': return `(${e.exprs.map(show).join(', ')})`;
    case 'init': return `{${e.items.map(i => (i.designators.length ? i.designators.map(d => typeof d === 'string' ? `.${d}` : `[${show(d)}]`).join('') + '=' : '') + show(i.value)).join(', ')}}`;
    case 'compound': return `(${JSON.stringify(e.type)}){${show(e.init)}}`;
    case 'stmtexpr': return `({${e.body.body.map(s => s.k).join(';')}})`;
    case 'builtin': return `${e.name}(${e.args.map(a => 'k' in a && 'line' in a ? show(a as Expr) : JSON.stringify(a)).join(', ')})`;
    case 'unsupported': return `UNSUPPORTED(${e.reason})`;
  }
}

const u32 = { k: 'named', name: 'u32' };
const u16 = { k: 'named', name: 'u16' };
const i32 = { k: 'int', bits: 32, signed: true };

type Row = [construct: string, c: string, check: (p: Program) => void];
const ROWS: Row[] = [
  ['function definition: static inline, params, return type', 'static inline unsigned long f(int a, const char *b) { return a; }', p => {
    const f = p.functions.get('f')!;
    assert.deepEqual([f.static, f.inline, f.ret, f.params.map(x => x.name), f.params[1]!.type, f.line, f.endLine], [true, true, { k: 'int', bits: 64, signed: false }, ['a', 'b'], { k: 'ptr', to: { k: 'int', bits: 8, signed: true } }, 1, 1]);
  }],
  ['(void) parameter list is empty; variadic', 'int f(void) { return 0; }\nint g(const char *fmt, ...) { return 1; }', p => {
    assert.deepEqual(p.functions.get('f')!.params, []);
    assert.equal(p.functions.get('g')!.variadic, true);
  }],
  ['function returning a pointer; array parameter decays', 'struct vmcs12 *f(u64 a[3]) { return 0; }', p => {
    const f = p.functions.get('f')!;
    assert.deepEqual(f.ret, { k: 'ptr', to: { k: 'struct', tag: 'vmcs12', union: false } });
    assert.deepEqual(f.params[0]!.type, { k: 'ptr', to: { k: 'named', name: 'u64' } });
  }],
  ['unsigned/short/long long/char types', 'void f(void) { unsigned a; short b; unsigned long long c; unsigned char d; long e; signed char g; }', p => {
    const d = body(p)[0]!;
    const types = body(p).map(s => s.k === 'decl' ? s.decls[0]!.type : null);
    assert.equal(d.k, 'decl');
    assert.deepEqual(types, [
      { k: 'int', bits: 32, signed: false }, { k: 'int', bits: 16, signed: true }, { k: 'int', bits: 64, signed: false },
      { k: 'int', bits: 8, signed: false }, { k: 'int', bits: 64, signed: true }, { k: 'int', bits: 8, signed: true }]);
  }],
  ['local declarations with initializers, several declarators, static local', 'void f(void) { u32 a = 1, *b, c[4]; static int d = 2; }', p => {
    const [s0, s1] = body(p);
    assert.ok(s0?.k === 'decl' && s1?.k === 'decl');
    assert.deepEqual(s0.decls.map(d => [d.name, d.type, show(d.init)]), [['a', u32, '1'], ['b', { k: 'ptr', to: u32 }, '∅'], ['c', { k: 'array', of: u32, length: 4 }, '∅']]);
    assert.equal(s1.static, true);
  }],
  ['struct definition: fields, bitfields, nested anonymous union and struct', 'struct s { u32 a : 3, b : 5; union { u64 c; struct { u16 d; u16 e; }; }; struct t *next; };', p => {
    const s = p.structs.get('struct s')!;
    assert.deepEqual(s.fields.map(f => [f.name, f.bits]), [['a', 3], ['b', 5], [null, null], ['next', null]]);
    const anon = s.fields[2]!.type;
    assert.ok(anon.k === 'struct' && anon.union);
    const u = p.structs.get(`union ${anon.tag}`)!;
    assert.deepEqual(u.fields.map(f => f.name), ['c', null]);
    const inner = u.fields[1]!.type;
    assert.ok(inner.k === 'struct' && !inner.union);
    assert.deepEqual(p.structs.get(`struct ${inner.tag}`)!.fields.map(f => f.name), ['d', 'e']);
  }],
  ['packed struct', 'struct __attribute__((packed)) v { u8 a; u64 b; };', p => {
    assert.equal(p.structs.get('struct v')!.packed, true);
  }],
  ['typedef of a struct, of a function pointer, of an int', 'typedef struct { int x; } T;\ntypedef int (*fp)(int, ...);\ntypedef unsigned int uint;', p => {
    const t = p.typedefs.get('T')!;
    assert.ok(t.k === 'struct' && p.structs.has(`struct ${t.tag}`));
    assert.deepEqual(p.typedefs.get('fp'), { k: 'ptr', to: { k: 'func', ret: i32, params: [i32], variadic: true } });
    assert.deepEqual(p.typedefs.get('uint'), { k: 'int', bits: 32, signed: false });
  }],
  ['enum with implicit and explicit values, referring to earlier members', 'enum e { A, B = 5, C, D = B << 2, E = -1, F };', p => {
    assert.deepEqual(['A', 'B', 'C', 'D', 'E', 'F'].map(n => p.enumerators.get(n)), [0n, 5n, 6n, 20n, -1n, 0n]);
  }],
  ['array length from an enumerator', 'enum { NR = 3 }; struct r { unsigned long regs[NR]; };', p => {
    assert.deepEqual(p.structs.get('struct r')!.fields[0]!.type, { k: 'array', of: { k: 'int', bits: 64, signed: false }, length: 3 });
  }],
  ['static const array of structs with nested initializers (vmcs_entry_exit_pairs shape)', 'static const struct pair { u32 a; u32 b; } pairs[] = {\n { 1, 2 },\n { .a = 3, .b = 4 },\n};', p => {
    const g = p.globals.get('pairs')!;
    assert.deepEqual([g.static, g.const, g.line, g.type.k === 'array' && g.type.length], [true, true, 1, 2]);
    assert.equal(show(g.init), '{{1, 2}, {.a=3, .b=4}}');
  }],
  ['designated initializers: field, index, nested', 'int t[] = { [2] = 7, [0] = 1 };\nstruct s x = { .a.b = 1, .c = { [1] = 2 } };', p => {
    assert.equal(show(p.globals.get('t')!.init), '{[2]=7, [0]=1}');
    assert.deepEqual(p.globals.get('t')!.type, { k: 'array', of: i32, length: 3 });
    assert.equal(show(p.globals.get('x')!.init), '{.a.b=1, .c={[1]=2}}');
  }],
  ['extern declaration and prototype', 'extern bool enable_ept;\nint kvm_set_msr(struct kvm_vcpu *v, u32 i, u64 d);', p => {
    assert.equal(p.globals.get('enable_ept')!.extern, true);
    assert.ok(p.prototypes!.get('kvm_set_msr')?.k === 'func');
    assert.equal(p.functions.has('kvm_set_msr'), false);
  }],
  ['if / else if / else', 'int f(int x) { if (x) return 1; else if (x > 2) { return 2; } else return 3; }', p => {
    const s = body(p)[0]!;
    assert.ok(s.k === 'if' && s.else?.k === 'if' && s.else.else?.k === 'return');
    assert.equal(show(s.test), 'x');
  }],
  ['switch with case, fallthrough statements, default, GNU case range', 'int f(int x) { switch (x) { case 1: x++; x++; break; case 4 ... 6: return 2; default: ; } return 0; }', p => {
    const s = body(p)[0]!;
    assert.ok(s.k === 'switch' && s.body.k === 'block');
    const kinds = s.body.body.map(x => x.k === 'case' ? `case ${show(x.value)}${x.rangeEnd ? '...' + show(x.rangeEnd) : ''}` : x.k);
    assert.deepEqual(kinds, ['case 1', 'expr', 'expr', 'break', 'case 4...6', 'return', 'case ∅', 'empty']);
  }],
  ['while, do-while, for with declaration, continue', 'void f(void) { while (a) b(); do { c(); } while (0); for (int i = 0; i < 3; i++) continue; for (;;) break; }', p => {
    const [w, d, f1, f2] = body(p);
    assert.ok(w?.k === 'while' && d?.k === 'do' && f1?.k === 'for' && f2?.k === 'for');
    assert.ok(f1.init?.k === 'decl' && show(f1.test) === '(i < 3)' && show(f1.update) === '(i++)' && f1.body.k === 'continue');
    assert.deepEqual([f2.init, f2.test, f2.update, f2.body.k], [null, null, null, 'break']);
    assert.equal(show(d.test), '0');
  }],
  ['goto and labels', 'int f(void) { goto out; x = 1; out: return 0; fail: ; }', p => {
    const s = body(p);
    assert.deepEqual(s.map(x => x.k === 'goto' ? `goto ${x.label}` : x.k === 'label' ? `${x.label}: ${x.stmt?.k}` : x.k), ['goto out', 'expr', 'out: return', 'fail: empty']);
  }],
  ['return without value; empty statement', 'void f(void) { ; return; }', p => {
    assert.deepEqual(body(p).map(s => s.k === 'return' ? `return ${s.value}` : s.k), ['empty', 'return null']);
  }],
  ['inline assembly is an unsupported statement with a reason', 'void f(void) { asm volatile("nop" ::: "memory"); }', p => {
    const s = body(p)[0]!;
    assert.ok(s.k === 'unsupported' && /inline assembly/.test(s.reason) && /test\.c:1/.test(s.reason));
    assert.equal(p.unsupported, 1);
  }],
  ['arithmetic, bitwise, logical and comparison operators with precedence', 'int f(int a, int b) { return a + b * 2 - (a << 3 | b & 1) ^ ~a && !b || a >= b; }', p => {
    assert.equal(show(ret(p)), '(((((a + (b * 2)) - ((a << 3) | (b & 1))) ^ (~a)) && (!b)) || (a >= b))');
  }],
  ['compound assignment and ++/-- prefix/postfix', 'void f(void) { a |= 1; b <<= 2; ++c; d--; }', p => {
    assert.deepEqual(body(p).map(s => s.k === 'expr' ? show(s.expr) : '?'), ['(a |= 1)', '(b <<= 2)', '(++c)', '(d--)']);
  }],
  ['number literals: hex, octal, suffixes, decimal flag', 'int f(void) { return 0x1fULL + 0777 + 12u + 3l; }', p => {
    assert.equal(show(ret(p)), '(((31ull + 511) + 12u) + 3l)');
    assert.deepEqual(parseIntLiteral('2147483648'), { value: 2147483648n, unsigned: false, long: 0, decimal: true });
    assert.equal(parseIntLiteral('0x80000000')!.decimal, undefined);
    assert.equal(parseIntLiteral('1.5'), null);
  }],
  ['char and string literals, concatenation, escapes', 'const char *f(void) { c = \'\\n\'; return "a\\tb" "c"; }', p => {
    assert.equal(show(ret(p)), '"a\\tbc"');
    const s = body(p)[0]!;
    assert.ok(s.k === 'expr' && s.expr.k === 'assign' && s.expr.right.k === 'char' && s.expr.right.value === 10n);
  }],
  ['true/false/NULL', 'int f(void) { return true + false + (NULL == 0); }', p => {
    assert.equal(show(ret(p)), '((1 + 0) + ((({"k":"ptr","to":{"k":"void"}}) 0) == 0))');
  }],
  ['casts to typedefs, pointers and structs', 'u64 f(void) { return (u32)x + (u64)(unsigned long)y + ((struct vmcs12 *)p)->a; }', p => {
    assert.equal(show(ret(p)), '(((({"k":"named","name":"u32"}) x) + (({"k":"named","name":"u64"}) (({"k":"int","bits":64,"signed":false}) y))) + (({"k":"ptr","to":{"k":"struct","tag":"vmcs12","union":false}}) p)->a)');
  }],
  ['(u16)(x): a cast to a parenthesised typedef name, not a call; casts truncate in constants', 'enum { X = 0x4002 };\nstatic const u16 t[] = { [(u16)((X << 6) | (X >> 10))] = 1 };\nint f(void) { return (u16)(x); }', p => {
    assert.equal(show(ret(p)), '(({"k":"named","name":"u16"}) x)');
    assert.deepEqual(p.globals.get('t')!.type, { k: 'array', of: u16, length: ((0x4002 << 6) & 0xffff | (0x4002 >> 10)) + 1 });
  }],
  ['(a) - b where a is no type is a subtraction, not a cast', 'int f(int a, int b) { return (a) - b + (a) & b; }', p => {
    assert.equal(show(ret(p)), '(((a - b) + a) & b)');
  }],
  ['sizeof of a type, of an expression, of a variable in parentheses', 'int f(void) { u32 v; return sizeof(u32) + sizeof v + sizeof(v) + sizeof(struct vmcs12); }', p => {
    assert.equal(show(ret(p)), '(((sizeof({"k":"named","name":"u32"}) + sizeof v) + sizeof v) + sizeof({"k":"struct","tag":"vmcs12","union":false}))');
  }],
  ['member access, arrow, index, calls, address-of and dereference', 'int f(void) { return g(vmx->nested.msrs[2], &x, *p); }', p => {
    assert.equal(show(ret(p)), 'g(vmx->nested.msrs[2], (&x), (*p))');
  }],
  ['conditional, GNU a ?: b, comma', 'int f(int a) { return a ? 1 : (a ?: 2), 3; }', p => {
    assert.equal(show(ret(p)), '((a ? 1 : (a ? ∅ : 2)), 3)');
  }],
  ['GNU statement expression ({ ... })', 'int f(int a) { return ({ int __x = a; __x + 1; }); }', p => {
    const e = ret(p);
    assert.ok(e.k === 'stmtexpr');
    assert.deepEqual(e.body.body.map(s => s.k), ['decl', 'expr']);
  }],
  ['compound literal', 'void f(void) { g((struct p){ .a = 1 }); }', p => {
    const s = body(p)[0]!;
    assert.ok(s.k === 'expr');
    assert.equal(show(s.expr), 'g(({"k":"struct","tag":"p","union":false}){{.a=1}})');
  }],
  ['typeof of a variable, of a type; __auto_type', 'void f(int a) { typeof(a) b = a; typeof(u32) c; __auto_type d = a + 1; }', p => {
    const types = body(p).map(s => s.k === 'decl' ? s.decls[0]!.type : null);
    assert.deepEqual(types[0], { k: 'typeof', expr: { k: 'id', name: 'a', line: 1 } });
    assert.deepEqual(types[1], u32);
    assert.ok(types[2]?.k === 'typeof' && show(types[2].expr) === '(a + 1)');
  }],
  ['__builtin_* calls; offsetof with a nested member; types_compatible_p', 'int f(void) { return __builtin_expect(!!(x), 1) + __builtin_offsetof(struct vmcs12, a.b[2]) + offsetof(struct s, c) + __builtin_types_compatible_p(u32, int); }', p => {
    assert.equal(show(ret(p)), '(((__builtin_expect((!(!x)), 1) + offsetof({"k":"struct","tag":"vmcs12","union":false}, a.b.2)) + offsetof({"k":"struct","tag":"s","union":false}, c)) + __builtin_types_compatible_p({"k":"named","name":"u32"}, {"k":"int","bits":32,"signed":true}))');
  }],
  ['every node has the line of the original text', 'int f(int a)\n{\n\tif (a)\n\t\treturn\n\t\t\ta + 1;\n\treturn 0;\n}', p => {
    const [s0, s1] = body(p);
    assert.ok(s0?.k === 'if' && s0.then.k === 'return' && s0.then.value);
    assert.deepEqual([s0.line, s0.then.line, s0.then.value.line, s1!.line, p.functions.get('f')!.endLine], [3, 4, 5, 6, 7]);
  }],
  ['junk never throws: an unsupported node or a note with a reason', 'int f(void) { return 1.5 + @; }\n%%% garbage\n', p => {
    assert.ok((p.unsupported ?? 0) > 0);
    assert.ok(p.notes.some(n => /test\.c:\d+/.test(n)) || (p.functions.has('f') && show(ret(p)).includes('UNSUPPORTED')));
  }],
];

for (const [construct, c, check] of ROWS) {
  test(`convert: ${construct}`, async () => { check(await parseC(c)); });
}
