// User-facing text never cites the project's internal documents ("seed 00N", "ref §x.y",
// "constants.tsv", the reference file names): every user-visible string of every model entity,
// its hover and its Explain page, number readings and the path titles are scanned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelIndex } from '../../../src/explain/entities';
import { explain } from '../../../src/explain/lookup';
import { hoverMarkdown, documentMarkdown } from '../../../src/explain/markdown';
import { publicText, publicSource, INTERNAL_CITATION } from '../../../src/explain/publicText';
import { listPaths } from '../../../src/sim';

const REWRITES: [string, string][] = [
  ['Skips the instruction (ref §1.1).', 'Skips the instruction.'],
  ['Draft helper from the May-2021 eVMCS-restore patch (seed 003): map an eVMCS', 'Draft helper from the May-2021 eVMCS-restore patch: map an eVMCS'],
  ['kvm-nested-vmx.md §6; seed 002', ''],
  ['constants.tsv; arch/x86/include/asm/vmx.h (v6.12)', 'arch/x86/include/asm/vmx.h (v6.12)'],
  ['v6.4+ (seed 002)', 'v6.4+'],
  ['v6.0 cycle (seed 001 2/2)', 'v6.0 cycle'],
  ['calls nested_vmx_vmexit (ref §3.1). More.', 'calls nested_vmx_vmexit. More.'],
  ['SDM Vol. 3C 25.6.1 (pin-based controls)', 'SDM Vol. 3C 25.6.1 (pin-based controls)'],
];
for (const [input, expected] of REWRITES) test(`publicText: ${input}`, () => assert.equal(publicText(input), expected));
test('publicSource drops internal parts, falls back to the kernel file', () => {
  assert.equal(publicSource('kvm-nested-vmx.md §2.1 step 13e; arch/x86/kvm/vmx/nested.c', 'x.c'), 'arch/x86/kvm/vmx/nested.c');
  assert.equal(publicSource('kvm-nested-vmx.md §7 (≈v6.8, unverified)', 'arch/x86/kvm/Kconfig'), 'arch/x86/kvm/Kconfig (v6.12)');
});

test('no model entity, hover or Explain page cites an internal document', () => {
  const leaks: string[] = [];
  const scan = (where: string, text: string | undefined) => { const m = text ? INTERNAL_CITATION.exec(text) : null; if (m) leaks.push(`${where}: …${text!.slice(Math.max(0, m.index - 60), m.index + 40)}…`); };
  for (const e of modelIndex().entities) {
    for (const [k, v] of Object.entries(e)) {
      if (typeof v === 'string') scan(`${e.name}.${k}`, v);
      else if (Array.isArray(v)) for (const x of v) scan(`${e.name}.${k}`, typeof x === 'string' ? x : JSON.stringify(x));
    }
  }
  for (const e of modelIndex().entities.slice(0, 4000)) {
    const readings = explain(e.name);
    scan(`hover ${e.name}`, hoverMarkdown(readings));
    scan(`page ${e.name}`, documentMarkdown(e.name, readings));
  }
  for (const q of ['0x0000200a', '0x48B', '0x80000021', '0x808', 'bit 62 of CR3']) scan(`explain ${q}`, JSON.stringify(explain(q)));
  for (const p of listPaths()) scan(`path ${p.id}`, JSON.stringify(p));
  assert.deepEqual(leaks.slice(0, 20), [], `${leaks.length} user-visible strings cite internal documents`);
});
