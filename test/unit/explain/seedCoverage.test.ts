// Coverage, measured on the five real seed mails: every KVM/VMX-specific identifier and number in
// them (diff lines and prose) must resolve in the model. What is not KVM-specific is listed below,
// by category, so the list can be reviewed; plain prose words (lower-case, no underscore or digit)
// are English by rule. A second table pins readings of words in context (hover positions).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explain, explainAt, suggest } from '../../../src/explain';
import { SEED_IDS, seedText, type SeedId } from '../seeds';

/** Identifiers and numbers in the seeds that are deliberately NOT resolved, by category. */
const EXCLUDED: Record<string, string[]> = {
  'C keywords, attributes and kernel generic types': ['NULL', 'u32', 'u64', '__u32', '__u64', '__user', '__init', '__read_mostly', '__always_inline', 'S_IRUGO'],
  'kernel generic helpers and errno names': ['ARRAY_SIZE', 'container_of', 'pr_warn_once', 'module_param_named', 'PAGE_SHIFT', 'EINVAL', 'EIO', 'EOPNOTSUPP'],
  'architecture names': ['x86', 'ia64'],
  'local variables and parameters of the quoted code': ['_cpu_based_2nd_exec_control', '_cpu_based_exec_control', '_vmentry_control', '_vmexit_control',
    'ctl_min', 'ctl_opt', 'min2', 'opt2', 'n_ctrl', 'x_ctrl', 'vmx_msr_low', 'vmx_msr_high', 'vmcs_conf', 'vmx_cap', 'root_gfn', 'root_pgd', 'evmcs_gpa',
    'kvm_state', 'user_kvm_nested_state', 'user_vmx_nested_state', 'tertiary_exec'],
  'file and module names': ['kvm_cache_regs', 'kvm_host', 'kvm_intel'],
  'declarations that only appear as hunk context': ['x86_intercept_stage', 'kvm_kernel_irq_routing_entry'],
  'general virtualization vocabulary (not a kernel name)': ['CPU', 'VM', 'VMX', 'SVM', 'KVM', 'MMU', 'TLB', 'GPA', 'GFN', 'PGD', 'SP', 'MSR', 'L0', 'L1', 'L2',
    'VMENTER', 'VMEXIT', 'SPT02', 'VMCB12', 'VP', 'HOST', 'CAP', 'ID', 'ABI'],
  'mail artifacts: times, acronyms, archive footer, ids, versions, emphasis, fragments': ['AM', 'PM', 'EST', 'UTC', 'IMHO', 'LGTM', 'PATCH', 'ARM', 'SCSI',
    'USB', 'XFree86', 'VS', 'Y8cTMnyBzNdO5dY3', 'b739e', 'd2744', 'v2', 'v3', 'v7', '_active_', '_could_', '_think_', 'LAM_', 'p_andnot_wp'],
};
const EXCLUDED_SET = new Set(Object.values(EXCLUDED).flat());

/** Typos in the mails: they do not resolve, but "did you mean" must offer the right name. */
const TYPOS: Record<string, string> = { GUES_CR3: 'GUEST_CR3', nested_vm_exit: 'nested_vmx_vmexit' };

/** A token that looks like code rather than English: underscore, letters mixed with digits, all capitals, hex. */
function codeLike(t: string): boolean {
  return /_/.test(t) || (/\d/.test(t) && /[A-Za-z]/.test(t)) || /^[A-Z]{2,}$/.test(t) || /^0x/i.test(t);
}
/** Git object ids (index lines, base-commit) are not names. */
function isGitId(t: string): boolean { return /^[0-9a-f]{7,40}$/.test(t) && /\d/.test(t); }

function tokensOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/0[xX][0-9a-fA-F]+|\b\d[0-9A-F]*H\b|[A-Za-z_]\w*/g)) {
    const t = m[0];
    if ((codeLike(t) || /^\d[0-9A-F]*H$/.test(t)) && !isGitId(t)) out.add(t);
  }
  return out;
}

for (const id of SEED_IDS) {
  void test(`seed ${id}: every KVM/VMX identifier and number resolves`, t => {
    const text = seedText(id, t);
    if (!text) return;
    const unresolved = [...tokensOf(text)].filter(tok => !EXCLUDED_SET.has(tok) && !(tok in TYPOS) && explain(tok).length === 0);
    assert.deepEqual(unresolved, [], `unresolved in seed ${id}`);
  });
}

void test('the exclusion list only names tokens that occur in the seeds and do not resolve', t => {
  const all = new Set<string>();
  for (const id of SEED_IDS) {
    const text = seedText(id, t);
    if (!text) return;
    for (const tok of tokensOf(text)) all.add(tok);
  }
  const stale = [...EXCLUDED_SET].filter(tok => !all.has(tok));
  assert.deepEqual(stale, [], 'excluded but absent from the seeds');
  const resolving = [...EXCLUDED_SET].filter(tok => explain(tok).length > 0);
  assert.deepEqual(resolving, [], 'excluded but the model knows them: drop them from the list');
});

