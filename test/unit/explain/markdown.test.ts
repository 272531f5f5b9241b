// Hover and Explain markdown: the first two lines say what the thing is; links run our commands
// with the documented arguments; numbers show hex and decimal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explain, hoverMarkdown, documentMarkdown, simulateLink, explainLink, suggest, modelEntries } from '../../../src/explain';

void test('a function hover starts with name, kind and file, then its role', () => {
  const md = hoverMarkdown(explain('nested_vmx_load_cr3'));
  const [first, second] = md.split('\n\n');
  assert.equal(first, '**nested\\_vmx\\_load\\_cr3** · *function* · `arch/x86/kvm/vmx/nested.c`');
  assert.match(second, /^Loads a CR3 from vmcs12/);
  assert.ok(md.includes('Simulate a path through this function: '));
  assert.ok(md.includes(`[nested-vmentry](${simulateLink('nested-vmentry', 'nested_vmx_load_cr3')})`));
  assert.ok(md.includes(`[Show in model](${explainLink('nested_vmx_load_cr3')})`));
});

void test('command links carry the documented JSON arguments', () => {
  const link = simulateLink('nested-vmentry', 'nested_vmx_load_cr3');
  assert.ok(link.startsWith('command:kvmPatchReview.simulatePath?'));
  assert.deepEqual(JSON.parse(decodeURIComponent(link.split('?')[1])), [{ pathId: 'nested-vmentry', function: 'nested_vmx_load_cr3' }]);
  assert.deepEqual(JSON.parse(decodeURIComponent(explainLink('HOST_CR3').split('?')[1])), ['HOST_CR3']);
});

void test('a constant hover shows the value in hex and decimal and its decoded parts', () => {
  const md = hoverMarkdown(explain('VM_ENTRY_MSR_LOAD_COUNT'));
  assert.match(md.split('\n\n')[0], /`0x4014` \(16404\)/);
  assert.match(md, /width `32-bit`/);
});

void test('several readings are separated and all shown', () => {
  const md = hoverMarkdown(explain('0x80000021'));
  assert.equal(md.split('\n\n---\n\n').length, 3);
});

void test('the Explain page lists callers, checks and history of a function', () => {
  const page = documentMarkdown('nested_vmx_check_host_state', explain('nested_vmx_check_host_state'));
  assert.match(page, /^# nested\\_vmx\\_check\\_host\\_state/);
  assert.match(page, /\*\*Callers:\*\* `nested_vmx_run`/);
  assert.match(page, /\| id \| check \| result \|/);
  assert.match(page, /\*\*History:\*\*/);
  assert.equal(documentMarkdown('nothing_here', []).includes('does not know'), true);
});

void test('suggestions for an unknown name are close names, best first', () => {
  assert.equal(suggest('VM_ENTRY_MSR_LOAD_CNT')[0], 'VM_ENTRY_MSR_LOAD_COUNT');
  assert.equal(suggest('setup_vmcs_conf')[0], 'setup_vmcs_config');
  assert.equal(suggest('MSR_IA32_VMX_PROCBASED_CTL2')[0], 'MSR_IA32_VMX_PROCBASED_CTLS2');
  assert.deepEqual(suggest('zzzzqqqq'), []);
});

void test('the quick-pick entries cover every kind of the contract', () => {
  const kinds = new Set(modelEntries().map(e => e.kind));
  for (const k of ['function', 'macro', 'struct', 'struct_field', 'vmcs_field', 'msr', 'msr_bit', 'control_bit', 'cr_bit', 'efer_bit', 'exit_reason',
    'exit_qualification', 'vm_instruction_error', 'kvm_request', 'ioctl', 'state_flag', 'module_param']) assert.ok(kinds.has(k), k);
});
