// Quoted prose bullets (`>- When EPT is off, ...`) are reviewer text, not removed lines: neither
// the grammar (markup.deleted) nor the recovery (del lines, which the editor colours) takes them;
// removed lines that look like C keep their colour at every depth.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as vsctm from 'vscode-textmate';
import { loadPatchGrammar } from './tmGrammar';
import { parsePatchDocument } from '../../../src/diff';

let grammar: vsctm.IGrammar;

void before(async () => { grammar = await loadPatchGrammar(); });

const deleted = (line: string) => grammar.tokenizeLine(line, vsctm.INITIAL).tokens.some(t => t.scopes.includes('markup.deleted.diff'));

const LINES: [string, boolean][] = [
  ['>- When EPT is on, CR3 is fully under the control of the guest.', false],
  ['>- When EPT is off, CR3 is intercepted and checked in kvm_set_cr3() during', false],
  ["> - L1's CR3 register (VMCS01's GUEST_CR3), the same as the non-nested case", false],
  ['>> - the field is used in', false],
  ['- Bits 31:0 give the allowed 0-settings of these controls. These bits', false],
  ['-\treturn 0;', true],
  ['> - vcpu->arch.cr0_guest_owned_bits = KVM_POSSIBLE_CR0_GUEST_BITS;', true],
  ['> - if (vmx->nested.hv_evmcs)', true],
  ['- static int nested_vmx_check_guest_cr3(struct kvm_vcpu *vcpu,', true],
  ['- * the pages used as guest page table on soft mmu are tracked by', true],
  ['>-       return (vmcs_config.vmentry_ctrl & VM_ENTRY_LOAD_IA32_EFER) &&', true],
  ['> > -\tx = 1;', true],
];
for (const [line, isDeleted] of LINES) {
  void test(`grammar: ${JSON.stringify(line.slice(0, 50))} ${isDeleted ? 'is' : 'is not'} a removed line`, () => assert.equal(deleted(line), isDeleted));
}

void test('recovery: quoted prose bullets after a quoted hunk are no del lines', () => {
  const text = ['Subject: Re: [PATCH] KVM: x', 'From: a@example.org', '', '> @@ -1,3 +1,3 @@ static int f(void)', '>  {', '> -\treturn 1;', '> +\treturn 2;', '>  }',
    '>', '>Two cases:', '>- When EPT is on, CR3 is fully under the control of the guest.', '>- When EPT is off, CR3 is intercepted and checked in kvm_set_cr3().', ''].join('\n');
  const doc = parsePatchDocument(text);
  const del = doc.hunks.flatMap(h => h.lines.filter(l => l.kind === 'del').map(l => l.sourceLine + 1));
  assert.deepEqual(del, [6]);
});
