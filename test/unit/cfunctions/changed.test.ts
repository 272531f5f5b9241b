// Changed functions from hunk bodies: the @@ label is only a hint; both locators agree on fragments.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { changedFunctionsOf, heuristicLocator, createCFunctionLocator, scanFunctions, functionNameOf, isFunctionHeader, type CFunctionLocator } from '../../../src/cfunctions';

const ROOT = path.resolve(__dirname, '../../..');
let treeSitter: CFunctionLocator;
void before(async () => {
  treeSitter = await createCFunctionLocator({
    runtime: fs.readFileSync(path.join(ROOT, 'node_modules/web-tree-sitter/web-tree-sitter.wasm')),
    language: fs.readFileSync(path.join(ROOT, 'node_modules/tree-sitter-c/tree-sitter-c.wasm')),
  });
});

const body = (lines: string[], ctx: string | null) => ({
  contextFunction: ctx,
  lines: lines.map(l => ({ kind: (l[0] === '+' ? 'add' : l[0] === '-' ? 'del' : 'context') as 'add' | 'del' | 'context', text: l.slice(1) })),
});

const CASES: [string, string[], string | null, string[]][] = [
  ['@@ label is the function before the change', [' \treturn 0;', ' }', ' ', ' static int second(int a)', ' {', '-\treturn a;', '+\treturn a + 1;', ' }'], 'static int first(void)', ['second']],
  ['hunk inside the labelled function', [' \tint a = 1;', ' ', '-\ta++;', '+\ta += 2;', ' \treturn a;'], 'static int first(void)', ['first']],
  ['hunk starting at the opening brace', [' {', '-\tx();', '+\ty();', ' }'], 'static void f(void)', ['f']],
  ['hunk closing inner blocks of the labelled function', [' \t\treturn -EIO;', ' \t}', ' ', '+\tif (!a)', '+\t\tb = 0;', ' \treturn 0;'], 'static __init int setup(void)', ['setup']],
  ['change spanning the end of one function and a new one', [' \tfoo();', '-\tbar();', ' }', ' ', '+static int added(void)', '+{', '+\treturn 1;', '+}'], 'static void old(void)', ['old', 'added']],
  ['struct member, not a function', [' \t__u32 flags;', '+\t__u64 pa;', ' };'], 'struct hdr {', []],
  ['macro body, not a function', [' #define A \\', '-\t(1 << 2)', '+\t(1 << 3)'], null, []],
  ['top-level declaration', [' bool a = 1;', '+bool b = 1;', ' module_param(b, bool, 0444);'], 'module_param(a, bool, 0444);', []],
  ['ALL_CAPS macro label is no function', [' \t(1 << X))', ' ', '+static inline bool h(void)', '+{', '+\treturn 1;', '+}'], 'BUILD_THING(a, B, 64)', ['h']],
  ['starts inside a comment', [' \t * text', ' \t */', '-\tx = 1;', '+\tx = 2;'], 'static void c(void)', ['c']],
];

for (const [name, lines, ctx, expected] of CASES) {
  void test(`changed functions: ${name}`, () => {
    assert.deepEqual(changedFunctionsOf(body(lines, ctx), heuristicLocator), expected, 'heuristic');
    assert.deepEqual(changedFunctionsOf(body(lines, ctx), treeSitter), expected, 'tree-sitter');
  });
}

void test('the tree-sitter locator finds definitions in clean C', () => {
  const src = 'static int a(void)\n{\n\treturn 1;\n}\n\nstruct s *b(int x)\n{\n\treturn 0;\n}\n';
  assert.deepEqual(treeSitter.functions(src), [{ name: 'a', startRow: 0, endRow: 3 }, { name: 'b', startRow: 5, endRow: 8 }]);
  assert.deepEqual(scanFunctions(src).map(s => s.name), ['a', 'b']);
});

void test('function names in @@ labels', () => {
  assert.equal(functionNameOf('static int nested_vmx_load_cr3(struct kvm_vcpu *vcpu,'), 'nested_vmx_load_cr3');
  assert.equal(functionNameOf('static __always_inline struct kvm_vmx *to_kvm_vmx(struct kvm *kvm)'), 'to_kvm_vmx');
  assert.ok(isFunctionHeader('static __init int hardware_setup(void)'));
  assert.ok(!isFunctionHeader('module_param_named(ept, enable_ept, bool, S_IRUGO);'));
  assert.ok(!isFunctionHeader('struct kvm_vmx_nested_state_hdr {'));
});
