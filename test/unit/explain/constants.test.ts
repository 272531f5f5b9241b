// Every row of the reference constants table resolves through explain() with its kind and value,
// and the derived facts (encodings, bit numbers, nested exposure) agree with the values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { explain, decodeVmcsEncoding, isModeledFunction, allNames } from '../../../src/explain';
import { CONSTANT_ROWS } from '../../../src/knowledge/constants';
import { splitTableName } from '../../../src/explain/entities';

const TSV = path.resolve(__dirname, '../../../../shared/reference/constants.tsv');

void test('every constants.tsv row is explained with the same kind and value', t => {
  if (!fs.existsSync(TSV)) { t.skip(`${TSV} absent`); return; }
  const rows = fs.readFileSync(TSV, 'utf8').trim().split('\n').slice(1).map(l => l.split('\t'));
  assert.equal(rows.length, 632);
  const missing: string[] = [];
  for (const [raw, kind, value] of rows) {
    const { name } = splitTableName(raw);
    const readings = explain(name);
    const hit = readings.find(r => r.kind === kind && r.value !== undefined && BigInt(r.value) === BigInt(value));
    if (!hit) missing.push(`${raw} (${kind} ${value}): got ${readings.map(r => `${r.kind} ${r.value}`).join(', ') || 'nothing'}`);
  }
  assert.deepEqual(missing, []);
});

void test('every constant has a summary, a kernel file and a source', () => {
  for (const [raw] of CONSTANT_ROWS) {
    const r = explain(splitTableName(raw).name)[0];
    assert.ok(r.summary.length > 10, `${raw}: summary`);
    assert.ok(r.kernelFiles.length > 0, `${raw}: kernel file`);
    assert.ok(r.source, `${raw}: source`);
  }
});

void test('table names with a kvm-unit-tests alias resolve under both names', () => {
  assert.equal(explain('VMX_SMI_IO')[0].name, 'EXIT_REASON_SMI_IO');
  assert.equal(explain('EXIT_REASON_SMI_IO')[0].value, '0x5');
  assert.equal(explain('KVM_VM_CR0_ALWAYS_ON')[0].value, '0x80000021');
});

void test('every VMCS field of the table decodes as a valid encoding whose width matches its description', () => {
  const widths: Record<string, string> = { '16-bit': '16-bit', '32-bit': '32-bit', '64-bit': '64-bit', 'natural-width': 'natural-width' };
  for (const [name, kind, value, , meaning] of CONSTANT_ROWS) {
    if (kind !== 'vmcs_field') continue;
    const enc = decodeVmcsEncoding(BigInt(value));
    assert.ok(enc, `${name} ${value} decodes`);
    const described = Object.keys(widths).find(w => meaning.startsWith(w));
    if (described) assert.equal(enc!.width, described, `${name} width`);
    assert.equal(enc!.access, /_HIGH$/.test(name) ? 'high' : 'full', `${name} access`);
  }
});

void test('control bits carry their bit number, control field and whether L1 gets them', () => {
  const efer = explain('VM_EXIT_LOAD_IA32_EFER')[0];
  assert.equal(efer.decoded?.bit, '21');
  assert.equal(efer.decoded?.field, 'VM_EXIT_CONTROLS');
  assert.equal(efer.decoded?.exposedToL1, 'yes');
  assert.match(efer.sdm, /25\.7\.1/);
  assert.equal(explain('SECONDARY_EXEC_MODE_BASED_EPT_EXEC')[0].decoded?.exposedToL1, 'no');
  assert.equal(explain('SECONDARY_EXEC_ENABLE_EPT')[0].decoded?.exposedToL1, 'conditional');
});

