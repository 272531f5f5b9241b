// What a hunk changes, from its removed and added lines only: synthetic cases and the seed patches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeChange, computeHover, type ChangeLine } from '../../../src/explain';
import { parsePatchDocument } from '../../../src/diff';
import { seedText } from '../seeds';

const del = (text: string): ChangeLine => ({ kind: 'del', text });
const add = (text: string): ChangeLine => ({ kind: 'add', text });
const ctx = (text: string): ChangeLine => ({ kind: 'context', text });

const SYNTHETIC: [string, ChangeLine[], string][] = [
  ['condition on a vmcs12 field', [ctx('\tif (CC(!nested_host_cr0_valid(vcpu, vmcs12->host_cr0)) ||'),
    del('\t    CC(kvm_vcpu_is_illegal_gpa(vcpu, vmcs12->host_cr3)))'), add('\t    CC(!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->host_cr3)))')],
    'condition on HOST_CR3 changed: kvm_vcpu_is_illegal_gpa → !kvm_vcpu_is_legal_cr3'],
  ['assignment', [del('\tvcpu->arch.cr0_guest_owned_bits = KVM_POSSIBLE_CR0_GUEST_BITS;'), add('\tvcpu->arch.cr0_guest_owned_bits = vmx_l1_guest_owned_cr0_bits();')],
    'cr0_guest_owned_bits: KVM_POSSIBLE_CR0_GUEST_BITS → vmx_l1_guest_owned_cr0_bits()'],
  ['#define', [del('#define KVM_POSSIBLE_CR0_GUEST_BITS X86_CR0_TS'), add('#define KVM_POSSIBLE_CR0_GUEST_BITS (X86_CR0_TS | X86_CR0_WP)')],
    'KVM_POSSIBLE_CR0_GUEST_BITS: X86_CR0_TS → (X86_CR0_TS | X86_CR0_WP)'],
  ['only a brace changes', [del('\tif (vmx->nested.hv_evmcs)'), add('\tif (vmx->nested.hv_evmcs) {'), add('\t\tkvm_state.flags |= KVM_STATE_NESTED_EVMCS;')],
    'adds assignment to flags'],
  ['a comment only', [ctx('\tvcpu->arch.cr3 = cr3;'), add('\t/* Re-initialize the MMU. */'), ctx('\tkvm_init_mmu(vcpu);')], 'adds a comment (1 line)'],
  ['an added call', [add('\tkvm_mmu_new_pgd(vcpu, cr3);')], 'adds call to kvm_mmu_new_pgd'],
  ['nothing changed', [ctx('\treturn 0;')], ''],
];

for (const [name, lines, expected] of SYNTHETIC) {
  void test(`hunk change: ${name}`, () => assert.equal(summarizeChange(lines), expected));
}

/** [seed, changed function, expected summary] for hunks of the seed patches. */
const SEED_HUNKS: ['001' | '002' | '003' | '004', string, string][] = [
  ['001', 'cpu_has_load_ia32_efer', 'return value changed: drops vmexit_ctrl, VM_EXIT_LOAD_IA32_EFER'],
  ['001', 'setup_vmcs_config', 'adds a loop over vmcs_entry_exit_pairs; adds call to pr_warn_once'],
  ['002', 'load_vmcs12_host_state', 'cr0_guest_owned_bits: KVM_POSSIBLE_CR0_GUEST_BITS → vmx_l1_guest_owned_cr0_bits()'],
  ['002', 'nested_vmx_restore_host_state', 'cr0_guest_owned_bits: KVM_POSSIBLE_CR0_GUEST_BITS → vmx_l1_guest_owned_cr0_bits()'],
  ['003', 'vmx_set_nested_state', 'removes a comment (4 lines); adds check: !evmcs_gpa; adds call to __nested_vmx_handle_enlightened_vmptrld'],
  ['004', 'nested_vmx_load_cr3', 'adds a comment (1 line)'],
];

