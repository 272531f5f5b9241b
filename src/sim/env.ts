// The evaluation environment: what a check condition's names, fields and helper calls mean for a
// resolved scenario. Helpers restate KVM v6.12 semantics (file noted per group); each read of
// scenario state is recorded so the trace shows the values a check decided on.
import { type EvalEnv, type Expr, ExprError } from './expr';
import { constantValue } from '../knowledge/names';
import type { MsrEntry, World } from './scenario';
import { cr4AllowedBits, EVMCS1_LISTS, KVM_CONTROL_LISTS } from './vmxcaps';
import { kvmKnowsMsr, PARAM_ALIASES, PARAM_DEFAULTS } from '../knowledge/defaults';
import { FEATURES } from './scenario';

const M64 = (1n << 64n) - 1n;
const INVALID_GPA = M64;
const k = (n: string): bigint => constantValue(n)!;

/** Per-evaluation context: path-specific variables and where reads are recorded. */
export interface EvalContext {
  /** Path variables (the runner's, shared across evaluations). */
  vars: Record<string, bigint>;
  /** Variables of the current check only (e.g. module-load intermediate values). */
  extra: Record<string, bigint>;
  /** Locals of the current check's function (C expressions), evaluated at most once each. */
  locals: Record<string, Expr>;
  localValues: Map<string, bigint>;
  /** Where reads are recorded (null: not recorded, for fast searches). */
  record: Record<string, bigint> | null;
}

/** A World plus the derived facts helpers need, computed once per simulation. */
export interface Machine {
  w: World;
  /** Module parameters after vmx_hardware_setup trimmed them. */
  params: Record<string, boolean>;
  vmcs12: Map<string, bigint>;
}

export function machine(w: World): Machine {
  return { w, params: w.effective, vmcs12: w.vmcs12 };
}

const FEATURE_IDS = new Map<string, bigint>(FEATURES.map((f, i) => [`X86_FEATURE_${f}`, BigInt(0x10000 + i)]));
const FEATURE_BY_ID = new Map<bigint, string>(FEATURES.map((f, i) => [BigInt(0x10000 + i), f]));

function signExtend(v: bigint, bit: number): bigint {
  const sign = 1n << BigInt(bit);
  const low = v & ((sign << 1n) - 1n);
  return (low & sign) ? (low | (M64 ^ ((sign << 1n) - 1n))) : low;
}

/** Builds the interpreter environment for one evaluation. */
// The environment is built once: its helpers read the current simulation through these bindings,
// which makeEnv re-points (simulations are synchronous and never nested).
let m: Machine;
let ctx: EvalContext;
let w: World;
let n: World['nested'];
let built: EvalEnv | undefined;

export function makeEnv(machine: Machine, context: EvalContext): EvalEnv {
  m = machine; ctx = context; w = machine.w; n = machine.w.nested;
  return built ??= buildEnv();
}

