// The evaluation environment: what a check condition's names, fields and helper calls mean for a
// resolved scenario. Helpers restate KVM v6.12 semantics (file noted per group); each read of
// scenario state is recorded so the trace shows the values a check decided on.
import { type EvalEnv, type Expr, ExprError } from './expr';
import { constantValue } from '../knowledge/names';
import type { MsrEntry, World } from './scenario';
import { cr4AllowedBits, EVMCS1_LISTS, KVM_CONTROL_LISTS } from './vmxcaps';
import { PARAM_ALIASES, PARAM_DEFAULTS } from '../knowledge/defaults';
import { guestMsrReadOk, guestMsrWriteOk, type MsrContext } from './msrRules';
import { guestStateValid } from './guestSegments';
import { FEATURES } from './scenario';

const M64 = (1n << 64n) - 1n;
const INVALID_GPA = M64;
const k = (n: string): bigint => constantValue(n)!;
/** enum nested_evmptrld_status (arch/x86/kvm/vmx/hyperv.h). */
export const EVMPTRLD_STATUS = { EVMPTRLD_DISABLED: 0n, EVMPTRLD_SUCCEEDED: 1n, EVMPTRLD_VMFAIL: 2n, EVMPTRLD_ERROR: 3n };

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
    const allowed = cr4AllowedBits(sim.w.guestFeatures, sim.w.baseline) & cr4AllowedBits(sim.w.hostFeatures, sim.w.baseline);
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
  const nestedGuestCr0Valid = (v: bigint): boolean => {
    let f0 = sim.n.cr0_fixed0;
    if ((sim.n.secondary_ctls_high & k('SECONDARY_EXEC_UNRESTRICTED_GUEST')) && has2(k('SECONDARY_EXEC_UNRESTRICTED_GUEST'))) f0 &= ~(k('X86_CR0_PE') | k('X86_CR0_PG'));
    return ((v & sim.n.cr0_fixed1) | f0) === v;
  };
  const hostVirtBits = (): number => { const v = sim.w.hostFeatures.has('LA57') ? 57 : 48; rec('max_host_virt_addr_bits', BigInt(v)); return v; };
  const canonicalBits = (la: bigint, bits: number): boolean => signExtend(la, bits - 1) === la;
  const quirk = (bit: bigint): boolean => (sim.w.quirks & bit) !== 0n;
  // vmx_get_supported_debugctl(vcpu, false) and vmx_is_valid_debugctl: BTF and LBR are tolerated (ignored when unsupported).
  const supportedDebugctl = (): bigint =>
    (sim.w.hostFeatures.has('BUS_LOCK_DETECT') && guestHas('BUS_LOCK_DETECT') ? k('DEBUGCTLMSR_BUS_LOCK_DETECT') : 0n)
    | (sim.w.pmu.lbr ? k('DEBUGCTLMSR_LBR') | k('DEBUGCTLMSR_FREEZE_LBRS_ON_PMI') : 0n)
    | (sim.w.hostFeatures.has('RTM') && guestHas('RTM') ? k('DEBUGCTLMSR_RTM_DEBUG') : 0n);
  const debugctlValid = (v: bigint): boolean => {
    const supported = rec('vmx_get_supported_debugctl', supportedDebugctl());
    return ((v & ~supported & M64) & ~(k('DEBUGCTLMSR_BTF') | k('DEBUGCTLMSR_LBR'))) === 0n;
  };
  const msrCtx: MsrContext = {
    guestHas: f => guestHas(f), get hostVirtBits() { return sim.w.hostFeatures.has('LA57') ? 57 : 48; },
    validEfer: v => validEfer(v), validPat: v => patValid(v), validDebugctl: v => debugctlValid(v),
    get apicBase() { return sim.w.l1.apicBase; }, get maxphyaddr() { return sim.w.maxphyaddr; }, get featCtlLocked() { return sim.w.l1.featCtlLocked; },
  };
  const x2apicMode = (): boolean => (rec('vcpu->arch.apic_base', sim.w.l1.apicBase) & k('X2APIC_ENABLE')) !== 0n;
  const msrOk = (e: MsrEntry, load: boolean): boolean => {
    // nested_vmx_msr_check_common: x2APIC registers while L1's APIC is in x2APIC mode, the microcode MSRs, reserved bits.
    if (x2apicMode() && (e.index >> 8n) === 0x8n) return false;
    if (e.index === k('MSR_IA32_UCODE_WRITE') || e.index === k('MSR_IA32_UCODE_REV')) return false;
    if (e.reserved !== 0n) return false;
    // nested_vmx_load_msr_check / nested_vmx_store_msr_check.
    if (load && (e.index === k('MSR_FS_BASE') || e.index === k('MSR_GS_BASE') || e.index === k('MSR_IA32_SMM_MONITOR_CTL'))) return false;
    if (!load && e.index === k('MSR_IA32_SMBASE')) return false;
    // kvm_set_msr_with_filter / kvm_get_msr_with_filter: KVM's MSR emulation must accept the access.
    return load ? guestMsrWriteOk(e.index, e.value, msrCtx) : guestMsrReadOk(e.index, msrCtx);
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
    'kvm_state->hdr.vmx.evmcs_pa': () => rec('kvm_state.hdr.vmx.evmcs_pa', sim.w.nestedState.evmcs_pa),
    'sregs->cr0': () => rec('sregs.cr0', sregs().cr0),
    'sregs->cr3': () => rec('sregs.cr3', sregs().cr3),
    'sregs->cr4': () => rec('sregs.cr4', sregs().cr4),
    'sregs->efer': () => rec('sregs.efer', sregs().efer),
    'sregs->cs.l': () => rec('sregs.cs.l', b(sim.w.write.csL ?? sim.w.l1.csL)),
    'vcpu->arch.pdptrs_from_userspace': () => rec('vcpu->arch.pdptrs_from_userspace', b(sim.w.l1.pdptrsFromUserspace)),
    'vcpu->arch.apic_base': () => rec('vcpu->arch.apic_base', sim.w.l1.apicBase),
    'vmcs12->host_ssp_tbl': () => field('host_intr_ssp_table'),
    'vmcs12->guest_ssp_tbl': () => field('guest_intr_ssp_table'),
    'boot_cpu_data.x86_vfm': () => sim.ctx.extra['boot_cpu_data.x86_vfm'] ?? 0n,
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
    // is_noncanonical_address(la, vcpu, flags): the vCPU's CR4.LA57 width, or the host's for MSR/descriptor-table flags.
    is_noncanonical_address: (a, ev) => { const la = ev(a[0]); const flags = a[2] ? ev(a[2]) : 0n; return b(flags ? !canonicalBits(la, hostVirtBits()) : !canonical(la)); },
    // v6.13 (also 6.12.y): MSR-held addresses and segment/descriptor-table bases use the host's width.
    is_noncanonical_msr_address: (a, ev) => b(!canonicalBits(ev(a[0]), hostVirtBits())),
    is_noncanonical_base_address: (a, ev) => b(!canonicalBits(ev(a[0]), hostVirtBits())),
    // v6.13 (not 6.12.y): HOST_RIP against the width HOST_CR4.LA57 gives L1 after the exit.
    is_l1_noncanonical_address_on_vmexit: (a, ev) => {
      const bits = (field('host_cr4') & k('X86_CR4_LA57')) ? 57 : 48;
      rec('l1_address_bits_on_exit', BigInt(bits));
      return b(!canonicalBits(ev(a[0]), bits));
    },
    __is_canonical_address: (a, ev) => b(canonicalBits(ev(a[0]), Number(ev(a[1])))),
    max_host_virt_addr_bits: () => BigInt(hostVirtBits()),
    kvm_check_has_quirk: (a, ev) => { const q = ev(a[1]); return rec('kvm_check_has_quirk', b(quirk(q))); },
    vmx_is_valid_debugctl: (a, ev) => b(debugctlValid(ev(a[1]))),
    kvm_is_valid_u_s_cet: (a, ev) => {
      const v = ev(a[1]);
      if (v & 0x3c0n) return 0n;                                                   // CET_US_RESERVED_BITS (9:6)
      if (!canUse('SHSTK') && (v & 0x3n)) return 0n;                               // shadow-stack bits
      if (!canUse('IBT') && (v & (0x3cn | (M64 << 10n & M64)))) return 0n;        // IBT bits 5:2, 63:10
      if (((v >> 12n) & 3n) !== 0n) return 0n;                                     // legacy bitmap base 4-byte aligned
      if ((v & k('CET_SUPPRESS')) && (v & k('CET_WAIT_ENDBR'))) return 0n;
      return 1n;
    },
    nested_cpu_has_no_hw_errcode_cc: () => rec('nested.msrs.basic bit 56', b((sim.n.basic & k('VMX_BASIC_NO_HW_ERROR_CODE_CC')) !== 0n)),
    nested_vmx_max_atomic_switch_msrs: () => rec('nested_vmx_max_atomic_switch_msrs', (((sim.n.misc_low >> 25n) & 7n) + 1n) * 512n),
    kvm_read_guest_offset_cached: () => rec('linked VMCS header unreadable', b(!sim.w.linkedVmcs.readable)),
    kvm_pmu_has_perf_global_ctrl: () => rec('pmu has PERF_GLOBAL_CTRL', b(sim.w.pmu.hasGlobalCtrl)),
    // kvm_set_msr (not host-initiated, no filter): the MSR emulation's verdict (PERF_GLOBAL_CTRL: the vPMU's reserved bits).
    kvm_set_msr: (a, ev) => {
      const idx = ev(a[1]), val = ev(a[2]);
      if (idx === k('MSR_CORE_PERF_GLOBAL_CTRL')) return b((sim.w.pmu.globalCtrlRsvd & val) !== 0n);
      return b(!guestMsrWriteOk(idx, val, msrCtx));
    },
    // nested_vmx_restore_host_state: the entry list's MSRs reloaded from the exit list.
    nested_vmx_restore_host_msrs_fail: () => {
      const v = sim.m.vmcs12;
      const ecount = v.get('vm_entry_msr_load_count') ?? 0n, eaddr = v.get('vm_entry_msr_load_addr') ?? 0n;
      const xcount = v.get('vm_exit_msr_load_count') ?? 0n, xaddr = v.get('vm_exit_msr_load_addr') ?? 0n;
      for (let i = 0n; i < ecount && i < 4096n; i++) {
        if (!backed(eaddr + i * 16n, 16n)) return rec('restore: entry-list entry unreadable', i + 1n);
        const g = sim.w.msrLists.entryLoad[Number(i)] ?? { index: 0n, value: 0n, reserved: 0n };
        for (let j = 0n; j < xcount && j < 4096n; j++) {
          if (!backed(xaddr + j * 16n, 16n)) return rec('restore: exit-list entry unreadable', j + 1n);
          const h = sim.w.msrLists.exitLoad[Number(j)] ?? { index: 0n, value: 0n, reserved: 0n };
          if (h.index !== g.index) continue;
          if (h.value === g.value) break;
          if (!msrOk(h, true)) return rec('restore: exit-list entry refused', j + 1n);
          break;
        }
      }
      return 0n;
    },
    enter_vmx_operation: () => rec('enter_vmx_operation fails', b(sim.w.nestedState.allocFails)),
    copy_from_user: (a) => {
      const dst = argName(a[0]);
      const ok = dst === 'shadow_vmcs12' ? sim.w.nestedState.shadowReadable : sim.w.nestedState.vmcs12Readable;
      return rec(`copy_from_user(${dst}) fails`, b(!ok));
    },
    kvm_is_valid_cr0: (a, ev) => {
      const cr0 = ev(a[1]);
      if (cr0 & 0xffffffff00000000n) return 0n;
      if ((cr0 & k('X86_CR0_NW')) && !(cr0 & k('X86_CR0_CD'))) return 0n;
      if ((cr0 & k('X86_CR0_PG')) && !(cr0 & k('X86_CR0_PE'))) return 0n;
      const vmxon = sim.w.l1.vmxon && canUse('VMX');
      if (sim.w.l1.guestMode) return b(nestedGuestCr0Valid(cr0));
      if (vmxon) return b(((cr0 & sim.n.cr0_fixed1) | sim.n.cr0_fixed0) === cr0);
      return 1n;
    },
    kvm_is_valid_cr4: (a, ev) => {
      const cr4 = ev(a[1]);
      const allowed = cr4AllowedBits(sim.w.guestFeatures, sim.w.baseline) & cr4AllowedBits(sim.w.hostFeatures, sim.w.baseline);
      if (cr4 & ~allowed & M64) return 0n;
      if ((cr4 & k('X86_CR4_VMXE')) && sim.w.l1.smm) return 0n;                                    // vmx_is_valid_cr4: no VMXE in SMM
      if (sim.w.l1.vmxon && canUse('VMX') && !cr4Valid(cr4)) return 0n;                            // L1's VMX-fixed CR4 bits
      return 1n;
    },
    cpu_has_broken_vmx_preemption_timer: () => sim.ctx.extra['cpu_has_broken_vmx_preemption_timer()'] ?? 0n,
    // vmx_check_processor_compat: another CPU's VMCS configuration differs from the boot CPU's.
    memcmp: () => rec('vmcs_config differs', sim.ctx.extra.config_differs ?? 0n),
    // The CPU's own canonical check: 57 bits when the processor supports 5-level paging.
    hw_is_noncanonical: (a, ev) => { const la = ev(a[0]); const bits = sim.w.hostFeatures.has('LA57') ? 57 : 48; return b(signExtend(la, bits - 1) !== la); },
    kvm_pat_valid: (a, ev) => b(patValid(ev(a[0]))),
    kvm_dr7_valid: (a, ev) => b((ev(a[0]) >> 32n) === 0n),
    kvm_valid_efer: (a, ev) => b(validEfer(ev(a[1]))),
    nested_host_cr0_valid: (a, ev) => { const v = ev(a[1]); return b(((v & sim.n.cr0_fixed1) | sim.n.cr0_fixed0) === v); },
    nested_guest_cr0_valid: (a, ev) => b(nestedGuestCr0Valid(ev(a[1]))),
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
    // nested_vmx_handle_enlightened_vmptrld for an eVMCS at a given GPA (as patches that restore the
    // eVMCS from KVM_SET_NESTED_STATE call it): disabled without the eVMCS capability, an error when
    // the page cannot be mapped, VMfail for a revision that is neither eVMCS v1 nor the vmcs12 one.
    __nested_vmx_handle_enlightened_vmptrld: (a, ev) => {
      const gpa = rec('evmcs_gpa', ev(a[1]));
      if (!rec('vmx->nested.enlightened_vmcs_enabled', b(sim.w.evmcs.enabled))) return EVMPTRLD_STATUS.EVMPTRLD_DISABLED;
      if (!sim.w.evmcs.mappable || !backed(gpa & ~0xfffn, 0x1000n)) return EVMPTRLD_STATUS.EVMPTRLD_ERROR;
      if (sim.w.evmcs.revision !== 1n && sim.w.evmcs.revision !== 0x11e57ed0n) return EVMPTRLD_STATUS.EVMPTRLD_VMFAIL;
      return EVMPTRLD_STATUS.EVMPTRLD_SUCCEEDED;
    },
    vmcs_read32: (a, ev) => {
      const f = ev(a[0]);
      if (f === k('GUEST_INTERRUPTIBILITY_INFO')) return rec('vmcs01 GUEST_INTERRUPTIBILITY_INFO', sim.w.l1.interruptibility);
      throw new ExprError('vmcs_read32 of this field is not modeled');
    },
    vmx_get_interrupt_shadow: () => rec('vmcs01 GUEST_INTERRUPTIBILITY_INFO', sim.w.l1.interruptibility) & 2n ? 1n : 0n,
    // is_unrestricted_guest(): KVM's unrestricted guest and, in guest mode, vmcs12's; else KVM's segment test.
    vmx_guest_state_valid: () => {
      const urg = sim.m.params.unrestricted_guest && has2(k('SECONDARY_EXEC_UNRESTRICTED_GUEST'));
      rec('is_unrestricted_guest', b(urg));
      if (urg) return 1n;
      const v = guestStateValid(f => field(f));
      if (sim.ctx.record && v.failed) sim.ctx.record[`__vmx_guest_state_valid (${v.mode})`] = 0n;
      return b(v.valid);
    },
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
    const fixed = nm === 'INVALID_GPA' ? INVALID_GPA : Object.hasOwn(EVMPTRLD_STATUS, nm) ? EVMPTRLD_STATUS[nm as keyof typeof EVMPTRLD_STATUS]
      : nm === 'VMX_EXIT_REASONS_FAILED_VMENTRY' ? 0x80000000n : FEATURE_IDS.get(nm)
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