for (const [id, fn, expected] of SEED_HUNKS) {
  void test(`seed ${id}: the hunk changing ${fn} is summarised`, t => {
    const text = seedText(id, t);
    if (!text) return;
    const hunk = parsePatchDocument(text).hunks.find(h => h.changedFunctions.includes(fn));
    assert.ok(hunk, `no hunk changes ${fn}`);
    assert.equal(summarizeChange(hunk.lines), expected);
  });
}

void test('hovering the changed function inside its hunk shows what the hunk changes', t => {
  const text = seedText('002', t);
  if (!text) return;
  const lines = text.split(/\r?\n/);
  const hunks = parsePatchDocument(text).hunks;
  const hunk = hunks.find(h => h.changedFunctions.includes('load_vmcs12_host_state'))!;
  // The @@ header names the function; hover its name there.
  const row = hunk.sourceLine;
  const col = lines[row].indexOf('load_vmcs12_host_state');
  assert.ok(col > 0);
  const hover = computeHover(lines[row], row, col + 3, hunks);
  assert.equal(hover?.readings[0].name, 'load_vmcs12_host_state');
  assert.equal(hover?.hunkChange, 'cr0_guest_owned_bits: KVM_POSSIBLE_CR0_GUEST_BITS → vmx_l1_guest_owned_cr0_bits()');
  assert.match(hover!.markdown, /\*\*This hunk:\*\* cr0\\_guest\\_owned\\_bits/);
  // Outside any hunk (the mail's prose) the same name has no hunk line.
  const prose = computeHover('see load_vmcs12_host_state()', 0, 6, hunks);
  assert.equal(prose?.hunkChange, undefined);
});

void test('a hunk spanning two functions is summarised for the hovered one only', () => {
  const line = (kind: 'context' | 'add' | 'del', text: string, i: number) => ({ kind, text, sourceLine: 10 + i, textColumn: 1, oldLine: null, newLine: null });
  const texts: ['context' | 'add' | 'del', string][] = [
    ['context', 'static int first_fn(struct kvm_vcpu *vcpu)'], ['context', '{'],
    ['del', '\tvcpu->arch.cr3 = 0;'], ['add', '\tvcpu->arch.cr3 = 1;'], ['context', '}'], ['context', ''],
    ['context', 'static int nested_vmx_load_cr3(struct kvm_vcpu *vcpu, unsigned long cr3,'], ['context', '{'],
    ['add', '\tkvm_init_mmu(vcpu);'], ['context', '}'],
  ];
  const hunk = { message: 0, file: 'arch/x86/kvm/vmx/nested.c', fileIndex: 0, oldStart: 1, oldLines: 9, newStart: 1, newLines: 10, quoteDepth: 0,
    sourceLine: 9, endLine: 19, contextFunction: null, changedFunctions: ['first_fn', 'nested_vmx_load_cr3'], added: 2, removed: 1, complete: true,
    header: 'ranges' as const, repaired: false, lines: texts.map(([k, t], i) => line(k, t, i)),
    lineFunctions: [null, null, 'first_fn', 'first_fn', null, null, null, null, 'nested_vmx_load_cr3', null] };
  const hover = computeHover('static int nested_vmx_load_cr3(struct kvm_vcpu *vcpu, unsigned long cr3,', 16, 14, [hunk]);
  assert.equal(hover?.hunkChange, 'adds call to kvm_init_mmu');
  // the owners are what diff records when it parses such a hunk
  const patch = ['diff --git a/arch/x86/kvm/vmx/nested.c b/arch/x86/kvm/vmx/nested.c', '--- a/arch/x86/kvm/vmx/nested.c', '+++ b/arch/x86/kvm/vmx/nested.c',
    '@@ -1,8 +1,9 @@', ...texts.map(([k, t]) => (k === 'add' ? '+' : k === 'del' ? '-' : ' ') + t)].join('\n') + '\n';
  const parsed = parsePatchDocument(patch).hunks[0];
  assert.deepEqual(parsed.changedFunctions, ['first_fn', 'nested_vmx_load_cr3']);
  assert.deepEqual(parsed.lineFunctions, hunk.lineFunctions);
  assert.equal(computeHover('nested_vmx_load_cr3(vcpu, cr3)', 10, 3, [parsed])?.hunkChange, 'adds call to kvm_init_mmu');
});