void test('typos in the mails get the intended name as first suggestion', () => {
  for (const [typo, meant] of Object.entries(TYPOS)) {
    assert.equal(explain(typo).length, 0, typo);
    assert.equal(suggest(typo)[0], meant, typo);
  }
});

/** [seed, text on the line, word on that line, expected first reading]. */
const IN_CONTEXT: [SeedId, string, string, string][] = [
  ['000', 'LAM uses CR3.LAM_U48 (bit 62)', '62', 'X86_CR3_LAM_U48'],
  ['000', 'and CR3.LAM_U57 (bit 61)', '61', 'X86_CR3_LAM_U57'],
  ['000', '-> nested_vmx_load_cr3()', 'nested_vmx_load_cr3', 'nested_vmx_load_cr3'],
  ['000', 'root_gfn = (root_pgd & __PT_BASE_ADDR_MASK)', '__PT_BASE_ADDR_MASK', '__PT_BASE_ADDR_MASK'],
  ['000', "VMCS12's HOST_CR3", 'HOST_CR3', 'HOST_CR3'],
  ['000', "'cr3_ctrl_bits' in kvm_vcpu_arch", 'cr3_ctrl_bits', 'kvm_vcpu_arch.cr3_ctrl_bits'],
  ['001', 'VM_ENTRY_MSR_LOAD_ADDR          = 0x0000200a', '0x0000200a', 'VM_ENTRY_MSR_LOAD_ADDR'],
  ['001', 'VM_EXIT_MSR_STORE_COUNT         = 0x0000400e', '0x0000400e', 'VM_EXIT_MSR_STORE_COUNT'],
  ['001', '(index 48BH)', '48BH', 'MSR_IA32_VMX_PROCBASED_CTLS2'],
  ['001', 'return vmcs_config.vmentry_ctrl & VM_ENTRY_LOAD_IA32_EFER;', 'vmentry_ctrl', 'vmcs_config.vmentry_ctrl'],
  ['001', 'ARRAY_SIZE(vmcs_entry_exit_pairs)', 'vmcs_entry_exit_pairs', 'vmcs_entry_exit_pairs'],
  ['002', '#define KVM_POSSIBLE_CR0_GUEST_BITS X86_CR0_TS', 'KVM_POSSIBLE_CR0_GUEST_BITS', 'KVM_POSSIBLE_CR0_GUEST_BITS'],
  ['002', 'vcpu->arch.cr0_guest_owned_bits = vmx_l1_guest_owned_cr0_bits();', 'vmx_l1_guest_owned_cr0_bits', 'vmx_l1_guest_owned_cr0_bits'],
  ['002', 'module_param_named(ept, enable_ept, bool, S_IRUGO);', 'enable_ept', 'ept'],
  ['003', 'kvm_make_request(KVM_REQ_GET_NESTED_STATE_PAGES, vcpu);', 'KVM_REQ_GET_NESTED_STATE_PAGES', 'KVM_REQ_GET_NESTED_STATE_PAGES'],
  ['003', 'kvm_state.hdr.vmx.evmcs_pa = vmx->nested.hv_evmcs_vmptr;', 'hv_evmcs_vmptr', 'nested_vmx.hv_evmcs_vmptr'],
  ['003', 'kvm_state.flags |= KVM_STATE_NESTED_EVMCS;', 'KVM_STATE_NESTED_EVMCS', 'KVM_STATE_NESTED_EVMCS'],
  ['004', 'union kvm_mmu_page_role {', 'kvm_mmu_page_role', 'kvm_mmu_page_role'],
  ['004', 'union kvm_mmu_extended_role {', 'kvm_mmu_extended_role', 'kvm_mmu_extended_role'],
  ['004', 'kvm_register_mark_available(vcpu, VCPU_EXREG_CR3);', 'VCPU_EXREG_CR3', 'VCPU_EXREG_CR3'],
];

void test('words in their seed lines read as the expected entity', t => {
  for (const [id, lineText, word, expected] of IN_CONTEXT) {
    const text = seedText(id, t);
    if (!text) return;
    const line = text.split(/\r?\n/).find(l => l.includes(lineText));
    assert.ok(line, `seed ${id}: no line with "${lineText}"`);
    const at = explainAt(line, line.indexOf(word, line.indexOf(lineText)));
    assert.equal(at?.text, word, `seed ${id}: word at "${word}"`);
    assert.equal(at?.readings[0]?.name, expected, `seed ${id}: "${word}" in "${lineText}"`);
  }
});
