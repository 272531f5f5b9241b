// Witnesses written as tests in the style of the suite a reviewer would ask the author to extend
// (`kvm-review diverge --as-test kvm-unit-tests|selftest`, the panel's "Write as test"):
//   kvm-unit-tests x86/vmx_tests.c: save the fields, write the witness's values with vmcs_write /
//   vmcs_set_bits / vmcs_clear_bits, launch with test_vmx_vmlaunch(expected VM-instruction error) or
//   the guest-state helpers, report under report_prefix_pushf, restore;
//   KVM selftests: the vCPU / nested-state setup (set_default_vmx_state, vcpu_nested_state_set via
//   test_nested_state*, L1 code with vmwrite/vmlaunch) and the expected result.
// The expected result is the "after" side (what the patched kernel must do); the "before" side is
// written as a comment. Inputs a test cannot set from inside (host capability MSRs, module
// parameters, L1 CPUID) become the configuration the test needs, as comments. Pure; the text is
// generated from the witness only (no kernel or test-suite code is copied).
import type { Delta, SideRun, Witness } from './divergeTypes';

export type TestSuite = 'kvm-unit-tests' | 'selftest';

export const TEST_SUITES: readonly TestSuite[] = ['kvm-unit-tests', 'selftest'];

/** kvm-unit-tests' names for kernel VMCS field and control-bit names (lib x86/vmx.h), where they differ. */
const KUT_NAMES: Record<string, string> = {
  PIN_BASED_VM_EXEC_CONTROL: 'PIN_CONTROLS', CPU_BASED_VM_EXEC_CONTROL: 'CPU_EXEC_CTRL0', SECONDARY_VM_EXEC_CONTROL: 'CPU_EXEC_CTRL1',
  VM_ENTRY_CONTROLS: 'ENT_CONTROLS', VM_EXIT_CONTROLS: 'EXI_CONTROLS', VM_ENTRY_MSR_LOAD_COUNT: 'ENT_MSR_LD_CNT',
  VM_ENTRY_MSR_LOAD_ADDR: 'ENTER_MSR_LD_ADDR', VM_EXIT_MSR_LOAD_COUNT: 'EXI_MSR_LD_CNT', VM_EXIT_MSR_LOAD_ADDR: 'EXIT_MSR_LD_ADDR',
  VM_EXIT_MSR_STORE_COUNT: 'EXI_MSR_ST_CNT', VM_EXIT_MSR_STORE_ADDR: 'EXIT_MSR_ST_ADDR', VMCS_LINK_POINTER: 'VMCS_LINK_PTR',
  EPT_POINTER: 'EPTP', CR0_GUEST_HOST_MASK: 'CR0_MASK', CR4_GUEST_HOST_MASK: 'CR4_MASK', VM_ENTRY_INTR_INFO_FIELD: 'ENT_INTR_INFO',
  GUEST_IA32_EFER: 'GUEST_EFER', HOST_IA32_EFER: 'HOST_EFER', GUEST_IA32_PAT: 'GUEST_PAT', HOST_IA32_PAT: 'HOST_PAT',
  GUEST_IA32_PERF_GLOBAL_CTRL: 'GUEST_PERF_GLOBAL_CTRL', HOST_IA32_PERF_GLOBAL_CTRL: 'HOST_PERF_GLOBAL_CTRL',
  APIC_ACCESS_ADDR: 'APIC_ACCS_ADDR', VIRTUAL_APIC_PAGE_ADDR: 'APIC_VIRT_ADDR', POSTED_INTR_DESC_ADDR: 'POSTED_INTR_DESC_ADDR',
  VM_ENTRY_IA32E_MODE: 'ENT_GUEST_64', VM_ENTRY_LOAD_IA32_EFER: 'ENT_LOAD_EFER', VM_ENTRY_LOAD_IA32_PAT: 'ENT_LOAD_PAT',
  VM_ENTRY_LOAD_IA32_PERF_GLOBAL_CTRL: 'ENT_LOAD_PERF', VM_ENTRY_LOAD_BNDCFGS: 'ENT_LOAD_BNDCFGS',
  VM_EXIT_HOST_ADDR_SPACE_SIZE: 'EXI_HOST_64', VM_EXIT_LOAD_IA32_EFER: 'EXI_LOAD_EFER', VM_EXIT_SAVE_IA32_EFER: 'EXI_SAVE_EFER',
  VM_EXIT_LOAD_IA32_PAT: 'EXI_LOAD_PAT', VM_EXIT_SAVE_IA32_PAT: 'EXI_SAVE_PAT', VM_EXIT_LOAD_IA32_PERF_GLOBAL_CTRL: 'EXI_LOAD_PERF',
  CPU_BASED_ACTIVATE_SECONDARY_CONTROLS: 'CPU_SECONDARY', SECONDARY_EXEC_ENABLE_EPT: 'CPU_EPT', SECONDARY_EXEC_ENABLE_VPID: 'CPU_VPID',
  SECONDARY_EXEC_UNRESTRICTED_GUEST: 'CPU_URG', SECONDARY_EXEC_VIRTUALIZE_APIC_ACCESSES: 'CPU_VIRT_APIC_ACCESSES',
  PIN_BASED_NMI_EXITING: 'PIN_NMI', PIN_BASED_VIRTUAL_NMIS: 'PIN_VIRT_NMI', PIN_BASED_POSTED_INTR: 'PIN_POST_INTR',
};

