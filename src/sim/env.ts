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

/** sizeof() of the few kernel types conditions use (spaces removed). */
const SIZES = new Map<string, bigint>([['*kvm_state', 128n], ['structkvm_nested_state', 128n], ['*vmcs12', 4096n], ['structvmcs12', 4096n], ['*shadow_vmcs12', 4096n],
  ['structvmx_msr_entry', 16n], ['u64', 8n], ['u32', 4n], ['user_vmx_nested_state->vmcs12', 4096n]]);

const FEATURE_IDS = new Map<string, bigint>(FEATURES.map((f, i) => [`X86_FEATURE_${f}`, BigInt(0x10000 + i)]));
const FEATURE_BY_ID = new Map<bigint, string>(FEATURES.map((f, i) => [BigInt(0x10000 + i), f]));

function signExtend(v: bigint, bit: number): bigint {
  const sign = 1n << BigInt(bit);
  const low = v & ((sign << 1n) - 1n);
  return (low & sign) ? (low | (M64 ^ ((sign << 1n) - 1n))) : low;
}

/** The simulation an environment reads: its machine, the runner's context, and two shortcuts. */
export interface Binding { m: Machine; ctx: EvalContext; w: World; n: World['nested'] }

/**
 * The evaluation environment as an object: its helpers and caches are built once (building them
 * per simulation costs more than the simulation) and read the simulation they evaluate for
 * through `binding`. `enter` points it at a simulation for one evaluation and `leave` puts back
 * what it replaced, so evaluations of different simulations may interleave or nest.
 */
export class Environment {
  readonly binding: Binding = { m: undefined!, ctx: undefined!, w: undefined!, n: undefined! };
  readonly env: EvalEnv = buildEnv(this.binding);
  /** Binds the environment to `machine` and `ctx`; returns the binding it replaced, for `leave`. */
  enter(machine: Machine, ctx: EvalContext): Binding {
    const b = this.binding, prev = { m: b.m, ctx: b.ctx, w: b.w, n: b.n };
    b.m = machine; b.ctx = ctx; b.w = machine.w; b.n = machine.w.nested;
    return prev;
  }
  leave(prev: Binding): void { Object.assign(this.binding, prev); }
}

let shared: Environment | undefined;
/** The environment the simulator shares (built on first use). */
export function environment(): Environment { return shared ??= new Environment(); }