void test('functions named in the reference call paths are all modeled', () => {
  // kvm-nested-vmx.md §10, the ten call paths.
  const onPaths = ['handle_vmlaunch', 'handle_vmresume', 'nested_vmx_run', 'nested_vmx_check_controls', 'nested_vmx_check_address_space_size',
    'nested_vmx_check_host_state', 'nested_vmx_enter_non_root_mode', 'prepare_vmcs02_early', 'nested_get_vmcs12_pages', 'nested_vmx_check_vmentry_hw',
    'nested_vmx_check_guest_state', 'prepare_vmcs02', 'nested_vmx_load_cr3', 'kvm_init_mmu', 'kvm_mmu_new_pgd', 'nested_vmx_load_msr',
    'load_vmcs12_host_state', '__vmx_handle_exit', 'nested_vmx_reflect_vmexit', 'nested_vmx_vmexit', 'sync_vmcs02_to_vmcs12', 'prepare_vmcs12',
    'nested_vmx_store_msr', 'vmx_switch_vmcs', 'vmx_set_efer', 'vmx_set_cr0', 'vmx_set_cr4', 'nested_ept_uninit_mmu_context', 'nested_vmx_fail',
    'nested_vmx_restore_host_state', 'kvm_mmu_reset_context', 'vmx_init', 'kvm_x86_vendor_init', 'vmx_hardware_setup', 'setup_vmcs_config',
    'adjust_vmx_controls', 'adjust_vmx_controls64', 'nested_vmx_setup_ctls_msrs', 'vmx_check_processor_compat', 'handle_cr', 'handle_set_cr0',
    'kvm_set_cr0', 'kvm_is_valid_cr0', 'vmx_is_valid_cr0', 'kvm_post_set_cr0', 'permission_fault', 'kvm_mmu_refresh_passthrough_bits',
    '__kvm_mmu_refresh_passthrough_bits', 'kvm_arch_vcpu_ioctl', 'vmx_set_nested_state', 'vmx_leave_nested', 'enter_vmx_operation',
    'set_current_vmptr', 'vcpu_enter_guest', 'vmx_get_nested_state_pages', 'nested_get_evmcs_page', 'nested_vmx_handle_enlightened_vmptrld',
    'kvm_set_cr3', 'kvm_is_valid_sregs', 'kvm_vcpu_is_legal_cr3', 'mmu_alloc_shadow_roots', 'vmx_load_mmu_pgd', 'vmx_get_nested_state'];
  const missing = onPaths.filter(f => !isModeledFunction(f));
  assert.deepEqual(missing, []);
  assert.equal(isModeledFunction('VM_EXIT_LOAD_IA32_EFER'), false);
  assert.equal(isModeledFunction('no_such_function'), false);
});

void test('macros, structs and fields reviewers meet are in the model with the right kind', () => {
  const expect: [string, string][] = [
    ['cr3_ctrl_bits', 'struct_field'], ['cr0_guest_owned_bits', 'struct_field'], ['KVM_POSSIBLE_CR0_GUEST_BITS', 'cr_bit'], ['vmcs_config', 'struct'],
    ['kvm_vmx_nested_state_hdr', 'struct'], ['vmxon_pa', 'struct_field'], ['vmcs12_pa', 'struct_field'], ['preemption_timer_deadline', 'struct_field'],
    ['kvm_mmu_page_role', 'struct'], ['kvm_mmu_extended_role', 'struct'], ['smep_andnot_wp', 'struct_field'], ['has_4_byte_gpte', 'struct_field'],
    ['cr4_la57', 'struct_field'], ['vmcs_entry_exit_pairs', 'struct'], ['CC', 'macro'], ['KVM_ARCH_REQ', 'macro'], ['hv_evmcs_vmptr', 'struct_field'],
    ['vmx_l1_guest_owned_cr0_bits', 'function'], ['NVMX_VMENTRY_VMEXIT', 'macro'], ['kvm_mmu_page_role.cr0_wp', 'struct_field'],
  ];
  for (const [name, kind] of expect) assert.equal(explain(name)[0]?.kind, kind, name);
  assert.ok(allNames().length > 1000);
});