const VMFAIL_NAMES: Record<number, string> = { 7: 'VMXERR_ENTRY_INVALID_CONTROL_FIELD', 8: 'VMXERR_ENTRY_INVALID_HOST_STATE_FIELD' };

/** What an outcome means, in a reviewer's words (for comments). */
export function outcomeText(r: SideRun): string {
  const o = r.outcome;
  const bits: string[] = [o.kind];
  for (const [k, v] of Object.entries(o)) if (k !== 'kind' && k !== 'vmcsConfig') bits.push(`${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  if (o.vmcsConfig && typeof o.vmcsConfig === 'object') {
    const c = o.vmcsConfig as Record<string, unknown>;
    bits.push(`VM_ENTRY_CONTROLS ${String(c.VM_ENTRY_CONTROLS)}, VM_EXIT_CONTROLS ${String(c.VM_EXIT_CONTROLS)}`);
  }
  if (r.warnings.length) bits.push(`warning "${r.warnings.join('"; "')}"`);
  if (r.failedCheck) bits.push(`(${r.failedCheck.id} in ${r.failedCheck.function})`);
  return bits.join(', ');
}

const ident = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 48) || 'witness';
const hexOf = (v: unknown): string => {
  if (typeof v === 'number') return `0x${v.toString(16)}`;
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
};
const cstr = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\*\//g, '* /');
const comment = (s: string): string => s.replace(/\*\//g, '* /');

/** A control-field delta `{ set: [...], clear: [...] }`, else null. */
function setClear(v: unknown): { set: string[]; clear: string[] } | null {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as { set?: unknown; clear?: unknown };
  const list = (x: unknown) => Array.isArray(x) ? x.map(String) : [];
  return { set: list(o.set), clear: list(o.clear) };
}

/** The configuration a witness needs that a test cannot set itself, as comment lines. */
function environmentNotes(changes: readonly Delta[]): string[] {
  const out: string[] = [];
  for (const d of changes) {
    const [section, ...rest] = d.path;
    const value = typeof d.value === 'object' ? JSON.stringify(d.value) : String(d.value);
    if (section === 'cpuid' && rest[0] === 'features') out.push(`L1's CPUID ${d.value ? 'with' : 'without'} ${rest[1]} (e.g. QEMU -cpu host,${d.value ? '+' : '-'}${rest[1].toLowerCase()})`);
    else if (section === 'cpuid') out.push(`L1's CPUID ${rest.join('.')} = ${value} (e.g. QEMU -cpu host,phys-bits=${value})`);
    else if (section === 'host') out.push(`a host CPU ${d.value ? 'with' : 'without'} ${rest.slice(1).join('.') || rest.join('.')}`);
    else if (section === 'params') out.push(`kvm_intel loaded with ${rest.join('.')}=${d.value === true ? 'Y' : d.value === false ? 'N' : value}`);
    else if (section === 'hostMsrs') out.push(`the host (or L0) reports ${rest.join('.')} ${value} (kvm_intel runs as L1 under an L0 that says so)`);
    else if (section === 'l1Msrs') out.push(`L1 sees ${rest.join('.')} ${value}`);
    else if (section !== 'vmcs12' && section !== 'nestedState' && section !== 'write' && section !== 'l1') out.push(`${d.path.join('.')} = ${value}`);
  }
  return out;
}

