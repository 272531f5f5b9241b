// Hover targets: the SDM's `REG.BIT` spelling explains the register's bit whichever half is
// hovered (CR0.WP is X86_CR0_WP, not the struct field kvm_vcpu_arch.cr0); hover text is clipped
// at word ends, never mid-word (the vmx_set_nested_state hover was cut inside a word).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainAt, explain } from '../../../src/explain/lookup';
import { hoverMarkdown, clip } from '../../../src/explain/markdown';
import { modelIndex } from '../../../src/explain/entities';

const TARGETS: [string, string, string, string][] = [
  // line, hovered word, expected hover text, expected first reading
  ['make CR0.WP a guest owned bit', 'CR0', 'CR0.WP', 'X86_CR0_WP'],
  ['make CR0.WP a guest owned bit', 'WP', 'CR0.WP', 'X86_CR0_WP'],
  ['if CR4.LAM_SUP is set', 'CR4', 'CR4.LAM_SUP', 'X86_CR4_LAM_SUP'],
  ['with EFER.LMA=1', 'LMA', 'EFER.LMA', 'EFER_LMA'],
  ['> > bits CR3.LAM_U57 and CR3.LAM_U48', 'LAM_U48', 'CR3.LAM_U48', 'X86_CR3_LAM_U48'],
  // not a register-bit spelling: the member stays a member
  ['\tif (vmcs_config.vmentry_ctrl & x)', 'vmentry_ctrl', 'vmentry_ctrl', 'vmcs_config.vmentry_ctrl'],
];
for (const [line, word, text, name] of TARGETS) {
  test(`hover "${word}" in "${line.trim()}"`, () => {
    const hit = explainAt(line, line.indexOf(word) + 1);
    assert.ok(hit, 'a hover');
    assert.equal(hit.text, text);
    assert.equal(hit.readings[0].name, name);
  });
}

test('clip never cuts inside a word', () => {
  const s = 'KVM_SET_NESTED_STATE for VMX: validates the header, re-enters VMX operation, restores vmcs12 and re-enters L2.';
  for (let n = 24; n < s.length; n++) {
    const c = clip(s, n).replace(/ ?…$/, '');
    assert.ok(c.length <= n, `length at ${n}`);
    assert.ok(s.startsWith(c), `prefix at ${n}: ${c}`);
    assert.match(s.slice(c.length, c.length + 1), /^[\s.,;:)]?$/, `word end at ${n}: "${c}"`);
  }
});

test('long details of the model are clipped at word ends (vmx_set_nested_state among them)', () => {
  let clipped = 0;
  for (const e of modelIndex().entities) {
    if (e.details.length <= 320) continue;
    const c = clip(e.details, 320).replace(/ ?…$/, '');
    assert.ok(e.details.startsWith(c));
    assert.doesNotMatch(e.details.slice(c.length, c.length + 1), /\w/, `${e.name}: "${c.slice(-40)}"`);
    clipped++;
  }
  assert.ok(clipped > 0);
  const [r] = explain('vmx_set_nested_state');
  if (r.details.length > 320) assert.ok(hoverMarkdown([r]).includes('…'));
});
