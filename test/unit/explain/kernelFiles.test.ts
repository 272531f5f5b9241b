// The header an explanation names is where the kernel defines the name: KVM's own CR masks live in
// KVM's headers (KVM_POSSIBLE_CR0_GUEST_BITS in kvm_cache_regs.h, as the CR0.WP patch mail shows),
// not in processor-flags.h. Checked against the default tree when it is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { explain } from '../../../src/explain/lookup';
import { modelIndex } from '../../../src/explain/entities';

const TREE = process.env.KVM_REVIEW_TREE ?? path.resolve(__dirname, '../../../.cache/linux-source-6.12');

test('KVM_POSSIBLE_CR0_GUEST_BITS names arch/x86/kvm/kvm_cache_regs.h', () => {
  const [r] = explain('KVM_POSSIBLE_CR0_GUEST_BITS');
  assert.deepEqual(r.kernelFiles, ['arch/x86/kvm/kvm_cache_regs.h']);
  assert.match(r.source ?? '', /^arch\/x86\/kvm\/kvm_cache_regs\.h/);
});

test('every CR/EFER bit or mask is defined in the header it names (default tree)', t => {
  if (!fs.existsSync(path.join(TREE, 'arch/x86'))) { t.skip(`no kernel tree at ${TREE}`); return; }
  const wrong: string[] = [];
  for (const e of modelIndex().entities) {
    if (e.kind !== 'cr_bit' && e.kind !== 'efer_bit') continue;
    const file = path.join(TREE, e.kernelFiles[0]);
    if (!fs.existsSync(file)) { wrong.push(`${e.name}: ${e.kernelFiles[0]} is not in the tree`); continue; }
    if (!new RegExp(`#\\s*define\\s+${e.name}\\b`).test(fs.readFileSync(file, 'utf8'))) wrong.push(`${e.name}: not defined in ${e.kernelFiles[0]}`);
  }
  assert.deepEqual(wrong, []);
});