function header(w: Witness, index: number, total: number, pathId: string, suite: string): string[] {
  const changes = w.changes.length ? w.changes.map(c => c.label).join('; ') : 'the starting scenario itself';
  const env = environmentNotes(w.changes);
  return [
    '/*',
    ` * Witness ${index + 1} of ${total} (kvm-review diverge --path ${pathId} --as-test ${suite}),`,
    ` * ${w.count} diverging scenario${w.count === 1 ? '' : 's'} in its class: ${comment(changes)}.`,
    ` * Before the patch: ${comment(outcomeText(w.before))}.`,
    ` * After the patch:  ${comment(outcomeText(w.after))}.`,
    ` * Decided at ${comment(w.decidedAt)}.`,
    ...(env.length ? [' * Needs:', ...env.map(e => ` *   - ${comment(e)}`)] : []),
    ' */',
  ];
}

/** The kvm-unit-tests launch line and report for an expected (after) outcome on nested-vmentry. */
function kutExpect(after: SideRun, lastField: string | null, lastValue: string): string[] {
  const o = after.outcome;
  switch (o.kind) {
    case 'entered': return ['\ttest_vmx_vmlaunch(0);'];
    case 'vmfail-valid': {
      const n = Number(o.vmInstructionError);
      return [`\ttest_vmx_vmlaunch(${VMFAIL_NAMES[n] ?? n});`];
    }
    case 'vmfail-invalid': return ['\treport(!vmlaunch(), "VMLAUNCH fails with VMfailInvalid");'];
    case 'entry-failure-vmexit': {
      const reason = Number(o.exitReason) & 0xffff;
      const fail = reason === 34 ? 'VMX_FAIL_MSR' : 'VMX_FAIL_STATE';
      return ['\tenter_guest_with_invalid_guest_state();',
        `\treport_guest_state_test("${cstr(lastField ?? 'guest state')}", VMX_ENTRY_FAILURE | ${fail}, ${lastValue}, "${cstr(lastField ?? 'state')}");`];
    }
    default: return [`\t/* expected: ${comment(outcomeText(after))}; no kvm-unit-tests helper observes this from L1 */`, '\treport_skip("not observable from L1");'];
  }
}

function kvmUnitTest(w: Witness, index: number, total: number, pathId: string): string {
  const name = `test_witness_${index + 1}_${ident(w.changes.map(c => c.path[c.path.length - 1]).join('_') || pathId)}`;
  const lines = [...header(w, index, total, pathId, 'kvm-unit-tests'), `static void ${name}(void)`, '{'];
  const saves: string[] = [], body: string[] = [], restores: string[] = [];
  let lastField: string | null = null, lastValue = '0';
  for (const d of w.changes) {
    if (d.path[0] !== 'vmcs12') continue;
    const field = KUT_NAMES[d.path[1]] ?? d.path[1];
    const saved = `saved_${ident(field)}`;
    saves.push(`\tu64 ${saved} = vmcs_read(${field});`);
    restores.push(`\tvmcs_write(${field}, ${saved});`);
    const sc = setClear(d.value);
    if (sc) {
      if (sc.set.length) body.push(`\tvmcs_set_bits(${field}, ${sc.set.map(b => KUT_NAMES[b] ?? b).join(' | ')});`);
      if (sc.clear.length) body.push(`\tvmcs_clear_bits(${field}, ${sc.clear.map(b => KUT_NAMES[b] ?? b).join(' | ')});`);
    } else body.push(`\tvmcs_write(${field}, ${hexOf(d.value)}ull);`);
    lastField = field; lastValue = sc ? `vmcs_read(${field})` : `${hexOf(d.value)}ull`;
  }
  if (pathId !== 'nested-vmentry') {
    lines.push(`\t/* The ${pathId} path is not driven by a VMLAUNCH from L1: run this scenario with a KVM selftest (--as-test selftest). */`,
      `\treport_skip("${cstr(pathId)}: not a VM-entry test");`, '}');
    return lines.join('\n');
  }
  const prefix = w.changes.filter(c => c.path[0] === 'vmcs12').map(c => c.label).join(', ') || 'default vmcs12';
  lines.push(...saves, ...(saves.length ? [''] : []), `\treport_prefix_pushf("${cstr(prefix)}");`, ...body, ...kutExpect(w.after, lastField, lastValue),
    '\treport_prefix_pop();', ...(restores.length ? ['', ...restores] : []), '}');
  return lines.join('\n');
}

