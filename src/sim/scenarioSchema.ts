// The scenario's keys as one table (pure): the parser (scenario.ts) accepts exactly these sections
// and keys, and docs/scenario.md's key table is generated from it (a unit test fails when the doc
// is stale; `node --import tsx scripts/scenario-doc.ts` rewrites it). How each value is read stays
// in scenario.ts; what may be written, and what it means, is here.

export interface SectionSchema {
  section: string;
  /** The keys the section takes; null when its keys are names from a table (parameters, MSRs, VMCS fields). */
  keys: readonly string[] | null;
  /** What a section without fixed keys holds, in words. */
  inside?: string;
  /** Keys accepted but not listed in the doc (old spellings). */
  hidden?: readonly string[];
  meaning: string;
  /** The value with `base: "default"`. */
  default: string;
}

export const SCENARIO_SCHEMA: readonly SectionSchema[] = [
  { section: 'base', keys: null, inside: 'a preset name', meaning: 'preset: `default`, `no-lam`, `ept-off`, `old-cpu`, `inconsistent-entry-exit`, `ept-cap-without-ept`, `guest-toggles-wp`, `hyperv-evmcs`', default: '`default`' },
  { section: 'params', keys: null, inside: 'parameter names', meaning: 'kvm_intel/kvm module parameters (`ept`, `vpid`, `unrestricted_guest`, `eptad`, `error_on_inconsistent_vmcs_config`, `nested_early_check`, ...; `enable_*` aliases accepted)', default: 'v6.12 defaults' },
  { section: 'cpuid', keys: ['maxphyaddr', 'features'], meaning: 'L1\'s CPUID: `features` are `X86_FEATURE_*` without prefix; `HYPERV` = Hyper-V CPUID, needed for eVMCS', default: '46, everything on except SMX/SVM/AUTOIBRS/FXSR_OPT/HYPERV/SGX/CET/FRED' },
  { section: 'host', keys: ['features'], meaning: 'the host CPU / KVM capabilities (e.g. `LAM`, `LA57`, `NX`, `VMX`, `SGX`)', default: 'as `cpuid`' },
  { section: 'hostMsrs', keys: null, inside: 'MSR names', meaning: 'physical VMX capability MSRs (module load; also what KVM can nest)', default: 'a recent CPU with everything' },
  { section: 'l1Msrs', keys: null, inside: 'MSR names', meaning: 'the nested capability MSRs L1 sees (relative forms apply to what KVM derives)', default: 'derived as nested_vmx_setup_ctls_msrs + CPUID updates' },
  { section: 'l1', keys: ['cr0', 'cr3', 'cr4', 'efer', 'cpl', 'vmxon', 'smm', 'guest_mode', 'current_vmptr', 'evmcs_vmptr', 'instruction', 'launched', 'mov_ss', 'interruptibility', 'pdptrs_valid', 'cs_l'], hidden: ['vmptr'],
    meaning: 'L1\'s state; `instruction` is `VMLAUNCH`/`VMRESUME`', default: 'CR0 0x80050033, CR3 0x1000, CR4 0x3726a0 (PCIDE dropped outside long mode), EFER 0xd01, VMXON, VMCS at 0x11000' },
  { section: 'vmcs12', keys: null, inside: 'VMCS field names', meaning: 'VMCS fields by name (values checked against the field width; control fields also `{set, clear}`); pseudo-fields `launch_state`, `revision_id`, `shadow_vmcs`', default: 'a valid 64-bit L2 with EPT' },
  { section: 'linkedVmcs', keys: ['revision_id', 'shadow_vmcs', 'mapped'], meaning: 'the VMCS the link pointer names', default: 'revision 0x11e57ed0, not shadow, mapped' },
  { section: 'msrLists', keys: ['VM_ENTRY_MSR_LOAD', 'VM_EXIT_MSR_LOAD', 'VM_EXIT_MSR_STORE'], meaning: 'lists of `{index, value, reserved}` (index by name or number)', default: 'empty' },
  { section: 'memory', keys: ['size'], meaning: 'guest-physical memory backed by memslots', default: '4 GiB' },
  { section: 'pmu', keys: ['nr_gp_counters', 'nr_fixed_counters', 'global_ctrl_rsvd', 'has_global_ctrl'], meaning: 'the counters, or the reserved bits of GLOBAL_CTRL directly', default: '8 GP, 3 fixed' },
  { section: 'nestedState', keys: ['flags', 'format', 'size', 'vmxon_pa', 'vmcs12_pa', 'smm_flags', 'vmx_flags', 'evmcs_pa'], hidden: ['smm', 'hdr_flags'],
    meaning: 'KVM_SET_NESTED_STATE\'s header (`evmcs_pa` accepted but v6.12 has no such field)', default: 'VMXON 0x10000, VMCS 0x11000, size 0x1080' },
  { section: 'evmcs', keys: ['enabled', 'vp_assist_enabled', 'revision_id', 'mappable'], meaning: '`enabled` is KVM_CAP_HYPERV_ENLIGHTENED_VMCS', default: 'enabled, revision 1' },
  { section: 'write', keys: ['cr0', 'cr3', 'cr4', 'efer', 'by', 'emulated', 'l2'], meaning: '`by` is `guest`/`userspace`; `emulated`: KVM emulates the MOV; `l2`: written by L2', default: 'no change, by the guest' },
  { section: 'exit', keys: ['reason', 'qualification', 'late_fail'], meaning: 'nested-vmexit: `reason` is a number or `EXIT_REASON_*`', default: 'HLT' },
];

/** Top-level keys that only describe a scenario. */
const NOTES = ['description', 'name', 'comment'];

/** Every top-level key a scenario may have. */
export const SECTIONS: readonly string[] = [...SCENARIO_SCHEMA.map(s => s.section), ...NOTES];

const BY_SECTION = new Map(SCENARIO_SCHEMA.map(s => [s.section, s]));

/** The keys a section accepts (listed and hidden). */
export function keysOf(section: string): string[] {
  const s = BY_SECTION.get(section);
  if (!s?.keys) throw new Error(`scenario section ${section} has no fixed keys`);
  return [...s.keys, ...(s.hidden ?? [])];
}

/** docs/scenario.md's key table, generated from the schema. */
export function scenarioDocTable(): string {
  const rows = SCENARIO_SCHEMA.map(s => `| \`${s.section}\` | ${s.keys ? s.keys.map(k => `\`${k}\``).join(', ') : s.inside ?? ''} | ${s.meaning} | ${s.default} |`);
  return ['| key | keys inside | meaning | default (`base: "default"`) |', '|---|---|---|---|', ...rows].join('\n') + '\n';
}
