// The kernel engine's preprocessor over a tree held in a Map: one row per feature, each the
// expanded text of a small file (the output keeps one line per input line, so rows compare lines).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evalIf, Preprocessor, splitFile, tokenize, type PreprocessOptions } from '../../../src/kernel/front/preprocess';
import { configMacros, KERNEL_CONFIG } from '../../../src/kernel/front/config';
import type { TreeReader } from '../../../src/kernel/types';

function mapTree(files: Record<string, string>, root = '/map'): TreeReader {
  return { root, read: p => files[p], stamp: p => (p in files ? String(files[p]!.length) : undefined) };
}

/** Expands `main.c` (plus any other files) and returns its lines, trailing spaces trimmed. */
function expand(main: string, others: Record<string, string> = {}, opts: PreprocessOptions = {}): { lines: string[]; notes: string[]; params: [string, string][]; typeofs: string[] } {
  const pp = new Preprocessor(mapTree({ 'main.c': main, ...others }), opts);
  const r = pp.run('main.c', p => p === 'main.c');
  const prep = r.prepared.find(p => p.path === 'main.c')!;
  return { lines: prep.text.split('\n').map(l => l.trimEnd()), notes: r.notes, params: r.moduleParams, typeofs: prep.typeofs };
}

type Row = [feature: string, main: string, expected: string[], others?: Record<string, string>];
const ROWS: Row[] = [
  ['object-like macro, rescanned', '#define A B + 1\n#define B 2\nint x = A;', ['', '', 'int x = 2 + 1 ;']],
  ['function-like macro; a name without ( is not an invocation', '#define F(a) (a * 2)\nint x = F(3), F;', ['', 'int x = ( 3 * 2 ) , F ;']],
  ['self-reference is not expanded again (hide set)', '#define foo foo + 1\nint foo2 = foo;', ['', 'int foo2 = foo + 1 ;']],
  ['indirect recursion stops (C11 6.10.3.4 example)', '#define f(a) a*g\n#define g(a) f(a)\nint z = f(2)(9);', ['', '', 'int z = 2 * 9 * g ;']],
  ['# stringifies the argument as written, escaping quotes', '#define S(x) #x\nconst char *s = S(a  "b\\n"   c);', ['', 'const char * s = "a \\"b\\\\n\\" c" ;']],
  ['## pastes, with an empty operand a placemarker', '#define C(a, b) a ## b\nint C(foo, 1) = C(, 7) + C(x,);', ['', 'int foo1 = 7 + x ;']],
  ['argument macros are expanded before substitution, not under ##', '#define ONE 1\n#define C(a) a ## ONE + a\nint v = C(ONE);', ['', '', 'int v = ONEONE + 1 ;']],
  ['variadic __VA_ARGS__ and GNU , ## __VA_ARGS__', '#define P(f, ...) pr(f, ## __VA_ARGS__)\nP("a"); P("b", 1, 2);', ['', 'pr ( "a" ) ; pr ( "b" , 1 , 2 ) ;']],
  ['GNU named variadic args...', '#define P(f, args...) pr(f, args)\nP("a", 1, 2);', ['', 'pr ( "a" , 1 , 2 ) ;']],
  ['__VA_OPT__', '#define V(a, ...) f(a __VA_OPT__(,) __VA_ARGS__)\nV(1); V(1, 2);', ['', 'f ( 1 ) ; f ( 1 , 2 ) ;']],
  ['#if/#elif/#else/#endif, defined, nested skipping', '#define A 2\n#if A == 1\nbad;\n#elif defined(A) && A > 1\ngood;\n#if 0\nbad;\n#endif\n#else\nbad;\n#endif', ['', '', '', '', 'good ;', '', '', '', '', '', '']],
  ['#ifdef/#ifndef/#undef', '#define X\n#ifdef X\na;\n#endif\n#undef X\n#ifndef X\nb;\n#endif', ['', '', 'a ;', '', '', '', 'b ;', '']],
  ['IS_ENABLED through the tree\'s kconfig.h trick with the fixed config', '#include <linux/kconfig.h>\n#if IS_ENABLED(CONFIG_KVM_INTEL) && IS_ENABLED(CONFIG_X86_64) && !IS_ENABLED(CONFIG_NOT_THERE)\nyes;\n#endif\nint m = IS_MODULE(CONFIG_KVM_INTEL), b = IS_BUILTIN(CONFIG_KVM_INTEL);',
    ['', '', 'yes ;', '', 'int m = 1 , b = 0 ;'],
    { 'include/linux/kconfig.h': '#include <generated/autoconf.h>\n#define __ARG_PLACEHOLDER_1 0,\n#define __take_second_arg(__ignored, val, ...) val\n#define __is_defined(x) ___is_defined(x)\n#define ___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)\n#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)\n#define IS_BUILTIN(option) __is_defined(option)\n#define IS_MODULE(option) __is_defined(option##_MODULE)\n#define IS_ENABLED(option) __or(IS_BUILTIN(option), IS_MODULE(option))\n#define __or(x, y) ___or(x, y)\n#define ___or(x, y) ____or(__ARG_PLACEHOLDER_##x, y)\n#define ____or(arg1_or_junk, y) __take_second_arg(arg1_or_junk 1, y)\n' }],
  ['a multi-line invocation goes on its first line (what follows it stays on its own line); continuation lines stay empty', '#define F(a, b) (a + b)\nint x = F(1,\n  2);\n#define LONG 1 + \\\n  2\nint y = LONG;', ['', 'int x = ( 1 + 2 )', ';', '', '', 'int y = 1 + 2 ;']],
  ['comments become blanks, block comments keep their lines', 'int a; /* one\ntwo */ int b; // three\nint c;', ['int a ;', 'int b ;', 'int c ;']],
  ['#include "x.h" from the including file\'s directory, <> from the include path', '#include "sub/a.h"\nint v = A + B;', ['', 'int v = 1 + 2 ;'], { 'sub/a.h': '#define A 1\n#include "b.h"\n', 'sub/b.h': '#include <linux/c.h>\n', 'include/linux/c.h': '#define B 2\n' }],
  ['<asm/x.h> falls back to asm-generic (the generated wrapper)', '#include <asm/only-generic.h>\nint v = G;', ['', 'int v = 3 ;'], { 'include/asm-generic/only-generic.h': '#define G 3\n' }],
  ['include guards and #pragma once: a header is read once', '#include "g.h"\n#include "g.h"\n#include "o.h"\n#include "o.h"\nint v = N;', ['', '', '', '', 'int v = 2 ;'], { 'g.h': '#ifndef G_H\n#define G_H\n#ifdef N\n#undef N\n#define N 99\n#else\n#define N 1\n#endif\n#endif\n', 'o.h': '#pragma once\n#undef N\n#define N 2\n' }],
  ['a header included inside braces is expanded onto the #include line (X-macro table)', 'static int t[] = {\n#define F(x) x,\n#include "fields.h"\n};', ['static int t [ ] = {', '', '1 , 2 , 3 ,', '} ;'], { 'fields.h': 'F(1)\nF(2)\nF(3)\n' }],
  ['a missing header is a note, not a failure', '#include <linux/absent.h>\nint a;', ['', 'int a ;']],
  ['__LINE__, __COUNTER__', 'int a = __LINE__;\nint b = __COUNTER__ + __COUNTER__;', ['int a = 1 ;', 'int b = 0 + 1 ;']],
  ['kept macros stay calls; module_param* is recorded and dropped', '#define WARN_ON_ONCE(x) ({ asm("ud2"); x; })\n#define module_param_named(n, v, t, p) static int __p_##n\nbool enable_ept;\nmodule_param_named(ept, enable_ept, bool, 0444);\nint f(void) { return WARN_ON_ONCE(1); }', ['', '', 'bool enable_ept ;', '', 'int f ( void ) { return WARN_ON_ONCE ( 1 ) ; }']],
  ['overrides win over the tree\'s definition', '#define READ_ONCE(x) (*(volatile typeof(x) *)&(x))\nint v = READ_ONCE(a);', ['', 'int v = ( a ) ;']],
  ['attributes: dropped after a declarator, kept on a struct', 'int x __attribute__((unused)) = 1;\nstruct __attribute__((packed)) s { int a; };', ['int x = 1 ;', 'struct __attribute__ ( ( packed ) ) s { int a ; } ;']],
  ['GNU case ranges are respelled for tree-sitter', 'void f(int x) { switch (x) { case 1 ... 3: break; case 4: break; } }', ['void f ( int x ) { switch ( x ) { case __kvm_case_range ( 1 , 3 ) : break ; case 4 : break ; } }']],
  ['typeof(expression) goes to the side table; typeof(type) stays', 'typeof(a->b) x; typeof(u32) y; typeof(struct s *) z;', ['__kvm_typeof_0 x ; typeof ( u32 ) y ; typeof ( struct s * ) z ;']],
];