function buildEnv(sim: Binding): EvalEnv {
  const rec = (key: string, v: bigint): bigint => { if (sim.ctx.record) sim.ctx.record[key] = v; return v; };
  const upper = new Map<string, string>();
  const field = (name: string): bigint => {
    const v = sim.m.vmcs12.get(name) ?? 0n;
    if (sim.ctx.record) {
      let key = upper.get(name);
      if (key === undefined) upper.set(name, key = name.toUpperCase());
      sim.ctx.record[key] = v;
    }
    return v;
  };
  const guestHas = (f: string): boolean => sim.w.guestFeatures.has(f);
  const canUse = (f: string): boolean => {
    if (f === 'VMX') return guestHas('VMX') && sim.m.params.nested;
    return guestHas(f) && sim.w.hostFeatures.has(f);
  };
  const lamUsable = (): boolean => { const u = canUse('LAM'); rec('guest_can_use(X86_FEATURE_LAM)', u ? 1n : 0n); return u; };
  const maxphy = (): number => { rec('cpuid.maxphyaddr', BigInt(sim.w.maxphyaddr)); return sim.w.maxphyaddr; };
  const legalGpa = (gpa: bigint): boolean => (gpa >> BigInt(maxphy())) === 0n;
  const legalCr3 = (cr3: bigint): boolean => legalGpa(lamUsable() ? cr3 & ~(k('X86_CR3_LAM_U48') | k('X86_CR3_LAM_U57')) : cr3);
  const pin = (): bigint => field('pin_based_vm_exec_control');
  const cpu = (): bigint => field('cpu_based_vm_exec_control');
  const has = (bit: bigint): boolean => (cpu() & bit) !== 0n;
  const has2 = (bit: bigint): boolean => has(k('CPU_BASED_ACTIVATE_SECONDARY_CONTROLS')) && (field('secondary_vm_exec_control') & bit) !== 0n;
  const l1cr4 = (): bigint => rec('vcpu->arch.cr4', sim.w.l1.cr4);
  const canonical = (la: bigint): boolean => {
    const bits = (l1cr4() & k('X86_CR4_LA57')) ? 57 : 48;
    return signExtend(la, bits - 1) === la;
  };
  const cr4Valid = (v: bigint): boolean => {
    const fixedOk = ((v & sim.n.cr4_fixed1) | sim.n.cr4_fixed0) === v;
    // __kvm_is_valid_cr4: global reserved bits (host CPU) and per-vCPU reserved bits (guest CPUID).
    const allowed = cr4AllowedBits(sim.w.guestFeatures) & cr4AllowedBits(sim.w.hostFeatures);
    return fixedOk && (v & ~allowed & M64) === 0n;
  };
  const validEfer = (efer: bigint): boolean => {
    const allowed = k('EFER_SCE') | k('EFER_LME') | k('EFER_LMA') | (sim.w.hostFeatures.has('NX') ? k('EFER_NX') : 0n)
      | (sim.w.hostFeatures.has('SVM') ? k('EFER_SVME') : 0n) | (sim.w.hostFeatures.has('FXSR_OPT') ? k('EFER_FFXSR') : 0n) | (sim.w.hostFeatures.has('AUTOIBRS') ? k('EFER_AUTOIBRS') : 0n);
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
  const backed = (gpa: bigint, len: bigint): boolean => gpa + len <= rec('memory.size', sim.w.memory.size);
  const msrList = (list: MsrEntry[], gpa: bigint, count: bigint, load: boolean): bigint => {
    const max = (((sim.n.misc_low >> 25n) & 7n) + 1n) * 512n;
    for (let i = 0n; i < count; i++) {
      // An entry that cannot be read from (or, for a store list, written to) guest memory fails.
      if (i >= max || !backed(gpa + i * 16n, 16n)) { sim.ctx.vars.failed_index = i + 1n; return rec('failed_index', i + 1n); }
      const e = list[Number(i)];
      if (e && !msrOk(e, load)) { rec(`entry[${i}].index`, e.index); sim.ctx.vars.failed_index = i + 1n; return rec('failed_index', i + 1n); }
      if (i > 4096n) break;
    }
    return 0n;
  };
  const argName = (e: Expr | undefined): string => {
    if (!e) throw new ExprError('missing argument');
    if (e.kind === 'name') return e.name;
    if (e.kind === 'member') return e.path;
    if (e.kind === 'unary' && e.op === '*' ) return argName(e.operand);
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
    cr0: sim.w.write.cr0 ?? sim.w.l1.cr0, cr3: sim.w.write.cr3 ?? sim.w.l1.cr3, cr4: sim.w.write.cr4 ?? sim.w.l1.cr4, efer: sim.w.write.efer ?? sim.w.l1.efer,
  });

  const members: Record<string, () => bigint> = {
    // L1 can only be in VMX operation when KVM nests VMX (nested=1) and L1's CPUID has VMX.
    'vmx->nested.vmxon': () => rec('vmx->nested.vmxon', b(sim.w.l1.vmxon && canUse('VMX'))),
    'vmx->nested.current_vmptr': () => rec('vmx->nested.current_vmptr', sim.ctx.vars.current_vmptr ?? sim.w.l1.vmptr),
    'vmx->nested.nested_run_pending': () => rec('nested_run_pending', sim.ctx.vars.nested_run_pending ?? 1n),
    'vmx->nested.enlightened_vmcs_enabled': () => rec('vmx->nested.enlightened_vmcs_enabled', b(sim.w.evmcs.enabled)),
    'vmx->nested.hv_evmcs_vmptr': () => rec('vmx->nested.hv_evmcs_vmptr', sim.ctx.vars.hv_evmcs_vmptr ?? sim.w.l1.evmptr),
    'ghc->gpa': () => INVALID_GPA,
    'vmx->fail': () => rec('vmx->fail', b(sim.w.exit.lateFail)),
    'vcpu->arch.efer': () => rec('vcpu->arch.efer', sim.w.l1.efer),
    'vcpu->arch.cr0': () => rec('vcpu->arch.cr0', sim.w.l1.cr0),
    'vcpu->arch.cr3': () => rec('vcpu->arch.cr3', sim.w.l1.cr3),
    'vcpu->arch.cr4': () => l1cr4(),
    'vcpu->arch.maxphyaddr': () => BigInt(maxphy()),
    'vcpu->arch.reserved_gpa_bits': () => rec('vcpu->arch.reserved_gpa_bits', (M64 << BigInt(sim.w.maxphyaddr)) & M64),
    'vcpu->arch.cr3_ctrl_bits': () => rec('vcpu->arch.cr3_ctrl_bits', canUse('LAM') ? k('X86_CR3_LAM_U48') | k('X86_CR3_LAM_U57') : 0n),
    'vmcs12->hdr.revision_id': () => rec('vmcs12.hdr.revision_id', sim.w.vmcs12Hdr.revision_id),
    'vmcs12->hdr.shadow_vmcs': () => rec('vmcs12.hdr.shadow_vmcs', sim.w.vmcs12Hdr.shadow_vmcs),
    'vmcs12->launch_state': () => rec('vmcs12.launch_state', sim.ctx.vars.launch_state ?? sim.w.vmcs12Hdr.launch_state),
    'shadow_vmcs12_hdr.revision_id': () => rec('linked_vmcs.revision_id', sim.w.linkedVmcs.revision_id),
    'shadow_vmcs12_hdr.shadow_vmcs': () => rec('linked_vmcs.shadow_vmcs', sim.w.linkedVmcs.shadow_vmcs),
    'kvm_state->flags': () => rec('kvm_state.flags', sim.w.nestedState.flags),
    'kvm_state->format': () => rec('kvm_state.format', sim.w.nestedState.format),
    'kvm_state->size': () => rec('kvm_state.size', sim.w.nestedState.size),
    'kvm_state->hdr.vmx.vmxon_pa': () => rec('kvm_state.hdr.vmx.vmxon_pa', sim.w.nestedState.vmxon_pa),
    'kvm_state->hdr.vmx.vmcs12_pa': () => rec('kvm_state.hdr.vmx.vmcs12_pa', sim.w.nestedState.vmcs12_pa),
    'kvm_state->hdr.vmx.smm.flags': () => rec('kvm_state.hdr.vmx.smm.flags', sim.w.nestedState.smm_flags),
    'kvm_state->hdr.vmx.flags': () => rec('kvm_state.hdr.vmx.flags', sim.w.nestedState.vmx_flags),
    'sregs->cr0': () => rec('sregs.cr0', sregs().cr0),
    'sregs->cr3': () => rec('sregs.cr3', sregs().cr3),
    'sregs->cr4': () => rec('sregs.cr4', sregs().cr4),
    'sregs->efer': () => rec('sregs.efer', sregs().efer),
  };

  // Bit helpers never build a value wider than 64 bits: a count the kernel could not compile
  // (BIT(64), GENMASK(70, 0), GENMASK(1, 3)) is a "cannot evaluate", not a huge BigInt.
  const bitCount = (v: bigint, what: string): bigint => {
    if (v > 63n) throw new ExprError(`${what}: bit ${v > 0xffffn ? `0x${v.toString(16)}` : v} is beyond 64 bits`);
    return v;
  };
  const genmask = (a: Expr[], ev: (e: Expr) => bigint, what: string): bigint => {
    const h = bitCount(ev(a[0]), what), l = bitCount(ev(a[1]), what);
    if (l > h) throw new ExprError(`${what}(${h}, ${l}): the low bit is above the high bit`);
    return (M64 >> (63n - h)) & (M64 << l) & M64;
  };
  const calls = new Map<string, (a: Expr[], ev: (e: Expr) => bigint, charge: (units: number) => void) => bigint>(Object.entries({
    BIT: (a: Expr[], ev: (e: Expr) => bigint) => 1n << bitCount(ev(a[0]), 'BIT'),
    BIT_ULL: (a: Expr[], ev: (e: Expr) => bigint) => 1n << bitCount(ev(a[0]), 'BIT_ULL'),
    GENMASK: (a: Expr[], ev: (e: Expr) => bigint) => genmask(a, ev, 'GENMASK'),
    GENMASK_ULL: (a: Expr[], ev: (e: Expr) => bigint) => genmask(a, ev, 'GENMASK_ULL'),
    IS_ALIGNED: (a: Expr[], ev: (e: Expr) => bigint) => { const x = ev(a[0]), al = ev(a[1]); if (al === 0n) throw new ExprError('IS_ALIGNED(x, 0): alignment 0'); return b(x % al === 0n); },
    PAGE_ALIGNED: (a, ev) => b((ev(a[0]) & 0xfffn) === 0n),
    likely: (a, ev) => ev(a[0]), unlikely: (a, ev) => ev(a[0]),
    // KVM's consistency-check wrapper: the value of its condition (the tracepoint is not modeled).
    CC: (a, ev) => (ev(a[0]) !== 0n ? 1n : 0n),
    sizeof: (a: Expr[], _ev: unknown, charge: (units: number) => void) => {
      const raw = argName(a[0]);
      charge(raw.length / 64);
      const t = raw.replace(/\s+/g, '');
      const s = SIZES.get(t);
      if (s === undefined) throw new ExprError(`sizeof(${t.length > 60 ? t.slice(0, 60) + '…' : t}) is not known to the simulator`);
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
    hw_is_noncanonical: (a, ev) => { const la = ev(a[0]); const bits = sim.w.hostFeatures.has('LA57') ? 57 : 48; return b(signExtend(la, bits - 1) !== la); },
    kvm_pat_valid: (a, ev) => b(patValid(ev(a[0]))),
    kvm_dr7_valid: (a, ev) => b((ev(a[0]) >> 32n) === 0n),
    kvm_valid_efer: (a, ev) => b(validEfer(ev(a[1]))),
    nested_host_cr0_valid: (a, ev) => { const v = ev(a[1]); return b(((v & sim.n.cr0_fixed1) | sim.n.cr0_fixed0) === v); },
    nested_guest_cr0_valid: (a, ev) => {
      const v = ev(a[1]);
      let f0 = sim.n.cr0_fixed0;
      if ((sim.n.secondary_ctls_high & k('SECONDARY_EXEC_UNRESTRICTED_GUEST')) && has2(k('SECONDARY_EXEC_UNRESTRICTED_GUEST'))) f0 &= ~(k('X86_CR0_PE') | k('X86_CR0_PG'));
      return b(((v & sim.n.cr0_fixed1) | f0) === v);
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
    nested_cpu_vmx_misc_cr3_count: () => rec('nested.msrs.misc_low cr3 count', (sim.n.misc_low >> 16n) & 0x1ffn),
    nested_cpu_supports_monitor_trap_flag: () => b((sim.n.procbased_ctls_high & k('CPU_BASED_MONITOR_TRAP_FLAG')) !== 0n),
    nested_cpu_has_zero_length_injection: () => b((sim.n.misc_low & k('VMX_MISC_ZERO_LEN_INS')) !== 0n),
    x86_exception_has_error_code: (a, ev) => { const v = ev(a[0]); return b(v < 32n && ((1n << v) & 0x27d00n) !== 0n); },
    nested_vmx_check_msr_switch: (a, ev) => {
      const count = ev(a[1]), addr = ev(a[2]);
      if (count === 0n) return 0n;
      return b(!(legalGpa(addr) && addr % 16n === 0n) || !legalGpa((addr + count * 16n - 1n) & M64));
    },
    vcpu_to_pmu: () => 0n,
    kvm_valid_perf_global_ctrl: (a, ev) => b((sim.w.pmu.globalCtrlRsvd & ev(a[1])) === 0n),
    guest_can_use: (a, ev) => { const f = feature(a[1], ev); return rec(`guest_can_use(X86_FEATURE_${f})`, b(canUse(f))); },
    guest_cpu_cap_has: (a, ev) => { const f = feature(a[1], ev); return rec(`guest_can_use(X86_FEATURE_${f})`, b(canUse(f))); },
    guest_cpuid_has: (a, ev) => { const f = feature(a[1], ev); return rec(`guest_cpuid_has(X86_FEATURE_${f})`, b(guestHas(f))); },
    boot_cpu_has: (a, ev) => { const f = feature(a[0], ev); return rec(`boot_cpu_has(X86_FEATURE_${f})`, b(sim.w.hostFeatures.has(f))); },
    // A present PAE PDPTE with reserved bits set (bits 2:1, 8:5, 63:MAXPHYADDR of the CPU, 52 here).
    hw_pdpte_invalid: (a, ev) => { const e = ev(a[0]); return b((e & 1n) !== 0n && (e & (0x6n | 0x1e0n | (M64 << 52n & M64))) !== 0n); },
    kvm_cpu_cap_has: (a, ev) => { const f = feature(a[0], ev); return rec(`kvm_cpu_cap_has(X86_FEATURE_${f})`, b(sim.w.hostFeatures.has(f))); },
    guest_cpuid_has_evmcs: () => rec('guest_cpuid_has_evmcs', b(guestHas('HYPERV') && sim.w.evmcs.enabled)),
    nested_vmx_is_evmptr12_valid: () => b(sim.ctx.vars.evmcs_valid === 1n),
    vmx_get_cpl: () => rec('CPL', sim.w.l1.cpl),
    vmcs_read32: (a, ev) => {
      const f = ev(a[0]);
      if (f === k('GUEST_INTERRUPTIBILITY_INFO')) return rec('vmcs01 GUEST_INTERRUPTIBILITY_INFO', sim.w.l1.interruptibility);
      throw new ExprError('vmcs_read32 of this field is not modeled');
    },
    vmx_get_interrupt_shadow: () => rec('vmcs01 GUEST_INTERRUPTIBILITY_INFO', sim.w.l1.interruptibility) & 2n ? 1n : 0n,
    vmx_guest_state_valid: () => b(sim.m.params.unrestricted_guest || (field('guest_cr0') & k('X86_CR0_PE')) !== 0n),
    // load_pdptrs reads the four PDPTEs from the page CR3 names (all 64 bits of it, LAM bits included):
    // an unbacked page fails, and so do PDPTEs with reserved bits (the scenario's pdptrs_valid).
    load_pdptrs: (a, ev) => { const cr3 = ev(a[1]); return rec('pdptes loadable', b(backed((cr3 >> 12n) << 12n, 0x1000n) && sim.w.l1.pdptrsValid)); },
    kvm_gfn_to_hva_cache_init: (a, ev) => rec('link pointer unbacked', b(!sim.w.linkedVmcs.mapped || !backed(ev(a[2]), 0x1000n))),
    nested_vmx_load_msr: (a, ev, charge) => {
      const gpa = ev(a[1]), count = ev(a[2]);
      charge(count > 4097n ? 4097 : Number(count));   // one unit per list entry read
      return msrList(sim.ctx.vars.__exit_list === 1n ? sim.w.msrLists.exitLoad : sim.w.msrLists.entryLoad, gpa, count, true);
    },
    nested_vmx_store_msr: (a, ev, charge) => { const gpa = ev(a[1]), count = ev(a[2]); charge(count > 4097n ? 4097 : Number(count)); return b(msrList(sim.w.msrLists.exitStore, gpa, count, false) !== 0n); },
    // kvm_vcpu_map() of a guest page: fails when no memslot backs it.
    kvm_vcpu_map_fails: (a, ev) => b(!backed(ev(a[1]) & ~0xfffn, 0x1000n)),
    is_smm: () => rec('is_smm', b(sim.w.l1.smm)),
    is_guest_mode: () => rec('is_guest_mode', b(sim.w.l1.guestMode || sim.w.write.l2)),
    is_paging: () => b((sim.w.l1.cr0 & k('X86_CR0_PG')) !== 0n),
    is_pae: () => b((sim.w.l1.cr4 & k('X86_CR4_PAE')) !== 0n),
    is_pae_paging: () => b((sim.w.l1.cr0 & k('X86_CR0_PG')) !== 0n && (sim.w.l1.cr4 & k('X86_CR4_PAE')) !== 0n && !(sim.w.l1.efer & k('EFER_LMA'))),
    is_64_bit_mode: () => b((sim.w.l1.efer & k('EFER_LMA')) !== 0n && sim.w.l1.csL),
    kvm_is_cr4_bit_set: (a, ev) => b((l1cr4() & ev(a[1])) !== 0n),
    kvm_read_cr3: () => rec('vcpu->arch.cr3', sim.w.l1.cr3),
    kvm_read_cr0: () => rec('vcpu->arch.cr0', sim.w.l1.cr0),
    kvm_read_cr4: () => l1cr4(),
  }));

  /** Resolves a member path once to a reader of the current simulation's state. */
  const memberCache = new Map<string, () => bigint | undefined>();
  const resolveMember = (path: string): (() => bigint | undefined) => {
    const p = path.replace(/^to_vmx\(vcpu\)->/, 'vmx->');
    if (Object.hasOwn(members, p)) return members[p];
    if (p.startsWith('vmcs12->') && !p.includes('.')) {
      const f = p.slice('vmcs12->'.length);
      if (constantValue(f.toUpperCase()) !== undefined) return () => field(f);
      return () => (sim.m.vmcs12.has(f) ? field(f) : undefined);
    }
    if (p.startsWith('vmx->nested.msrs.')) {
      const f = p.slice('vmx->nested.msrs.'.length) as keyof World['nested'];
      const key = `nested.msrs.${f}`;
      return () => (Object.hasOwn(sim.n, f) ? rec(key, sim.n[f]) : undefined);
    }
    if (p.startsWith('vmx_cap->') || p.startsWith('vmcs_conf')) return () => sim.ctx.extra[p] ?? sim.ctx.vars[p];
    return () => (Object.hasOwn(sim.ctx.extra, p) ? rec(p, sim.ctx.extra[p]) : Object.hasOwn(sim.ctx.vars, p) ? rec(p, sim.ctx.vars[p]) : undefined);
  };

  /** Resolves a name that is not a variable or local once (module parameter, macro, feature). */
  const nameCache = new Map<string, () => bigint | undefined>();
  const resolveName = (nm: string): (() => bigint | undefined) => {
    const param = Object.hasOwn(PARAM_DEFAULTS, nm) ? nm : Object.hasOwn(PARAM_ALIASES, nm) ? PARAM_ALIASES[nm] : undefined;
    if (param) return () => rec(nm, b(sim.m.params[param]));
    const fixed = nm === 'INVALID_GPA' ? INVALID_GPA : nm === 'VMX_EXIT_REASONS_FAILED_VMENTRY' ? 0x80000000n : FEATURE_IDS.get(nm)
      ?? (Object.hasOwn(KVM_CONTROL_LISTS, nm) ? KVM_CONTROL_LISTS[nm] : undefined) ?? (Object.hasOwn(EVMCS1_LISTS, nm) ? EVMCS1_LISTS[nm] : undefined) ?? (['vcpu', 'vmx', 'vmcs12', 'kvm', 'ghc', 'pmu'].includes(nm) ? 0n : constantValue(nm));
    return () => fixed;
  };

  return {
    name(nm) {
      if (Object.hasOwn(sim.ctx.extra, nm)) return rec(nm, sim.ctx.extra[nm]);
      if (Object.hasOwn(sim.ctx.vars, nm)) return rec(nm, sim.ctx.vars[nm]);
      const local = Object.hasOwn(sim.ctx.locals, nm) ? sim.ctx.locals[nm] : undefined;
      if (local) {
        const known = sim.ctx.localValues.get(nm);
        if (known !== undefined) return rec(nm, known);
        sim.ctx.localValues.set(nm, 0n); // a local that refers to itself reads 0 instead of looping
        const v = evaluateLocal(local, this);
        sim.ctx.localValues.set(nm, v);
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
    call(fn, args, ev, charge) {
      const h = calls.get(fn);
      return h ? h(args, ev, charge) : undefined;
    },
  };
}

// Late-bound to avoid a cycle with the evaluator import at module load.
import { evaluate } from './expr';
function evaluateLocal(e: Expr, env: EvalEnv): bigint { return evaluate(e, env); }