function nestedStateLine(d: Delta): string[] {
  const key = d.path[1];
  const v = d.value;
  if (key === 'flags') {
    const names = Array.isArray(v) ? v.map(String) : [hexOf(v)];
    return [`\tstate->flags = ${names.join(' | ') || '0'};`];
  }
  const member: Record<string, string> = {
    vmxon_pa: 'hdr.vmx.vmxon_pa', vmcs12_pa: 'hdr.vmx.vmcs12_pa', evmcs_pa: 'hdr.vmx.evmcs_pa', format: 'format', size: 'size',
    smm_flags: 'hdr.vmx.smm.flags', vmx_flags: 'hdr.vmx.flags',
  };
  const text = typeof v === 'string' && /^0x[f]{16}$/i.test(v) ? '-1ull' : `${hexOf(v)}${typeof v === 'string' ? 'ull' : ''}`;
  return [`\tstate->${member[key] ?? key} = ${text};`];
}

function selftest(w: Witness, index: number, total: number, pathId: string): string {
  const name = `test_witness_${index + 1}_${ident(w.changes.map(c => c.path[c.path.length - 1]).join('_') || pathId)}`;
  const lines = header(w, index, total, pathId, 'selftest');
  const after = w.after.outcome;
  if (pathId === 'set-nested-state') {
    lines.push('/* For x86_64/vmx_set_nested_state_test.c: uses its set_default_vmx_state() and test_nested_state*() helpers. */',
      `static void ${name}(struct kvm_vcpu *vcpu)`, '{',
      '\tint state_sz = sizeof(struct kvm_nested_state) + getpagesize();',
      '\tstruct kvm_nested_state *state = calloc(1, state_sz);', '',
      '\tTEST_ASSERT(state, "-ENOMEM when allocating kvm state");',
      '\tset_default_vmx_state(state, state_sz);');
    for (const d of w.changes) if (d.path[0] === 'nestedState') lines.push(...nestedStateLine(d));
    if (after.kind === 'ok') lines.push('\ttest_nested_state(vcpu, state);');
    else if (after.kind === 'error' && after.errno === 'EINVAL') lines.push('\ttest_nested_state_expect_einval(vcpu, state);');
    else if (after.kind === 'error') lines.push(`\ttest_nested_state_expect_errno(vcpu, state, ${String(after.errno)});`);
    else lines.push(`\t/* expected: ${comment(outcomeText(w.after))} */`, '\ttest_nested_state(vcpu, state);');
    lines.push('\tfree(state);', '}');
    return lines.join('\n');
  }
  if (pathId === 'cr0-write' || pathId === 'cr3-write') {
    const reg = pathId === 'cr0-write' ? 'cr0' : 'cr3';
    const write = w.changes.find(d => d.path[0] === 'write' && d.path[1] === reg)?.value;
    const from = w.changes.find(d => d.path[0] === 'l1' && d.path[1] === reg)?.value;
    const intercepted = after.intercepted === true;
    lines.push(`static void ${name}_guest(void)`, '{',
      ...(from !== undefined ? [`\tset_${reg}(${hexOf(from)}ul);`] : []),
      '\tGUEST_SYNC(0);',
      `\tset_${reg}(${write !== undefined ? `${hexOf(write)}ul` : `get_${reg}()`});`,
      '\tGUEST_SYNC(1);',
      '\tGUEST_DONE();', '}', '',
      `static void ${name}(void)`, '{',
      '\tstruct kvm_vcpu *vcpu;',
      `\tstruct kvm_vm *vm = vm_create_with_one_vcpu(&vcpu, ${name}_guest);`,
      '\tuint64_t exits;', '',
      '\tvcpu_run(vcpu);',
      '\tTEST_ASSERT_EQ(get_ucall(vcpu, NULL), UCALL_SYNC);',
      '\t/* the vCPU\'s "exits" statistic (binary stats; vcpu_get_stat() in newer selftests) */',
      '\texits = vcpu_get_stat(vcpu, exits);',
      '\tvcpu_run(vcpu);',
      '\tTEST_ASSERT_EQ(get_ucall(vcpu, NULL), UCALL_SYNC);',
      `\t/* before the patch the write was ${w.before.outcome.intercepted ? '' : 'not '}intercepted; after it, ${intercepted ? 'it is' : 'it is not'} */`,
      `\tTEST_ASSERT(vcpu_get_stat(vcpu, exits) ${intercepted ? '>' : '=='} exits + 1,`,
      `\t\t    "MOV to ${reg.toUpperCase()} should ${intercepted ? '' : 'not '}cause a VM-exit (exits %lu -> %lu)", exits, vcpu_get_stat(vcpu, exits));`,
      '\tkvm_vm_free(vm);', '}');
    return lines.join('\n');
  }
  if (pathId === 'module-load') {
    const warn = w.after.warnings[0];
    lines.push(`/* kvm_intel's load cannot be driven from a selftest: a shell check for the L1 (kvm_intel running under an L0 configured as above). */`,
      `static const char *${name}_script =`,
      '\t"modprobe -r kvm_intel && modprobe kvm_intel; echo rc=$?\\n"',
      ...(warn ? [`\t"dmesg | grep -F \\"${cstr(warn.replace(/ = .*/, ''))}\\"\\n"`] : []),
      `\t/* expected after the patch: ${comment(outcomeText(w.after))} */;`);
    return lines.join('\n');
  }
  // nested-vmentry / nested-vmexit: L1 code with the selftests' VMX helpers
  lines.push(`static void ${name}_l2(void)`, '{', '\tvmcall();', '}', '',
    `static void ${name}_l1(struct vmx_pages *vmx_pages)`, '{',
    '#define L2_GUEST_STACK_SIZE 64',
    '\tunsigned long l2_guest_stack[L2_GUEST_STACK_SIZE];', '',
    '\tGUEST_ASSERT(prepare_for_vmx_operation(vmx_pages));',
    '\tGUEST_ASSERT(load_vmcs(vmx_pages));',
    `\tprepare_vmcs(vmx_pages, ${name}_l2, &l2_guest_stack[L2_GUEST_STACK_SIZE]);`);
  for (const d of w.changes) {
    if (d.path[0] !== 'vmcs12') continue;
    const sc = setClear(d.value);
    if (sc) {
      if (sc.set.length) lines.push(`\tvmwrite(${d.path[1]}, vmreadz(${d.path[1]}) | ${sc.set.join(' | ')});`);
      if (sc.clear.length) lines.push(`\tvmwrite(${d.path[1]}, vmreadz(${d.path[1]}) & ~(${sc.clear.join(' | ')}));`);
    } else lines.push(`\tvmwrite(${d.path[1]}, ${hexOf(d.value)}ull);`);
  }
  if (after.kind === 'vmfail-valid') {
    lines.push('\tGUEST_ASSERT(vmlaunch());', `\tGUEST_ASSERT_EQ(vmreadz(VM_INSTRUCTION_ERROR), ${Number(after.vmInstructionError)});`);
  } else if (after.kind === 'vmfail-invalid') {
    lines.push('\tGUEST_ASSERT(vmlaunch());', '\t/* VMfailInvalid: CF set, no VM-instruction error */');
  } else if (after.kind === 'entry-failure-vmexit') {
    lines.push('\tGUEST_ASSERT(!vmlaunch());', `\tGUEST_ASSERT_EQ(vmreadz(VM_EXIT_REASON), ${String(after.exitReason)});`);
  } else if (after.kind === 'entered') {
    lines.push('\tGUEST_ASSERT(!vmlaunch());', '\tGUEST_ASSERT_EQ(vmreadz(VM_EXIT_REASON), EXIT_REASON_VMCALL);');
  } else lines.push(`\t/* expected: ${comment(outcomeText(w.after))} */`);
  lines.push('\tGUEST_DONE();', '}');
  return lines.join('\n');
}

/** All witnesses as one text in the suite's style. */
export function witnessesAsTests(suite: TestSuite, pathId: string, witnesses: readonly Witness[]): string {
  if (!witnesses.length) return `/* kvm-review diverge --path ${pathId}: no scenario where the patch changes the outcome, so no test to write. */\n`;
  const write = suite === 'kvm-unit-tests' ? kvmUnitTest : selftest;
  const parts = witnesses.map((w, i) => write(w, i, witnesses.length, pathId));
  if (suite === 'kvm-unit-tests' && pathId === 'nested-vmentry') {
    parts.push(`/* Run from a v2 test of x86/vmx_tests.c, e.g. next to test_vmx_vmlaunch() users:\n${witnesses.map((w, i) => ` *\ttest_witness_${i + 1}_${ident(w.changes.map(c => c.path[c.path.length - 1]).join('_') || pathId)}();`).join('\n')}\n */`);
  }
  return parts.join('\n\n') + '\n';
}