for (const [feature, main, expected, others] of ROWS) {
  test(`preprocess: ${feature}`, () => {
    const r = expand(main, others);
    assert.deepEqual(r.lines, expected);
  });
}

test('preprocess: module parameters recorded (variable → parameter name)', () => {
  const r = expand('module_param_named(ept, enable_ept, bool, 0444);\nmodule_param(nested, bool, 0444);\nmodule_param_cb(x, &ops, &var_x, 0644);');
  assert.deepEqual(r.params, [['enable_ept', 'ept'], ['nested', 'nested'], ['var_x', 'x']]);
  assert.deepEqual(r.lines, ['', '', '']);
});

test('preprocess: typeof side table holds the operand text', () => {
  assert.deepEqual(expand('typeof(*(p)) a; typeof(x + typeof(y)(1)) b;').typeofs, ['* ( p )', 'x + typeof ( y ) ( 1 )']);
});

test('preprocess: a missing include and a bad #if are notes naming file and line', () => {
  const r = expand('#include <linux/absent.h>\n#if 1 +\n#endif\n');
  assert.ok(r.notes.some(n => /^main\.c:1: #include <linux\/absent\.h> not found/.test(n)), r.notes.join('\n'));
  assert.ok(r.notes.some(n => /^main\.c:2: #if not evaluated/.test(n)), r.notes.join('\n'));
});

test('preprocess: #if arithmetic is 64-bit with unsigned promotion', () => {
  const ev = (s: string): bigint => evalIf(tokenize(s, 1));
  assert.equal(ev('-1 < 0'), 1n);
  assert.equal(ev('-1 < 0u'), 0n);
  assert.equal(ev('(1ULL << 63) > 0'), 1n);
  assert.equal(ev('0xffffffffffffffff == -1'), 1n);
  assert.equal(ev('1 ? 2 : 3'), 2n);
  assert.equal(ev("'A' == 65"), 1n);
  assert.equal(ev('0 && 1 / 0'), 0n);
  assert.throws(() => ev('1 / 0'));
});

test('preprocess: splitFile finds the include guard and keeps line numbers', () => {
  const sf = splitFile('g.h', '/* c */\n#ifndef G\n#define G\nint a; \\\n int b;\n#endif\n');
  assert.equal(sf.guard, 'G');
  assert.deepEqual(sf.lines.map(l => [l.line, l.directive]), [[2, true], [3, true], [4, false], [6, true]]);
  assert.equal(splitFile('n.h', '#ifndef G\n#define G\n#endif\nint after;\n').guard, null);
});

test('config: y → CONFIG_X 1, m → CONFIG_X_MODULE 1, numbers as they are; every row has a reason', () => {
  const m = new Map(configMacros());
  assert.equal(m.get('CONFIG_X86_64'), '1');
  assert.equal(m.get('CONFIG_KVM_INTEL_MODULE'), '1');
  assert.equal(m.has('CONFIG_KVM_INTEL'), false);
  assert.equal(m.get('CONFIG_NR_CPUS'), '8192');
  assert.ok(KERNEL_CONFIG.every(r => r.why.length > 3));
  assert.equal(new Set(KERNEL_CONFIG.map(r => r.name)).size, KERNEL_CONFIG.length, 'no option twice');
});