function buildEnv(): EvalEnv {
  const rec = (key: string, v: bigint): bigint => { if (ctx.record) ctx.record[key] = v; return v; };
  const upper = new Map<string, string>();
  const field = (name: string): bigint => {
    const v = m.vmcs12.get(name) ?? 0n;
    if (ctx.record) {
      let key = upper.get(name);
      if (key === undefined) upper.set(name, key = name.toUpperCase());
      ctx.record[key] = v;
    }
    return v;
  };
  const guestHas = (f: string): boolean => w.guestFeatures.has(f);
  const canUse = (f: string): boolean => {
    if (f === 'VMX') return guestHas('VMX') && m.params.nested;
    return guestHas(f) && w.hostFeatures.has(f);
  };
  const lamUsable = (): boolean => { const u = canUse('LAM'); rec('guest_can_use(X86_FEATURE_LAM)', u ? 1n : 0n); return u; };
  const maxphy = (): number => { rec('cpuid.maxphyaddr', BigInt(w.maxphyaddr)); return w.maxphyaddr; };
  const legalGpa = (gpa: bigint): boolean => (gpa >> BigInt(maxphy())) === 0n;
  const legalCr3 = (cr3: bigint): boolean => legalGpa(lamUsable() ? cr3 & ~(k('X86_CR3_LAM_U48') | k('X86_CR3_LAM_U57')) : cr3);
  const pin = (): bigint => field('pin_based_vm_exec_control');
  const cpu = (): bigint => field('cpu_based_vm_exec_control');
  const has = (bit: bigint): boolean => (cpu() & bit) !== 0n;
  const has2 = (bit: bigint): boolean => has(k('CPU_BASED_ACTIVATE_SECONDARY_CONTROLS')) && (field('secondary_vm_exec_control') & bit) !== 0n;
  const l1cr4 = (): bigint => rec('vcpu->arch.cr4', w.l1.cr4);
  const canonical = (la: bigint): boolean => {
    const bits = (l1cr4() & k('X86_CR4_LA57')) ? 57 : 48;
    return signExtend(la, bits - 1) === la;
  };
  const cr4Valid = (v: bigint): boolean => {
    const fixedOk = ((v & n.cr4_fixed1) | n.cr4_fixed0) === v;
    // __kvm_is_valid_cr4: global reserved bits (host CPU) and per-vCPU reserved bits (guest CPUID).
    const allowed = cr4AllowedBits(w.guestFeatures) & cr4AllowedBits(w.hostFeatures);
    return fixedOk && (v & ~allowed & M64) === 0n;
  };
  const validEfer = (efer: bigint): boolean => {
    const allowed = k('EFER_SCE') | k('EFER_LME') | k('EFER_LMA') | (w.hostFeatures.has('NX') ? k('EFER_NX') : 0n)
      | (w.hostFeatures.has('SVM') ? k('EFER_SVME') : 0n) | (w.hostFeatures.has('FXSR_OPT') ? k('EFER_FFXSR') : 0n) | (w.hostFeatures.has('AUTOIBRS') ? k('EFER_AUTOIBRS') : 0n);
    if (efer & ~allowed & M64) return false;
    if ((efer & k('EFER_AUTOIBRS')) && !guestHas('AUTOIBRS')) return false;
    if ((efer & k('EFER_FFXSR')) && !guestHas('FXSR_OPT')) return false;
    if ((efer & k('EFER_SVME')) && !guestHas('SVM')) return false;
    if ((efer & (k('EFER_LME') | k('EFER_LMA'))) && !guestHas('LM')) return false;
    if ((efer & k('EFER_NX')) && !guestHas('NX')) return false;
    return true;
  };
  const patValid = (d: bigint): boolean => (d & 0xf8f8f8f8f8f8f8f8n) === 0n && (d | ((d & 0x0202020202020202n) << 1n)) === d;
  const msrOk = (e: MsrEntry, load: boolean): boolean => {
    // kvm_set_msr_with_filter / kvm_get_msr_with_filter fail for MSRs KVM does not emulate.
    if (!kvmKnowsMsr(e.index)) return false;
    const x2apic = false;
    if (x2apic && (e.index >> 8n) === 0x8n) return false;
    if (e.index === k('MSR_IA32_UCODE_WRITE') || e.index === k('MSR_IA32_UCODE_REV')) return false;
    if (e.reserved !== 0n) return false;
    if (load && (e.index === k('MSR_FS_BASE') || e.index === k('MSR_GS_BASE') || e.index === k('MSR_IA32_SMM_MONITOR_CTL'))) return false;
    if (!load && e.index === k('MSR_IA32_SMBASE')) return false;
    if (load && e.index === k('MSR_EFER') && !validEfer(e.value)) return false;
    if (load && e.index === k('MSR_IA32_CR_PAT') && !patValid(e.value)) return false;
    if (load && e.index >= 0x480n && e.index <= 0x493n) return false;
    return true;
  };
  const backed = (gpa: bigint, len: bigint): boolean => gpa + len <= rec('memory.size', w.memory.size);
  const msrList = (list: MsrEntry[], gpa: bigint, count: bigint, load: boolean): bigint => {
    const max = (((n.misc_low >> 25n) & 7n) + 1n) * 512n;
    for (let i = 0n; i < count; i++) {
      // An entry that cannot be read from (or, for a store list, written to) guest memory fails.
      if (i >= max || !backed(gpa + i * 16n, 16n)) { ctx.vars.failed_index = i + 1n; return rec('failed_index', i + 1n); }
      const e = list[Number(i)];
      if (e && !msrOk(e, load)) { rec(`entry[${i}].index`, e.index); ctx.vars.failed_index = i + 1n; return rec('failed_index', i + 1n); }
      if (i > 4096n) break;
    }
    return 0n;
  };
  const argName = (e: Expr | undefined): string => {
    if (!e) throw new ExprError('missing argument');
    if (e.t === 'name') return e.name;
    if (e.t === 'member') return e.path;
    if (e.t === 'unary' && e.op === '*' ) return argName(e.e);
    return '';
  };
  const feature = (e: Expr | undefined, ev: (x: Expr) => bigint): string => {
    const nm = argName(e);
    if (FEATURE_IDS.has(nm)) return nm.slice('X86_FEATURE_'.length);
    if (nm.startsWith('X86_FEATURE_')) throw new ExprError(`unknown CPU feature "${nm}"`);
    const id = ev(e!);
    const f = FEATURE_BY_ID.get(id);
    if (!f) throw new ExprError('expected an X86_FEATURE_* name');
    return f;
  };
  const b = (x: boolean): bigint => (x ? 1n : 0n);
  const sregs = (): { cr0: bigint; cr3: bigint; cr4: bigint; efer: bigint } => ({
    cr0: w.write.cr0 ?? w.l1.cr0, cr3: w.write.cr3 ?? w.l1.cr3, cr4: w.write.cr4 ?? w.l1.cr4, efer: w.write.efer ?? w.l1.efer,
  });

  const members: Record<string, () => bigint> = {
    // L1 can only be in VMX operation when KVM nests VMX (nested=1) and L1's CPUID has VMX.
    'vmx->nested.vmxon': () => rec('vmx->nested.vmxon', b(w.l1.vmxon && canUse('VMX'))),
    'vmx->nested.current_vmptr': () => rec('vmx->nested.current_vmptr', ctx.vars.current_vmptr ?? w.l1.vmptr),
    'vmx->nested.nested_run_pending': () => rec('nested_run_pending', ctx.vars.nested_run_pending ?? 1n),
    'vmx->nested.enlightened_vmcs_enabled': () => rec('vmx->nested.enlightened_vmcs_enabled', b(w.evmcs.enabled)),
    'vmx->nested.hv_evmcs_vmptr': () => rec('vmx->nested.hv_evmcs_vmptr', ctx.vars.hv_evmcs_vmptr ?? w.l1.evmptr),
    'ghc->gpa': () => INVALID_GPA,
    'vmx->fail': () => rec('vmx->fail', b(w.exit.lateFail)),
    'vcpu->arch.efer': () => rec('vcpu->arch.efer', w.l1.efer),
    'vcpu->arch.cr0': () => rec('vcpu->arch.cr0', w.l1.cr0),
    'vcpu->arch.cr3': () => rec('vcpu->arch.cr3', w.l1.cr3),
    'vcpu->arch.cr4': () => l1cr4(),
    'vcpu->arch.maxphyaddr': () => BigInt(maxphy()),
    'vcpu->arch.reserved_gpa_bits': () => rec('vcpu->arch.reserved_gpa_bits', (M64 << BigInt(w.maxphyaddr)) & M64),
    'vcpu->arch.cr3_ctrl_bits': () => rec('vcpu->arch.cr3_ctrl_bits', canUse('LAM') ? k('X86_CR3_LAM_U48') | k('X86_CR3_LAM_U57') : 0n),
    'vmcs12->hdr.revision_id': () => rec('vmcs12.hdr.revision_id', w.vmcs12Hdr.revision_id),
    'vmcs12->hdr.shadow_vmcs': () => rec('vmcs12.hdr.shadow_vmcs', w.vmcs12Hdr.shadow_vmcs),
    'vmcs12->launch_state': () => rec('vmcs12.launch_state', ctx.vars.launch_state ?? w.vmcs12Hdr.launch_state),
    'shadow_vmcs12_hdr.revision_id': () => rec('linked_vmcs.revision_id', w.linkedVmcs.revision_id),
    'shadow_vmcs12_hdr.shadow_vmcs': () => rec('linked_vmcs.shadow_vmcs', w.linkedVmcs.shadow_vmcs),
    'kvm_state->flags': () => rec('kvm_state.flags', w.nestedState.flags),
    'kvm_state->format': () => rec('kvm_state.format', w.nestedState.format),
    'kvm_state->size': () => rec('kvm_state.size', w.nestedState.size),
    'kvm_state->hdr.vmx.vmxon_pa': () => rec('kvm_state.hdr.vmx.vmxon_pa', w.nestedState.vmxon_pa),
    'kvm_state->hdr.vmx.vmcs12_pa': () => rec('kvm_state.hdr.vmx.vmcs12_pa', w.nestedState.vmcs12_pa),
    'kvm_state->hdr.vmx.smm.flags': () => rec('kvm_state.hdr.vmx.smm.flags', w.nestedState.smm_flags),
    'kvm_state->hdr.vmx.flags': () => rec('kvm_state.hdr.vmx.flags', w.nestedState.vmx_flags),
    'sregs->cr0': () => rec('sregs.cr0', sregs().cr0),
    'sregs->cr3': () => rec('sregs.cr3', sregs().cr3),
    'sregs->cr4': () => rec('sregs.cr4', sregs().cr4),
    'sregs->efer': () => rec('sregs.efer', sregs().efer),
  };

  const calls: Record<string, (a: Expr[], ev: (e: Expr) => bigint) => bigint> = {
    BIT: (a, ev) => 1n << ev(a[0]),
    BIT_ULL: (a, ev) => 1n << ev(a[0]),
    GENMASK: (a, ev) => { const h = ev(a[0]), l = ev(a[1]); return ((M64 >> (63n - h)) & (M64 << l)) & M64; },
    GENMASK_ULL: (a, ev) => { const h = ev(a[0]), l = ev(a[1]); return ((M64 >> (63n - h)) & (M64 << l)) & M64; },
    IS_ALIGNED: (a, ev) => b(ev(a[0]) % ev(a[1]) === 0n),
    PAGE_ALIGNED: (a, ev) => b((ev(a[0]) & 0xfffn) === 0n),
    likely: (a, ev) => ev(a[0]), unlikely: (a, ev) => ev(a[0]),
    // KVM's consistency-check wrapper: the value of its condition (the tracepoint is not modeled).
    CC: (a, ev) => (ev(a[0]) !== 0n ? 1n : 0n),
    sizeof: a => {
      const t = argName(a[0]).replace(/\s+/g, '');
      const sizes: Record<string, bigint> = { '*kvm_state': 128n, 'structkvm_nested_state': 128n, '*vmcs12': 4096n, 'structvmcs12': 4096n, '*shadow_vmcs12': 4096n,
        'structvmx_msr_entry': 16n, 'u64': 8n, 'u32': 4n, 'user_vmx_nested_state->vmcs12': 4096n };
      const s = sizes[t];
      if (s === undefined) throw new ExprError(`sizeof(${t}) is not known to the simulator`);
      return s;
    },
    vmx_control_verify: (a, ev) => { const v = ev(a[0]), lo = ev(a[1]), hi = ev(a[2]); return b(((v & hi) | lo) === v); },
    fixed_bits_valid: (a, ev) => { const v = ev(a[0]), f0 = ev(a[1]), f1 = ev(a[2]); return b(((v & f1) | f0) === v); },
    page_address_valid: (a, ev) => { const g = ev(a[1]); return b(legalGpa(g) && (g & 0xfffn) === 0n); },
    kvm_vcpu_is_legal_gpa: (a, ev) => b(legalGpa(ev(a[1]))),
    kvm_vcpu_is_illegal_gpa: (a, ev) => b(!legalGpa(ev(a[1]))),
    kvm_vcpu_is_legal_aligned_gpa: (a, ev) => { const g = ev(a[1]), al = ev(a[2]); return b(legalGpa(g) && al !== 0n && g % al === 0n); },
    kvm_vcpu_is_legal_cr3: (a, ev) => b(legalCr3(ev(a[1]))),
    is_noncanonical_address: (a, ev) => b(!canonical(ev(a[0]))),
    // The CPU's own canonical check: 57 bits when the processor supports 5-level paging.
    hw_is_noncanonical: (a, ev) => { const la = ev(a[0]); const bits = w.hostFeatures.has('LA57') ? 57 : 48; return b(signExtend(la, bits - 1) !== la); },
    kvm_pat_valid: (a, ev) => b(patValid(ev(a[0]))),
    kvm_dr7_valid: (a, ev) => b((ev(a[0]) >> 32n) === 0n),
    kvm_valid_efer: (a, ev) => b(validEfer(ev(a[1]))),
    nested_host_cr0_valid: (a, ev) => { const v = ev(a[1]); return b(((v & n.cr0_fixed1) | n.cr0_fixed0) === v); },
    nested_guest_cr0_valid: (a, ev) => {
      const v = ev(a[1]);
      let f0 = n.cr0_fixed0;
      if ((n.secondary_ctls_high & k('SECONDARY_EXEC_UNRESTRICTED_GUEST')) && has2(k('SECONDARY_EXEC_UNRESTRICTED_GUEST'))) f0 &= ~(k('X86_CR0_PE') | k('X86_CR0_PG'));
      return b(((v & n.cr0_fixed1) | f0) === v);
    },
    nested_host_cr4_valid: (a, ev) => b(cr4Valid(ev(a[1]))),
    nested_guest_cr4_valid: (a, ev) => b(cr4Valid(ev(a[1]))),
    nested_cr4_valid: (a, ev) => b(cr4Valid(ev(a[1]))),
    nested_cpu_has: (a, ev) => b(has(ev(a[1]))),
    nested_cpu_has2: (a, ev) => b(has2(ev(a[1]))),
    nested_cpu_has_ept: () => b(has2(k('SECONDARY_EXEC_ENABLE_EPT'))),
    nested_cpu_has_vpid: () => b(has2(k('SECONDARY_EXEC_ENABLE_VPID'))),
    nested_cpu_has_vid: () => b(has2(k('SECONDARY_EXEC_VIRTUAL_INTR_DELIVERY'))),
    nested_cpu_has_virt_x2apic_mode: () => b(has2(k('SECONDARY_EXEC_VIRTUALIZE_X2APIC_MODE'))),
    nested_cpu_has_apic_reg_virt: () => b(has2(k('SECONDARY_EXEC_APIC_REGISTER_VIRT'))),
    nested_cpu_has_pml: () => b(has2(k('SECONDARY_EXEC_ENABLE_PML'))),
    nested_cpu_has_shadow_vmcs: () => b(has2(k('SECONDARY_EXEC_SHADOW_VMCS'))),
    nested_cpu_has_vmfunc: () => b(has2(k('SECONDARY_EXEC_ENABLE_VMFUNC'))),
    nested_cpu_has_eptp_switching: () => b(has2(k('SECONDARY_EXEC_ENABLE_VMFUNC')) && (field('vm_function_control') & k('VMX_VMFUNC_EPTP_SWITCHING')) !== 0n),
    nested_cpu_has_posted_intr: () => b((pin() & k('PIN_BASED_POSTED_INTR')) !== 0n),
    nested_cpu_has_preemption_timer: () => b((pin() & k('PIN_BASED_VMX_PREEMPTION_TIMER')) !== 0n),
    nested_cpu_has_save_preemption_timer: () => b((field('vm_exit_controls') & k('VM_EXIT_SAVE_VMX_PREEMPTION_TIMER')) !== 0n),
    nested_cpu_has_nmi_exiting: () => b((pin() & k('PIN_BASED_NMI_EXITING')) !== 0n),
    nested_cpu_has_virtual_nmis: () => b((pin() & k('PIN_BASED_VIRTUAL_NMIS')) !== 0n),
    nested_exit_on_intr: () => b((pin() & k('PIN_BASED_EXT_INTR_MASK')) !== 0n),
    nested_exit_intr_ack_set: () => b((field('vm_exit_controls') & k('VM_EXIT_ACK_INTR_ON_EXIT')) !== 0n),
    nested_cpu_vmx_misc_cr3_count: () => rec('nested.msrs.misc_low cr3 count', (n.misc_low >> 16n) & 0x1ffn),
    nested_cpu_supports_monitor_trap_flag: () => b((n.procbased_ctls_high & k('CPU_BASED_MONITOR_TRAP_FLAG')) !== 0n),
    nested_cpu_has_zero_length_injection: () => b((n.misc_low & k('VMX_MISC_ZERO_LEN_INS')) !== 0n),
    x86_exception_has_error_code: (a, ev) => { const v = ev(a[0]); return b(v < 32n && ((1n << v) & 0x27d00n) !== 0n); },
    nested_vmx_check_msr_switch: (a, ev) => {
      const count = ev(a[1]), addr = ev(a[2]);
      if (count === 0n) return 0n;
      return b(!(legalGpa(addr) && addr % 16n === 0n) || !legalGpa((addr + count * 16n - 1n) & M64));
    },
    vcpu_to_pmu: () => 0n,
    kvm_valid_perf_global_ctrl: (a, ev) => b((w.pmu.globalCtrlRsvd & ev(a[1])) === 0n),
    guest_can_use: (a, ev) => { const f = feature(a[1], ev); return rec(`guest_can_use(X86_FEATURE_${f})`, b(canUse(f))); },
    guest_cpu_cap_has: (a, ev) => { const f = feature(a[1], ev); return rec(`guest_can_use(X86_FEATURE_${f})`, b(canUse(f))); },
    guest_cpuid_has: (a, ev) => { const f = feature(a[1], ev); return rec(`guest_cpuid_has(X86_FEATURE_${f})`, b(guestHas(f))); },
    boot_cpu_has: (a, ev) => { const f = feature(a[0], ev); return rec(`boot_cpu_has(X86_FEATURE_${f})`, b(w.hostFeatures.has(f))); },
    // A present PAE PDPTE with reserved bits set (bits 2:1, 8:5, 63:MAXPHYADDR of the CPU, 52 here).
    hw_pdpte_invalid: (a, ev) => { const e = ev(a[0]); return b((e & 1n) !== 0n && (e & (0x6n | 0x1e0n | (M64 << 52n & M64))) !== 0n); },
    kvm_cpu_cap_has: (a, ev) => { const f = feature(a[0], ev); return rec(`kvm_cpu_cap_has(X86_FEATURE_${f})`, b(w.hostFeatures.has(f))); },
    guest_cpuid_has_evmcs: () => rec('guest_cpuid_has_evmcs', b(guestHas('HYPERV') && w.evmcs.enabled)),
    nested_vmx_is_evmptr12_valid: () => b(ctx.vars.evmcs_valid === 1n),
    vmx_get_cpl: () => rec('CPL', w.l1.cpl),
    vmcs_read32: (a, ev) => {
      const f = ev(a[0]);
      if (f === k('GUEST_INTERRUPTIBILITY_INFO')) return rec('vmcs01 GUEST_INTERRUPTIBILITY_INFO', w.l1.interruptibility);
      throw new ExprError('vmcs_read32 of this field is not modeled');
    },
    vmx_get_interrupt_shadow: () => rec('vmcs01 GUEST_INTERRUPTIBILITY_INFO', w.l1.interruptibility) & 2n ? 1n : 0n,
    vmx_guest_state_valid: () => b(m.params.unrestricted_guest || (field('guest_cr0') & k('X86_CR0_PE')) !== 0n),
    // load_pdptrs reads the four PDPTEs from the page CR3 names (all 64 bits of it, LAM bits included):
    // an unbacked page fails, and so do PDPTEs with reserved bits (the scenario's pdptrs_valid).
    load_pdptrs: (a, ev) => { const cr3 = ev(a[1]); return rec('pdptes loadable', b(backed((cr3 >> 12n) << 12n, 0x1000n) && w.l1.pdptrsValid)); },
    kvm_gfn_to_hva_cache_init: (a, ev) => rec('link pointer unbacked', b(!w.linkedVmcs.mapped || !backed(ev(a[2]), 0x1000n))),
    nested_vmx_load_msr: (a, ev) => {
      const gpa = ev(a[1]), count = ev(a[2]);
      return msrList(ctx.vars.__exit_list === 1n ? w.msrLists.exitLoad : w.msrLists.entryLoad, gpa, count, true);
    },
    nested_vmx_store_msr: (a, ev) => { const gpa = ev(a[1]); return b(msrList(w.msrLists.exitStore, gpa, ev(a[2]), false) !== 0n); },
    // kvm_vcpu_map() of a guest page: fails when no memslot backs it.
    kvm_vcpu_map_fails: (a, ev) => b(!backed(ev(a[1]) & ~0xfffn, 0x1000n)),
    is_smm: () => rec('is_smm', b(w.l1.smm)),
    is_guest_mode: () => rec('is_guest_mode', b(w.l1.guestMode || w.write.l2)),
    is_paging: () => b((w.l1.cr0 & k('X86_CR0_PG')) !== 0n),
    is_pae: () => b((w.l1.cr4 & k('X86_CR4_PAE')) !== 0n),
    is_pae_paging: () => b((w.l1.cr0 & k('X86_CR0_PG')) !== 0n && (w.l1.cr4 & k('X86_CR4_PAE')) !== 0n && !(w.l1.efer & k('EFER_LMA'))),
    is_64_bit_mode: () => b((w.l1.efer & k('EFER_LMA')) !== 0n && w.l1.csL),
    kvm_is_cr4_bit_set: (a, ev) => b((l1cr4() & ev(a[1])) !== 0n),
    kvm_read_cr3: () => rec('vcpu->arch.cr3', w.l1.cr3),
    kvm_read_cr0: () => rec('vcpu->arch.cr0', w.l1.cr0),
    kvm_read_cr4: () => l1cr4(),
  };

  /** Resolves a member path once to a reader of the current simulation's state. */
  const memberCache = new Map<string, () => bigint | undefined>();
  const resolveMember = (path: string): (() => bigint | undefined) => {
    const p = path.replace(/^to_vmx\(vcpu\)->/, 'vmx->');
    if (Object.hasOwn(members, p)) return members[p];
    if (p.startsWith('vmcs12->') && !p.includes('.')) {
      const f = p.slice('vmcs12->'.length);
      if (constantValue(f.toUpperCase()) !== undefined) return () => field(f);
      return () => (m.vmcs12.has(f) ? field(f) : undefined);
    }
    if (p.startsWith('vmx->nested.msrs.')) {
      const f = p.slice('vmx->nested.msrs.'.length) as keyof typeof n;
      const key = `nested.msrs.${f}`;
      return () => (Object.hasOwn(n, f) ? rec(key, n[f]) : undefined);
    }
    if (p.startsWith('vmx_cap->') || p.startsWith('vmcs_conf')) return () => ctx.extra[p] ?? ctx.vars[p];
    return () => (Object.hasOwn(ctx.extra, p) ? rec(p, ctx.extra[p]) : Object.hasOwn(ctx.vars, p) ? rec(p, ctx.vars[p]) : undefined);
  };

  /** Resolves a name that is not a variable or local once (module parameter, macro, feature). */
  const nameCache = new Map<string, () => bigint | undefined>();
  const resolveName = (nm: string): (() => bigint | undefined) => {
    const param = Object.hasOwn(PARAM_DEFAULTS, nm) ? nm : Object.hasOwn(PARAM_ALIASES, nm) ? PARAM_ALIASES[nm] : undefined;
    if (param) return () => rec(nm, b(m.params[param]));
    const fixed = nm === 'INVALID_GPA' ? INVALID_GPA : nm === 'VMX_EXIT_REASONS_FAILED_VMENTRY' ? 0x80000000n : FEATURE_IDS.get(nm)
      ?? (Object.hasOwn(KVM_CONTROL_LISTS, nm) ? KVM_CONTROL_LISTS[nm] : undefined) ?? (Object.hasOwn(EVMCS1_LISTS, nm) ? EVMCS1_LISTS[nm] : undefined) ?? (['vcpu', 'vmx', 'vmcs12', 'kvm', 'ghc', 'pmu'].includes(nm) ? 0n : constantValue(nm));
    return () => fixed;
  };

  return {
    name(nm) {
      if (Object.hasOwn(ctx.extra, nm)) return rec(nm, ctx.extra[nm]);
      if (Object.hasOwn(ctx.vars, nm)) return rec(nm, ctx.vars[nm]);
      const local = Object.hasOwn(ctx.locals, nm) ? ctx.locals[nm] : undefined;
      if (local) {
        const known = ctx.localValues.get(nm);
        if (known !== undefined) return rec(nm, known);
        ctx.localValues.set(nm, 0n); // a local that refers to itself reads 0 instead of looping
        const v = evaluateLocal(local, this);
        ctx.localValues.set(nm, v);
        return rec(nm, v);
      }
      let get = nameCache.get(nm);
      if (!get) nameCache.set(nm, get = resolveName(nm));
      return get();
    },
    member(path) {
      let get = memberCache.get(path);
      if (!get) memberCache.set(path, get = resolveMember(path));
      return get();
    },
    call(fn, args, ev) {
      const h = Object.hasOwn(calls, fn) ? calls[fn] : undefined;
      return h ? h(args, ev) : undefined;
    },
  };
}

// Late-bound to avoid a cycle with the evaluator import at module load.
import { evaluate } from './expr';
function evaluateLocal(e: Expr, env: EvalEnv): bigint { return evaluate(e, env); }
