// The one reader of changed C lines (src/review/changedLines.ts): what it reads (table-driven),
// and that its work stays linear on hostile text. The bounds are on work counted (characters the
// scanner visits, line pairs the hunk summary compares), not on wall time, so a quadratic
// regression fails here on any machine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changeBlocks, conditionsIn, defineOf, definesIn, scanC } from '../../../src/review/changedLines';
import { summarizeChangeCounted, type ChangeLine } from '../../../src/review/hunkChange';

const CONDITIONS: [string, string[]][] = [
  ['if (CC(a && b)) return -EINVAL;', ['a && b']],
  ['if (x > 3) {', ['x > 3']],
  ['while (n--)', ['n--']],
  ['if (a /* ) */ && b)', ['a   && b']],
  ['if (s == ")" || c == \'(\')', ['s == ")" || c == \'(\'']],
  ['CC(a // (\n && b)', ['a  \n && b']],
  ['CC(a', []],
  ['CC(a CC(b)', ['b']],
  ['CC(f(CC(y))) || CC(z)', ['f(CC(y))', 'z']],
  ['/* CC(x) */ if (y)', ['y']],
  ['/* unclosed CC(x) if (y)', []],
  ['XCC(x) ifx(y)', []],
];
for (const [text, expected] of CONDITIONS) {
  test(`conditions of ${JSON.stringify(text)}`, () => assert.deepEqual(conditionsIn(text), expected));
}

test('#define lines: name and value without comments; function-like and continued ones are not values', () => {
  assert.deepEqual(defineOf('#define KVM_POSSIBLE_CR0_GUEST_BITS (X86_CR0_TS | X86_CR0_WP) /* owned */'),
    { name: 'KVM_POSSIBLE_CR0_GUEST_BITS', value: '(X86_CR0_TS | X86_CR0_WP)', continued: false, functionLike: false });
  assert.equal(defineOf('# define  B\t1 << 2')?.value, '1 << 2');
  assert.equal(defineOf('#defineX 1'), undefined);
  assert.equal(defineOf('x = 1; #define Y 2'), undefined);
  assert.equal(defineOf('#define F(x) ((x) + 1)')?.functionLike, true);
  assert.deepEqual([...definesIn('#define A 1\n#define F(x) x\n#define C \\\n#define E\n#define D /* none */ 4').entries()], [['A', '1'], ['D', '4']]);
});

test('change blocks: removed lines and the added lines after them, split at context', () => {
  const lines: ChangeLine[] = [
    { kind: 'context', text: 'a' }, { kind: 'del', text: 'b' }, { kind: 'add', text: 'c' }, { kind: 'del', text: 'd' }, { kind: 'context', text: 'e' }, { kind: 'add', text: 'f' },
  ].map((l, i) => ({ ...l, sourceLine: 10 + i })) as ChangeLine[];
  assert.deepEqual(changeBlocks(lines), [{ removed: 'b', added: 'c', line: 11 }, { removed: 'd', added: '', line: 13 }, { removed: '', added: 'f', line: 15 }]);
});

const N = 200_000;
const HOSTILE: [string, string][] = [
  ['unclosed CC(', 'CC('.repeat(N / 3)],
  ['unclosed /*', '/*'.repeat(N / 2)],
  ['unclosed if (', 'if ('.repeat(N / 4)],
  ['closed CC() one after another', 'CC(x) '.repeat(N / 6)],
  ['deeply nested CC(', 'CC('.repeat(N / 8) + ')'.repeat(N / 8)],
  ['quotes and parentheses', '"(\'('.repeat(N / 4)],
  ['a line comment per line', '// (\n'.repeat(N / 5)],
  ['one long identifier then (', 'x'.repeat(N) + '('],
];
for (const [name, text] of HOSTILE) {
  test(`the scanner's work is linear on hostile text: ${name} (${text.length} characters)`, () => {
    const scan = scanC(text);
    assert.ok(scan.steps <= 3 * text.length + 10, `${scan.steps} steps for ${text.length} characters`);
    const taken = scan.conditions.reduce((n, c) => n + c.length, 0);
    assert.ok(taken <= text.length, `conditions hold ${taken} characters of ${text.length}`);
  });
}

test('the hunk summary compares each removed line with a bounded number of added lines', () => {
  const lines: ChangeLine[] = [];
  for (let i = 0; i < 4000; i++) lines.push({ kind: 'del', text: `\tvmcs12->field_${i} = value_${i} | shared_bits;` });
  for (let i = 0; i < 4000; i++) lines.push({ kind: 'add', text: `\tvmcs12->field_${i} = other_${i} | shared_bits;` });
  const { summary, comparisons } = summarizeChangeCounted(lines);
  assert.ok(comparisons <= 4000 * 65, `${comparisons} comparisons for 4000 × 4000 lines`);
  assert.match(summary, /^field_0: value_0 \| shared_bits → other_0 \| shared_bits/);
});

test('a small hunk still compares every pair (the summary is what it was)', () => {
  const lines: ChangeLine[] = [
    { kind: 'del', text: '\tif (!nested_cpu_has_ept(vmcs12))' }, { kind: 'del', text: '\tx = 1;' },
    { kind: 'add', text: '\ty = 2;' }, { kind: 'add', text: '\tif (!nested_cpu_has_ept(vmcs12) || !enable_ept)' },
  ];
  const { summary, comparisons } = summarizeChangeCounted(lines);
  assert.equal(comparisons, 3);   // the second removed line skips the added line the first one took
  assert.match(summary, /^condition on nested_cpu_has_ept changed/);
});

test('hostile lines do not stall the hunk summary (long lines are clipped before they are described)', () => {
  const lines: ChangeLine[] = [
    { kind: 'del', text: 'x' + ' ('.repeat(N / 2) }, { kind: 'add', text: 'if (' + ' '.repeat(N) + 'x' },
    { kind: 'del', text: '/*'.repeat(N / 2) }, { kind: 'add', text: 'a = ' + ' '.repeat(N) + 'b' },
  ];
  const { comparisons } = summarizeChangeCounted(lines);
  assert.ok(comparisons <= 4);
});
