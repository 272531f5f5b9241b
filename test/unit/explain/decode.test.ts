// Number decoding: VMCS encodings from their bits, number expressions, readings in context.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeVmcsEncoding, parseNumber, explain, explainAt } from '../../../src/explain';

void test('VMCS encodings decode into access type, index, type and width', () => {
  assert.deepEqual(decodeVmcsEncoding(0x200an), { encoding: 0x200a, access: 'full', index: 5, type: 'control', width: '64-bit' });
  assert.deepEqual(decodeVmcsEncoding(0x200bn), { encoding: 0x200b, access: 'high', index: 5, type: 'control', width: '64-bit' });
  assert.deepEqual(decodeVmcsEncoding(0x6c02n), { encoding: 0x6c02, access: 'full', index: 1, type: 'host-state', width: 'natural-width' });
  assert.deepEqual(decodeVmcsEncoding(0x4400n), { encoding: 0x4400, access: 'full', index: 0, type: 'VM-exit information', width: '32-bit' });
  assert.equal(decodeVmcsEncoding(0x48bn), undefined, 'high access on a 16-bit field');
  assert.equal(decodeVmcsEncoding(0x1000n), undefined, 'bit 12 reserved');
  assert.equal(decodeVmcsEncoding(0x8000n), undefined, 'bits above 14 reserved');
});

void test('number expressions parse to their values', () => {
  assert.deepEqual(parseNumber('0x0000200a'), { value: 0x200an, form: 'hex' });
  assert.deepEqual(parseNumber('0x4000000000001000ULL'), { value: 0x4000000000001000n, form: 'hex' });
  assert.deepEqual(parseNumber('33'), { value: 33n, form: 'dec' });
  assert.deepEqual(parseNumber('48BH'), { value: 0x48bn, form: 'hex' });
  assert.deepEqual(parseNumber('BIT_ULL(62)'), { value: 1n << 62n, form: 'bit', bit: 62 });
  assert.deepEqual(parseNumber('1ULL << 61'), { value: 1n << 61n, form: 'bit', bit: 61 });
  assert.deepEqual(parseNumber('GENMASK_ULL(51, 12)'), { value: 0xffffffffff000n, form: 'mask' });
  assert.equal(parseNumber('BIT(64)'), undefined);
  assert.equal(parseNumber('0x10000000000000000'), undefined);
  assert.equal(parseNumber('nested'), undefined);
});

void test('0x0000200a reads as VM_ENTRY_MSR_LOAD_ADDR with its decoded encoding', () => {
  const [r, ...rest] = explain('0x0000200a');
  assert.equal(rest.length, 0);
  assert.equal(r.name, 'VM_ENTRY_MSR_LOAD_ADDR');
  assert.equal(r.kind, 'vmcs_field');
  assert.deepEqual(r.decoded, { encoding: '0x200A', access: 'full', index: '5', type: 'control', width: '64-bit' });
  assert.ok(r.related.includes('VM_ENTRY_MSR_LOAD_COUNT'));
});

void test('0x48B reads as MSR_IA32_VMX_PROCBASED_CTLS2', () => {
  assert.deepEqual(explain('0x48B').map(r => [r.name, r.kind]), [['MSR_IA32_VMX_PROCBASED_CTLS2', 'msr']]);
});

void test('0x80000021 has several readings, all listed', () => {
  const names = explain('0x80000021').map(r => r.name);
  assert.ok(names.includes('EXIT_REASON_INVALID_STATE | VMX_EXIT_REASONS_FAILED_VMENTRY'), names.join());
  assert.ok(names.includes('VMXON_CR0_ALWAYSON'));
  assert.ok(names.length >= 3);
});

void test('a CR0 value splits into its named bits', () => {
  const r = explain('0x80050033');
  assert.equal(r.length, 1);
  assert.equal(r[0].name, 'X86_CR0_PG | X86_CR0_AM | X86_CR0_WP | X86_CR0_NE | X86_CR0_ET | X86_CR0_MP | X86_CR0_PE');
});

void test('an unnamed but well-formed VMCS encoding is still decoded', () => {
  const r = explain('0x2040').find(x => x.kind === 'vmcs_field');
  assert.equal(r?.decoded?.index, '32');
  assert.equal(r?.decoded?.width, '64-bit');
});

void test('masks next to CR3 read as the LAM bits', () => {
  assert.equal(explain('BIT_ULL(62)')[0].name, 'X86_CR3_LAM_U48');
  assert.equal(explain('1ULL << 61')[0].name, 'X86_CR3_LAM_U57');
  assert.equal(explain('CR3 bit 61')[0].name, 'X86_CR3_LAM_U57');
  const at = (line: string, word: string) => explainAt(line, line.indexOf(word))?.readings.map(r => r.name);
  assert.deepEqual(at('\tif (cr3 & BIT_ULL(62))', '62'), ['X86_CR3_LAM_U48']);
  assert.deepEqual(at('\tvcpu->arch.cr3 & (1ULL << 61)', '61'), ['X86_CR3_LAM_U57']);
  assert.deepEqual(at('LAM uses CR3.LAM_U48 (bit 62) and CR3.LAM_U57 (bit 61)', '62'), ['X86_CR3_LAM_U48']);
  // BIT(5) next to CR4 is PAE, next to the secondary controls it is ENABLE_VPID.
  assert.deepEqual(at('if (vmcs12->host_cr4 & BIT(5))', '5'), ['X86_CR4_PAE']);
  assert.deepEqual(at('secondary_ctls_high & BIT(5)', '5'), ['SECONDARY_EXEC_ENABLE_VPID']);
});

void test('small decimal numbers read by context, and not at all without one', () => {
  assert.deepEqual(explain('VMfailValid 8').map(r => r.name), ['VMXERR_ENTRY_INVALID_HOST_STATE_FIELD']);
  assert.deepEqual(explain('exit reason 33').map(r => r.name), ['EXIT_REASON_INVALID_STATE']);
  assert.deepEqual(explain('qualification 4').map(r => r.name), ['ENTRY_FAIL_VMCS_LINK_PTR']);
  assert.deepEqual(explain('abort 4').map(r => r.name), ['VMX_ABORT_LOAD_HOST_MSR_FAIL']);
  assert.equal(explainAt('[PATCH 4/4] KVM: nVMX', 7), undefined);
  assert.deepEqual(explainAt('nested_vmx_run -> VMfailValid 8', 30)?.readings.map(r => r.name), ['VMXERR_ENTRY_INVALID_HOST_STATE_FIELD']);
});

void test('KVM ioctl numbers and x2APIC MSR indexes are decoded even without a name', () => {
  const io = explain('0xC010AE99').find(r => r.kind === 'ioctl');
  assert.deepEqual(io?.decoded, { type: '0xAE', nr: '0x99', direction: 'read/write (_IOWR)', size: '16' });
  assert.equal(explain('0xC008AE05')[0].name, 'KVM_GET_SUPPORTED_CPUID');
  const x2 = explain('0x830').find(r => r.kind === 'msr');
  assert.equal(x2?.decoded?.apicOffset, '0x300');
  assert.equal(explain('0x1B').some(r => r.name.startsWith('x2APIC')), false);
});
