// The six contract paths, each run from its real entry point in the tree: the vCPU is built as
// the tree's own struct vcpu_vmx (with struct kvm_vcpu inside, struct vmcs12 laid out from the
// tree's vmcs12.h and filled through vmcs12.c's field table), the scenario's values are stored by
// member name, the entry function is interpreted, and the outcome is read where KVM left it
// (recorded by the boundary, or in vmcs12 / kvm_run / the return value).
import type { Block, FunctionDef, Program, Stmt, StructDef } from './ast';
import type { World } from '../sim/scenario';
import { Interp, type LValue, type Value, type Budget, type InterpSnapshot } from './interp/interp';
import { InterpError } from './interp/errors';
import { ULONG, BOOL, INT, UINT } from './interp/ctype';
import { GuestMemory, makeBoundary, member, setMember, macroNumber, widthMask, type KernelState, type Outcome, type TraceRow } from './boundary';
import { cr3Hardware, hardwareEntry } from './cpu';
import { rawHandler } from './boundaryRaw';

const M64 = (1n << 64n) - 1n;
const INVALID_GPA = M64;
const hex = (v: bigint): string => '0x' + v.toString(16);

export interface PathRun {
  outcome: Outcome;
  /** what produced the outcome: "function@file:line" of the boundary call, or the return */
  producedAt: { function: string; location: string } | null;
}

/** Kconfig values some macros use that the front end's config table does not define (x86-64 defaults). */
const CONFIG_VALUES = new Map<string, bigint>([['CONFIG_PAGE_SHIFT', 12n], ['CONFIG_NR_CPUS', 8192n], ['CONFIG_PHYSICAL_ALIGN', 0x200000n],
  // host globals declared in headers the front end does not parse
  ['tsc_khz', 2_000_000n], ['cpu_khz', 2_000_000n], ['nr_cpu_ids', 1n], ['__max_logical_packages', 1n]]);

const U8: StructDef['fields'][number]['type'] = { k: 'int', bits: 8, signed: false };
const U16: StructDef['fields'][number]['type'] = { k: 'int', bits: 16, signed: false };
const U32: StructDef['fields'][number]['type'] = { k: 'int', bits: 32, signed: false };
const U64: StructDef['fields'][number]['type'] = { k: 'int', bits: 64, signed: false };
/** Structs of headers the front end does not parse that the paths' code touches: their members as the tree declares them. */
const SUPPLEMENT_STRUCTS: StructDef[] = [
  { tag: 'cpuinfo_x86', union: false, file: '(engine: arch/x86/include/asm/processor.h is not parsed)', line: 0, fields: [
    { name: 'x86_vfm', type: U32, bits: null }, { name: 'x86_phys_bits', type: U8, bits: null }, { name: 'x86_virt_bits', type: U8, bits: null },
    { name: 'x86_cache_bits', type: U8, bits: null }, { name: 'x86_capability', type: { k: 'array', of: U32, length: 32 }, bits: null },
  ] },
  { tag: 'ms_hyperv_info', union: false, file: '(engine: arch/x86/include/asm/mshyperv.h is not parsed; KVM does not run on Hyper-V: all zero)', line: 0, fields: [
    { name: 'features', type: U32, bits: null }, { name: 'priv_high', type: U32, bits: null }, { name: 'misc_features', type: U32, bits: null },
    { name: 'hints', type: U32, bits: null }, { name: 'nested_features', type: U32, bits: null }, { name: 'max_vp_index', type: U32, bits: null },
    { name: 'max_lp_index', type: U32, bits: null },
  ] },
  { tag: 'x86_pmu_lbr', union: false, file: '(engine: arch/x86/include/asm/perf_event.h is not parsed)', line: 0, fields: [
    { name: 'nr', type: U32, bits: null }, { name: 'from', type: U32, bits: null }, { name: 'to', type: U32, bits: null }, { name: 'info', type: U32, bits: null },
    { name: 'has_info', type: { k: 'bool' }, bits: null }, { name: 'has_callstack', type: { k: 'bool' }, bits: null },
  ] },
  { tag: 'pcpu_hot', union: false, file: '(engine: arch/x86/include/asm/current.h is not parsed; CPU 0)', line: 0, fields: [
    { name: 'current_task', type: { k: 'ptr', to: { k: 'void' } }, bits: null }, { name: 'preempt_count', type: U32, bits: null },
    { name: 'cpu_number', type: U32, bits: null }, { name: 'top_of_stack', type: U64, bits: null },
  ] },
  { tag: 'hrtimer', union: false, file: '(engine: include/linux/hrtimer_types.h is not parsed)', line: 0, fields: [
    { name: 'node', type: { k: 'array', of: U64, length: 4 }, bits: null }, { name: '_softexpires', type: U64, bits: null },
    { name: 'function', type: { k: 'ptr', to: { k: 'void' } }, bits: null }, { name: 'base', type: { k: 'ptr', to: { k: 'void' } }, bits: null },
    { name: 'state', type: U8, bits: null }, { name: 'is_rel', type: U8, bits: null }, { name: 'is_soft', type: U8, bits: null }, { name: 'is_hard', type: U8, bits: null },
  ] },
  { tag: 'desc_ptr', union: false, packed: true, file: '(engine: arch/x86/include/asm/desc_defs.h is not parsed)', line: 0, fields: [
    { name: 'size', type: U16, bits: null }, { name: 'address', type: U64, bits: null },
  ] },
];

/** Enumerators of headers the front end does not parse (asm/pgtable_types.h enum pg_level, asm/fpu/types.h enum xfeature). */
const SUPPLEMENT_ENUMERATORS: [string, bigint][] = [
  ['PG_LEVEL_NONE', 0n], ['PG_LEVEL_4K', 1n], ['PG_LEVEL_2M', 2n], ['PG_LEVEL_1G', 3n], ['PG_LEVEL_512G', 4n],
  ...['FP', 'SSE', 'YMM', 'BNDREGS', 'BNDCSR', 'OPMASK', 'ZMM_Hi256', 'Hi16_ZMM', 'PT_UNIMPLEMENTED_SO_FAR', 'PKRU', 'PASID', 'CET_USER', 'CET_KERNEL_UNUSED', 'RSRVD_COMP_13', 'RSRVD_COMP_16', 'XTILE_CFG', 'XTILE_DATA']
    .map((n, i): [string, bigint] => [`XFEATURE_${n}`, BigInt(n === 'XTILE_CFG' ? 17 : n === 'XTILE_DATA' ? 18 : n === 'RSRVD_COMP_16' ? 16 : i)]),
];

const FEATURE_CACHE = new WeakMap<Program, Map<number, string>>();

/** Interpreter states after kvm_intel's module load, per Program and host/parameter key. */
const MODULE_CACHE = new WeakMap<Program, Map<string, { interp: InterpSnapshot; vmcs: Map<bigint, Map<bigint, bigint>>; current: bigint; warnings: string[]; trace: TraceRow[]; rc: number }>>();

/** Everything one simulation needs, built once per run. */
export class Sim {
  readonly it: Interp;
  readonly s: KernelState;
  tracing = true;
  /** start from a cached post-module-load state (off for the module-load path itself, whose run is the result) */
  moduleCache = true;
  /** set by the engine: where a failure without CC() began */
  failureOrigin: (() => { fn: string; file: string; line: number } | null) | null = null;
  /** the hardware check that failed on the CPU's VM-entry of vmcs02 (model table row) */
  hwFailed: import('../knowledge/checks').CheckDef | null = null;
  vmx!: LValue;
  vcpu = 0n;
  vmcs12!: LValue;
  /** member name of struct vmcs12 by byte offset (for trace values) */
  private vmcs12Names: Map<number, string> | null = null;
  private featureNames: Map<number, string> | null = null;

  constructor(readonly program: Program, readonly world: World, params: Record<string, boolean>, budget: Budget, sourceLine: (file: string, line: number) => string) {
    this.s = {
      world, params, guest: new GuestMemory(world.memory.size), vmcs: new Map(), current: 0n, recorded: null, later: [], warnings: [], trace: [],
      requests: new Set(), featureName: n => this.feature(n), sourceLine, vmcs01: new Map(),
    };
    const boundary = makeBoundary(this.s, (name, it) => this.global(name, it));
    this.it = new Interp(program, { ...boundary, raw: name => rawHandler(name, this) ?? boundary.noArgs(name) }, budget);
    for (const [n, v] of SUPPLEMENT_ENUMERATORS) if (!program.enumerators.has(n)) this.it.extraEnumerators.set(n, v);
    for (const d of SUPPLEMENT_STRUCTS) if (!program.structs.has(`struct ${d.tag}`)) this.it.types.extraStructs.set(`struct ${d.tag}`, d);
  }

  /** X86_FEATURE_* number → name without the prefix (from the tree's macros). */
  feature(n: number): string | null {
    if (!this.featureNames) this.featureNames = FEATURE_CACHE.get(this.program) ?? null;
    if (!this.featureNames) {
      this.featureNames = new Map();
      FEATURE_CACHE.set(this.program, this.featureNames);
      for (const name of this.program.macros.keys()) {
        if (!name.startsWith('X86_FEATURE_')) continue;
        const v = macroNumber(this.it, name);
        if (v !== null && !this.featureNames.has(Number(v))) this.featureNames.set(Number(v), name.slice(12));
      }
    }
    return this.featureNames.get(n) ?? null;
  }

  /** Globals the boundary defines or overrides: module parameters, host CPU data, vmcs_config. */
  private global(name: string, it: Interp): LValue | undefined {
    if (name === 'boot_cpu_data') return this.bootCpuData(it);
    // kvm_ops_update copies the vendor's ops into kvm_x86_ops at module load
    if (name === 'kvm_x86_ops' && this.program.globals.has('vt_x86_ops')) return it.global('vt_x86_ops');
    if (name === 'pcpu_hot' && !this.program.globals.has(name)) return it.allocate({ k: 'struct', tag: 'pcpu_hot', union: false }, name);
    if (name === 'ms_hyperv' && !this.program.globals.has(name)) return it.allocate({ k: 'struct', tag: 'ms_hyperv_info', union: false }, name);
    const cfg = CONFIG_VALUES.get(name);
    if (cfg !== undefined) { const lv = it.allocate(ULONG, name); it.store(lv, it.int(cfg, ULONG)); return lv; }
    // hv_init_evmcs (vmx_init) clears enlightened_vmcs unless KVM itself runs on Hyper-V, which the
    // scenario's host never is (L1's use of eVMCS is nested.enlightened_vmcs_enabled instead)
    if (name === 'enlightened_vmcs') { const lv = it.allocate(BOOL, name); return lv; }
    const param = this.program.moduleParams.get(name);
    if (param !== undefined && Object.hasOwn(this.s.params, param)) {
      const def = this.program.globals.get(name);
      const lv = it.allocate(def?.type ?? BOOL, name);
      it.store(lv, it.int(this.s.params[param] ? 1 : 0, INT));
      return lv;
    }
    return undefined;
  }

  /** The boot CPU's cpuinfo (asm/processor.h is not parsed): a recent Intel CPU, the members KVM reads. */
  private bootCpuData(it: Interp): LValue {
    const lv = it.allocate({ k: 'struct', tag: 'cpuinfo_x86', union: false }, 'boot_cpu_data');
    setMember(it, lv, 'x86_vfm', 0x0006008fn); // family 6 model 0x8f (Sapphire Rapids): no VM-entry/exit errata
    setMember(it, lv, 'x86_phys_bits', 46n);
    setMember(it, lv, 'x86_virt_bits', this.world.hostFeatures.has('LA57') ? 57n : 48n);
    setMember(it, lv, 'x86_cache_bits', 46n);
    return lv;
  }

  // ---- building the vCPU ----

  struct(tag: string): LValue['t'] { return { k: 'struct', tag, union: false }; }

  set(lv: LValue, path: string, v: bigint | boolean): void {
    const ok = setMember(this.it, lv, path, typeof v === 'boolean' ? (v ? 1n : 0n) : v);
    if (!ok) this.note(`the tree's ${this.it.types.show(lv.t)} has no member ${path}`);
  }
  note(text: string): void { if (!this.s.warnings.includes(text) && this.notes.length < 20) this.notes.push(text); }
  notes: string[] = [];

  /** struct vcpu_vmx with its kvm_vcpu, kvm, kvm_run, VMCSes and vmcs12 from the World. */
  /**
   * kvm_intel's module load from the tree: the part of __kvm_x86_vendor_init around
   * ops->hardware_setup (EFER and CR4 bits KVM supports), and vmx_hardware_setup itself
   * (setup_vmcs_config over hostMsrs, module parameters trimmed to the CPU, nested capability MSRs).
   * Returns hardware_setup's return value.
   */
  loadModule(): number {
    // the module load depends only on the host, the parameters and L1's CR4 (cr4_read_shadow): cached per Program
    const key = JSON.stringify([this.s.params, [...this.world.hostMsrs].map(([k, v]) => `${k}=${v.toString(16)}`), [...this.world.hostFeatures].sort(), [...this.world.guestFeatures].sort(), String(this.world.l1.cr4), this.world.maxphyaddr]);
    if (!this.moduleCache) return this.loadModuleFresh();
    let cache = MODULE_CACHE.get(this.program);
    if (!cache) { cache = new Map(); MODULE_CACHE.set(this.program, cache); }
    const hit = cache.get(key);
    if (hit) {
      this.it.restore(hit.interp);
      this.s.vmcs.clear(); for (const [k, v] of hit.vmcs) this.s.vmcs.set(k, new Map(v));
      this.s.current = hit.current;
      this.s.warnings.push(...hit.warnings);
      this.s.trace.push(...hit.trace);
      return hit.rc;
    }
    const w0 = this.s.warnings.length, t0 = this.s.trace.length;
    const rc = this.loadModuleFresh();
    if (cache.size > 64) cache.clear();
    cache.set(key, { interp: this.it.snapshot(), vmcs: new Map([...this.s.vmcs].map(([k, v]) => [k, new Map(v)])), current: this.s.current,
      warnings: this.s.warnings.slice(w0), trace: this.s.trace.slice(t0), rc });
    return rc;
  }

  private loadModuleFresh(): number {
    const it = this.it;
    const vendor = this.program.functions.get('__kvm_x86_vendor_init') ?? this.program.functions.get('kvm_x86_vendor_init');
    const efer = vendor ? findAssignment(vendor.body, 'efer_reserved_bits') : null;
    if (vendor && efer) this.runStatement(vendor, [], efer);
    const setup = ['vmx_hardware_setup', 'hardware_setup'].find(f => this.program.functions.has(f));
    if (!setup) throw new InterpError('the tree has no vmx_hardware_setup');
    const rc = Number(BigInt.asIntN(32, it.run(setup, []).v));
    if (rc !== 0 || !vendor) return rc;
    // after hardware_setup: long mode EFER bits, then the CR4 bits KVM itself supports
    const lm = findStatementCalling(vendor.body, 'kvm_enable_efer_bits');
    if (lm) this.runStatement(vendor, [], lm);
    const cr4 = findAssignment(vendor.body, 'cr4_reserved_bits');
    if (cr4) this.runStatement(vendor, [], cr4);
    return rc;
  }

  buildVcpu(): void {
    const it = this.it, w = this.world;
    const rc = this.loadModule();
    if (rc !== 0) throw new InterpError(`kvm_intel did not load (hardware_setup returned ${rc})`);
    this.vmx = it.allocate(this.struct('vcpu_vmx'), 'vcpu_vmx');
    const vcpuLv = member(it, this.vmx, 'vcpu');
    if (!vcpuLv) throw new InterpError('struct vcpu_vmx has no member vcpu');
    this.vcpu = vcpuLv.addr;
    const kvmVmx = it.allocate(this.struct('kvm_vmx'), 'kvm_vmx');
    const kvm = member(it, kvmVmx, 'kvm');
    this.set(vcpuLv, 'kvm', kvm ? kvm.addr : kvmVmx.addr);
    const run = it.allocate(this.struct('kvm_run'), 'kvm_run');
    this.set(vcpuLv, 'run', run.addr);
    // the in-kernel local APIC (KVM_CREATE_IRQCHIP; enabled, xAPIC mode, nothing pending)
    const apic = it.allocate(this.struct('kvm_lapic'), 'kvm_lapic');
    const regs = it.mem.alloc(4096, 'apic regs');
    this.set(apic, 'vcpu', this.vcpu);
    this.set(apic, 'regs', regs.addr);
    this.set(apic, 'sw_enabled', true);
    this.set(vcpuLv, 'arch.apic', apic.addr);
    this.set(vcpuLv, 'arch.apic_base', 0xfee00900n);
    // the MMU contexts (kvm_mmu_create): L1 runs on root_mmu
    const root = member(it, vcpuLv, 'arch.root_mmu');
    if (root) { this.set(vcpuLv, 'arch.mmu', root.addr); this.set(vcpuLv, 'arch.walk_mmu', root.addr); }
    // L1's registers
    this.set(vcpuLv, 'arch.cr0', w.l1.cr0);
    this.set(vcpuLv, 'arch.cr3', w.l1.cr3);
    this.set(vcpuLv, 'arch.cr4', w.l1.cr4);
    this.set(vcpuLv, 'arch.efer', w.l1.efer);
    this.set(vcpuLv, 'arch.regs_avail', M64);
    this.set(vcpuLv, 'arch.maxphyaddr', BigInt(w.maxphyaddr));
    this.set(vcpuLv, 'arch.reserved_gpa_bits', (M64 << BigInt(w.maxphyaddr)) & M64);
    this.set(vcpuLv, 'arch.hyperv_enabled', w.guestFeatures.has('HYPERV'));
    if (w.l1.guestMode) this.set(vcpuLv, 'arch.hflags', macroNumber(it, 'HF_GUEST_MASK') ?? 1n);
    this.set(vcpuLv, 'arch.pmu.global_ctrl_rsvd', w.pmu.globalCtrlRsvd);
    this.set(vcpuLv, 'arch.pmu.version', w.pmu.hasGlobalCtrl ? 2n : 1n);
    // what KVM_SET_CPUID computed (kvm_vcpu_after_set_cpuid's own statements, run on this vCPU)
    if (!this.afterSetCpuid(['cr4_guest_rsvd_bits'])) this.set(vcpuLv, 'arch.cr4_guest_rsvd_bits', this.cr4GuestReserved());
    // CR0/CR4 guest-owned bits: the tree's own helpers decide (vmx_l1_guest_owned_cr0_bits)
    const owned = this.callIfPresent('vmx_l1_guest_owned_cr0_bits', []);
    if (owned) this.set(vcpuLv, 'arch.cr0_guest_owned_bits', owned.v);
    // nested state
    this.set(this.vmx, 'nested.vmxon', w.l1.vmxon);
    this.set(this.vmx, 'nested.vmxon_ptr', w.l1.vmxon ? 0x10000n : INVALID_GPA);
    this.set(this.vmx, 'nested.current_vmptr', w.l1.vmptr);
    // L1 did VMPTRLD and VMWRITEs since the last entry: vmcs12 is dirty (prepare_vmcs02_rare runs)
    this.set(this.vmx, 'nested.dirty_vmcs12', true);
    // no eVMCS is current until nested_vmx_handle_enlightened_vmptrld maps the one the VP assist page names
    this.set(this.vmx, 'nested.hv_evmcs_vmptr', INVALID_GPA);
    if (w.guestFeatures.has('HYPERV')) {
      const hv = it.allocate(this.struct('kvm_vcpu_hv'), 'kvm_vcpu_hv');
      this.set(vcpuLv, 'arch.hyperv', hv.addr);
      this.set(hv, 'vcpu', this.vcpu);
    }
    this.set(this.vmx, 'nested.enlightened_vmcs_enabled', w.evmcs.enabled);
    this.set(this.vmx, 'msr_ia32_feature_control', 0x5n);
    this.set(this.vmx, 'msr_ia32_feature_control_valid_bits', 0x5n);
    // the VMCSes: vmcs01 loaded, vmcs02 allocated
    const vmcsSize = 4096;
    const v01 = it.mem.alloc(vmcsSize, 'vmcs01');
    const v02 = it.mem.alloc(vmcsSize, 'vmcs02');
    this.set(this.vmx, 'vmcs01.vmcs', v01.addr);
    this.set(this.vmx, 'nested.vmcs02.vmcs', v02.addr);
    // alloc_loaded_vmcs: each VMCS has its MSR bitmap page
    this.set(this.vmx, 'vmcs01.msr_bitmap', it.mem.alloc(4096, 'vmcs01 msr bitmap').addr);
    this.set(this.vmx, 'nested.vmcs02.msr_bitmap', it.mem.alloc(4096, 'vmcs02 msr bitmap').addr);
    const loaded01 = member(it, this.vmx, 'vmcs01');
    if (loaded01) this.set(this.vmx, 'loaded_vmcs', loaded01.addr);
    this.s.current = v01.addr;
    const vmcs01 = new Map<bigint, bigint>();
    this.s.vmcs.set(v01.addr, vmcs01);
    this.s.vmcs.set(v02.addr, new Map());
    const enc = (name: string): bigint | null => it.program.enumerators.get(name) ?? macroNumber(it, name);
    const put = (name: string, v: bigint): void => { const e = enc(name); if (e !== null) vmcs01.set(e, widthMask(e, v)); };
    // vmcs01 as vmx_vcpu_create → init_vmcs leaves it (controls from vmcs_config and the module parameters)
    const cfgNested = member(it, it.global('vmcs_config')!, 'nested'), msrs = member(it, this.vmx, 'nested.msrs');
    if (cfgNested && msrs) it.mem.copy(msrs.addr, cfgNested.addr, it.types.sizeof(msrs.t));
    if (this.program.functions.has('init_vmcs')) it.run('init_vmcs', [it.ptr(this.vmx.addr, this.vmx.t)]);
    // then KVM_SET_CPUID and L1's KVM_SET_MSRs of the VMX capability MSRs: the scenario's final values
    for (const [k, v] of Object.entries(w.nested as unknown as Record<string, bigint>)) this.set(this.vmx, `nested.msrs.${k}`, v);
    put('GUEST_INTERRUPTIBILITY_INFO', w.l1.interruptibility);
    put('GUEST_RFLAGS', 2n);
    put('GUEST_CR0', w.l1.cr0);
    put('GUEST_CR3', w.l1.cr3);
    put('GUEST_CR4', w.l1.cr4);
    put('GUEST_IA32_EFER', w.l1.efer);
    put('GUEST_CS_AR_BYTES', w.l1.csL ? 0xa09bn : 0xc09bn);
    put('GUEST_SS_AR_BYTES', 0xc093n | (w.l1.cpl << 5n));
    // vmcs12: kzalloc(VMCS12_SIZE) as in KVM; filled by name through the tree's field table
    const cached = it.mem.alloc(Math.max(4096, it.types.sizeof(this.struct('vmcs12'))), 'cached_vmcs12');
    this.vmcs12 = { t: this.struct('vmcs12'), addr: cached.addr, bitOff: 0, bits: null };
    const shadow = it.mem.alloc(Math.max(4096, it.types.sizeof(this.struct('vmcs12'))), 'cached_shadow_vmcs12');
    this.set(this.vmx, 'nested.cached_vmcs12', cached.addr);
    this.set(this.vmx, 'nested.cached_shadow_vmcs12', shadow.addr);
    this.fillVmcs12(this.vmcs12);
    // With shadow VMCS, L1's VMWRITEs of shadowed fields went to vmcs01's shadow VMCS: the tree's
    // copy_vmcs12_to_shadow puts vmcs12's values there (nested_vmx_run copies them back).
    if (this.s.params.enable_shadow_vmcs && this.program.functions.has('copy_vmcs12_to_shadow')) {
      const sh = it.mem.alloc(vmcsSize, 'shadow vmcs');
      this.s.vmcs.set(sh.addr, new Map());
      this.set(this.vmx, 'vmcs01.shadow_vmcs', sh.addr);
      it.run('copy_vmcs12_to_shadow', [this.it.ptr(this.vmx.addr, this.struct('vcpu_vmx'))]);
    }
    this.guestMemory();
  }

  /** Runs the assignments to vcpu->arch.<member> found in cpuid.c's kvm_vcpu_after_set_cpuid. */
  private afterSetCpuid(members: string[]): boolean {
    const fn = this.program.functions.get('kvm_vcpu_after_set_cpuid');
    if (!fn) return false;
    let all = true;
    for (const m of members) {
      const stmt = findAssignment(fn.body, m);
      if (!stmt) { all = false; continue; }
      try { this.it.execIn(fn, [this.ptr(this.vcpu, 'kvm_vcpu')], stmt); }
      catch (e) { if (e instanceof InterpError) { this.note(`kvm_vcpu_after_set_cpuid: ${e.reason}`); all = false; } else throw e; }
    }
    return all;
  }

  private runStatement(fn: FunctionDef, args: Value[], st: Stmt): void {
    try { this.it.execIn(fn, args, st); }
    catch (e) { if (e instanceof InterpError) this.note(`${fn.name}: ${e.reason}`); else throw e; }
  }

  private cr4GuestReserved(): bigint {
    // __cr4_reserved_bits(guest_cpuid_has, vcpu), evaluated by kvm_vcpu_after_set_cpuid (cpuid.c)
    const it = this.it;
    const bit = (n: string): bigint => macroNumber(it, n) ?? 0n;
    const pairs: [string, string][] = [
      ['X86_CR4_OSXSAVE', 'XSAVE'], ['X86_CR4_SMEP', 'SMEP'], ['X86_CR4_SMAP', 'SMAP'], ['X86_CR4_FSGSBASE', 'FSGSBASE'], ['X86_CR4_PKE', 'PKU'],
      ['X86_CR4_LA57', 'LA57'], ['X86_CR4_UMIP', 'UMIP'], ['X86_CR4_VMXE', 'VMX'], ['X86_CR4_PCIDE', 'PCID'], ['X86_CR4_LAM_SUP', 'LAM'],
      ['X86_CR4_CET', 'SHSTK'], ['X86_CR4_FRED', 'FRED'],
    ];
    let rsvd = macroNumber(it, 'CR4_RESERVED_BITS') ?? 0n;
    if (!rsvd) {
      // CR4_RESERVED_BITS = ~(the bits KVM knows), in the tree as a long expression
      let known = 0n;
      for (const n of this.program.macros.keys()) if (/^X86_CR4_[A-Z0-9_]+$/.test(n) && !n.endsWith('_BIT')) known |= bit(n);
      rsvd = ~known & M64;
    }
    for (const [b, f] of pairs) if (!this.world.guestFeatures.has(f) && !(f === 'SHSTK' && this.world.guestFeatures.has('IBT'))) rsvd |= bit(b);
    return rsvd & M64;
  }

  private callIfPresent(name: string, args: Value[]): Value | null {
    if (!this.program.functions.has(name)) return null;
    try { return this.it.run(name, args); } catch (e) { if (e instanceof InterpError) { this.note(`${name}: ${e.reason}`); return null; } throw e; }
  }

  /** VMCS field name → vmcs12 member offset and width, through the tree's vmcs12_field_offsets. */
  private fieldOffsets: ((name: string) => { off: number; size: number } | null) | null = null;
  fieldOffset(name: string): { off: number; size: number } | null {
    if (!this.fieldOffsets) {
      const it = this.it;
      let table: LValue | undefined;
      try { table = it.global('vmcs12_field_offsets'); } catch (e) { if (e instanceof InterpError) this.note(`vmcs12 field table: ${e.reason}`); else throw e; }
      const count = table ? it.types.sizeof(table.t) / 2 : 0;
      this.fieldOffsets = (field: string) => {
        const enc = it.program.enumerators.get(field) ?? macroNumber(it, field);
        if (enc === null || enc === undefined || !table) return null;
        const index = Number(((enc << 6n) | (enc >> 10n)) & 0xffffn);
        if (index >= count) return null;
        const off = Number(it.mem.readUnsigned(table.addr + BigInt(index * 2), 2));
        if (!off) return null;
        const w = Number((enc >> 13n) & 3n);
        return { off, size: w === 0 ? 2 : w === 2 ? 4 : 8 };
      };
    }
    return this.fieldOffsets(name);
  }

  /** The scenario's vmcs12 (by field name) into a struct vmcs12. */
  fillVmcs12(v: LValue): void {
    const it = this.it, w = this.world;
    this.set(v, 'hdr.revision_id', w.vmcs12Hdr.revision_id);
    this.set(v, 'hdr.shadow_vmcs', w.vmcs12Hdr.shadow_vmcs);
    this.set(v, 'launch_state', w.vmcs12Hdr.launch_state);
    for (const [lower, value] of w.vmcs12) {
      const name = lower.toUpperCase();
      const f = this.fieldOffset(name);
      if (f) { it.mem.writeUnsigned(v.addr + BigInt(f.off), f.size, value); continue; }
      // fields vmcs12.c's table does not list: by member name (host_ia32_efer ↔ HOST_IA32_EFER)
      if (!setMember(it, v, lower, value)) this.note(`vmcs12 field ${name} is not in the tree's struct vmcs12`);
    }
  }

  /** Guest memory the scenario describes: MSR lists, the VMCS link pointer's header. */
  private guestMemory(): void {
    const w = this.world, g = this.s.guest;
    const lists: [string, { index: bigint; reserved: bigint; value: bigint }[]][] = [
      ['vm_entry_msr_load_addr', w.msrLists.entryLoad], ['vm_exit_msr_load_addr', w.msrLists.exitLoad], ['vm_exit_msr_store_addr', w.msrLists.exitStore],
    ];
    for (const [field, entries] of lists) {
      const addr = w.vmcs12.get(field) ?? 0n;
      entries.forEach((e, i) => {
        const a = addr + BigInt(16 * i);
        g.writeU(a, 4, e.index); g.writeU(a + 4n, 4, e.reserved); g.writeU(a + 8n, 8, e.value);
      });
    }
    // PAE page-directory-pointer tables: not-present entries are valid; "pdptrs_valid": false puts a
    // present entry with reserved bits (2:1, 8:5) in every table a CR3 of the scenario names
    if (!w.l1.pdptrsValid) {
      for (const cr3 of [w.l1.cr3, w.write.cr3, w.vmcs12.get('guest_cr3'), w.vmcs12.get('host_cr3')]) {
        if (cr3 !== undefined) g.writeU(cr3 & 0xffffffe0n, 8, 0x87n);
      }
    }
    // the enlightened VMCS L1 wrote (Hyper-V): the scenario's vmcs12 in eVMCS layout, written by the
    // tree's copy_vmcs12_to_enlightened into the page the VP assist page names (all fields dirty)
    if (w.guestFeatures.has('HYPERV') && w.l1.evmptr !== M64 && w.l1.evmptr !== M64 - 1n) {
      if (w.evmcs.mappable) this.writeEvmcs(w.l1.evmptr);
      else this.s.guest = new HoleMemory(this.s.guest, w.l1.evmptr);
    }
    const link = w.vmcs12.get('vmcs_link_pointer') ?? M64;
    if (link !== M64 && w.linkedVmcs.mapped) g.writeU(link, 4, w.linkedVmcs.revision_id | (w.linkedVmcs.shadow_vmcs << 31n));
    if (link !== M64 && !w.linkedVmcs.mapped) this.s.guest = new HoleMemory(g, link);
  }

  private writeEvmcs(gpa: bigint): void {
    const it = this.it;
    const t = this.struct('hv_enlightened_vmcs');
    const evmcs = it.allocate(t, 'eVMCS image');
    if (this.program.functions.has('copy_vmcs12_to_enlightened')) {
      this.set(this.vmx, 'nested.hv_evmcs', evmcs.addr);
      try { it.run('copy_vmcs12_to_enlightened', [it.ptr(this.vmx.addr, this.vmx.t)]); }
      finally { this.set(this.vmx, 'nested.hv_evmcs', 0n); }
    }
    // every field L1 wrote, placed through the tree's eVMCS field table (evmcs_field_offset)
    if (this.program.functions.has('evmcs_field_offset')) {
      for (const [lower, value] of this.world.vmcs12) {
        const enc = it.program.enumerators.get(lower.toUpperCase());
        if (enc === undefined) continue;
        const off = Number(BigInt.asIntN(32, it.run('evmcs_field_offset', [it.int(enc, ULONG), it.ptr(0n, U16)]).v));
        if (off <= 0) continue;
        const w = Number((enc >> 13n) & 3n);
        it.mem.writeUnsigned(evmcs.addr + BigInt(off), w === 0 ? 2 : w === 2 ? 4 : 8, value);
      }
    }
    this.set(evmcs, 'revision_id', this.world.evmcs.revision);
    this.set(evmcs, 'hv_clean_fields', 0n);
    const size = it.types.sizeof(t);
    const { obj, off } = it.mem.locate(evmcs.addr, size);
    this.s.guest.write(gpa, obj.bytes.slice(off, off + size));
  }

  /** Reads a vmcs12 member by VMCS field name. */
  vmcs12Field(name: string): bigint {
    const f = this.fieldOffset(name);
    if (!f) return 0n;
    return this.it.mem.readUnsigned(this.vmcs12.addr + BigInt(f.off), f.size);
  }

  /** "HOST_CR3" for a byte offset into struct vmcs12 (trace values). */
  vmcs12NameAt(off: number): string | null {
    if (!this.vmcs12Names) {
      this.vmcs12Names = new Map();
      try {
        for (const f of this.it.types.layout(this.struct('vmcs12')).order) if (f.name) this.vmcs12Names.set(f.offset, f.name.toUpperCase());
      } catch { /* no struct vmcs12 */ }
    }
    return this.vmcs12Names.get(off) ?? null;
  }

  /** The CPU's VM-Fail of VMLAUNCH/VMRESUME on vmcs02: VM-instruction error 7 in the current VMCS, vmx->fail set by __vmx_vcpu_run. */
  lateVmFail(): void {
    this.set(this.vmx, 'fail', 1n);
    const enc = this.it.program.enumerators.get('VM_INSTRUCTION_ERROR');
    const cur = this.s.vmcs.get(this.s.current);
    if (enc !== undefined && cur) cur.set(enc, 7n);
  }

  fn(name: string): FunctionDef | undefined { return this.program.functions.get(name); }
  ptr(addr: bigint, tag: string): Value { return this.it.ptr(addr, this.struct(tag)); }
}

/** The expression statement `x->arch.<member> = ...;` in a function body (searched depth-first). */
function findAssignment(s: Stmt, memberName: string): Stmt | null {
  switch (s.k) {
    case 'expr': return s.expr.k === 'assign' && ((s.expr.left.k === 'member' && s.expr.left.field === memberName) || (s.expr.left.k === 'id' && s.expr.left.name === memberName)) ? s : null;
    case 'block': for (const x of s.body) { const r = findAssignment(x, memberName); if (r) return r; } return null;
    case 'if': return findAssignment(s.then, memberName) ?? (s.else ? findAssignment(s.else, memberName) : null);
    case 'label': return s.stmt ? findAssignment(s.stmt, memberName) : null;
    default: return null;
  }
}

/** The top-level statement of a body that calls `name` (an `if` around the call included). */
function findStatementCalling(body: Block, name: string): Stmt | null {
  const calls = (x: unknown): boolean => {
    if (!x || typeof x !== 'object') return false;
    const o = x as { k?: string; callee?: { k?: string; name?: string } };
    if (o.k === 'call' && o.callee?.k === 'id' && o.callee.name === name) return true;
    return Object.values(x as Record<string, unknown>).some(v => typeof v === 'object' && v !== null && calls(v));
  };
  return body.body.find(st => calls(st)) ?? null;
}

/** Guest memory with one page not backed by any memslot (an unmapped VMCS link pointer). */
class HoleMemory extends GuestMemory {
  constructor(private readonly inner: GuestMemory, private readonly hole: bigint) { super(inner.size); }
  override backed(gpa: bigint, len = 1n): boolean {
    const page = this.hole & ~0xfffn;
    if (gpa < page + 4096n && gpa + len > page) return false;
    return this.inner.backed(gpa, len);
  }
  override read(gpa: bigint, len: number): Uint8Array | null { return this.backed(gpa, BigInt(len)) ? this.inner.read(gpa, len) : null; }
  override write(gpa: bigint, bytes: Uint8Array): boolean { return this.backed(gpa, BigInt(bytes.length)) ? this.inner.write(gpa, bytes) : false; }
}

// ---- the paths ----

export type PathRunner = (sim: Sim) => Outcome;

function recorded(sim: Sim): Outcome | null { return sim.s.recorded?.outcome ?? null; }

const FAILED_VMENTRY = 0x80000000n;

function nestedVmentry(sim: Sim): Outcome {
  const w = sim.world, it = sim.it;
  sim.buildVcpu();
  const r = it.run('nested_vmx_run', [sim.ptr(sim.vcpu, 'kvm_vcpu'), it.int(w.l1.launch, BOOL)]);
  const rec = recorded(sim);
  if (rec) return rec;
  const reason = sim.vmcs12Field('VM_EXIT_REASON');
  if (reason & FAILED_VMENTRY) {
    return { kind: 'entry-failure-vmexit', exitReason: hex(reason), exitQualification: hex(sim.vmcs12Field('EXIT_QUALIFICATION')) };
  }
  if (r.v === 0n) return { kind: 'error', errno: 'KVM_EXIT_INTERNAL_ERROR' };
  // KVM is done; the CPU enters vmcs02 (the hardware's own checks, then a reflected VM-exit)
  return hardwareEntry(sim);
}

function nestedVmexit(sim: Sim): Outcome {
  const w = sim.world, it = sim.it;
  sim.buildVcpu();
  const vcpu = member(it, sim.vmx, 'vcpu')!;
  sim.set(vcpu, 'arch.hflags', macroNumber(it, 'HF_GUEST_MASK') ?? 1n);
  const v02 = member(it, sim.vmx, 'nested.vmcs02');
  if (v02) sim.set(sim.vmx, 'loaded_vmcs', v02.addr);
  const v02vmcs = member(it, sim.vmx, 'nested.vmcs02.vmcs');
  if (v02vmcs) sim.s.current = it.load(v02vmcs).v;
  if (w.exit.lateFail) sim.lateVmFail();
  it.run('nested_vmx_vmexit', [sim.ptr(sim.vcpu, 'kvm_vcpu'), it.int(w.exit.reason, UINT), it.int(0, UINT), it.int(w.exit.qualification, ULONG)]);
  return recorded(sim) ?? { kind: 'ok' };
}

const ERRNO_NAMES: Record<number, string> = { 1: 'EPERM', 5: 'EIO', 7: 'E2BIG', 12: 'ENOMEM', 14: 'EFAULT', 16: 'EBUSY', 17: 'EEXIST', 19: 'ENODEV', 22: 'EINVAL', 34: 'ERANGE', 38: 'ENOSYS', 95: 'EOPNOTSUPP', 524: 'ENOTSUPP' };
export function errnoName(rc: number): string { return ERRNO_NAMES[-rc] ?? String(rc); }

function moduleLoad(sim: Sim): Outcome {
  const it = sim.it;
  // vmx_init: kvm_is_vmx_supported() before anything else
  const sup = ['kvm_is_vmx_supported', '__kvm_is_vmx_supported'].find(f => sim.program.functions.has(f));
  if (sup && it.run(sup, []).v === 0n) return { kind: 'load-failed', errno: 'EOPNOTSUPP' };
  const rc = sim.loadModule();
  if (rc !== 0) return { kind: 'load-failed', errno: errnoName(rc) };
  const cfg = it.global('vmcs_config')!;
  const rd = (m: string): string => { const lv = member(it, cfg, m); return hex(lv ? it.load(lv).v : 0n); };
  const param = (n: string): boolean => { const lv = it.global(n); return lv ? it.load(lv).v !== 0n : false; };
  return {
    kind: 'loaded',
    vmcsConfig: {
      PIN_BASED_VM_EXEC_CONTROL: rd('pin_based_exec_ctrl'), CPU_BASED_VM_EXEC_CONTROL: rd('cpu_based_exec_ctrl'),
      SECONDARY_VM_EXEC_CONTROL: rd('cpu_based_2nd_exec_ctrl'), VM_ENTRY_CONTROLS: rd('vmentry_ctrl'), VM_EXIT_CONTROLS: rd('vmexit_ctrl'),
      ept: param('enable_ept'), vpid: param('enable_vpid'),
    },
  };
}

/** A block statement of a body that declares `name` (e.g. the `case KVM_SET_NESTED_STATE: { ... }` of an ioctl switch). */
function findBlockDeclaring(s: Stmt, name: string, uses: string): Stmt | null {
  switch (s.k) {
    case 'block':
      if (s.body.some(x => x.k === 'decl' && x.decls.some(d => d.name === name)) && mentionsMember(s, uses)) return s;
      for (const x of s.body) { const r = findBlockDeclaring(x, name, uses); if (r) return r; }
      return null;
    case 'switch': case 'while': case 'do': case 'for': return findBlockDeclaring(s.body, name, uses);
    case 'if': return findBlockDeclaring(s.then, name, uses) ?? (s.else ? findBlockDeclaring(s.else, name, uses) : null);
    case 'label': return s.stmt ? findBlockDeclaring(s.stmt, name, uses) : null;
    default: return null;
  }
}
function mentionsMember(x: unknown, field: string): boolean {
  if (!x || typeof x !== 'object') return false;
  const o = x as { k?: string; field?: string };
  if (o.k === 'member' && o.field === field) return true;
  return Object.values(x as Record<string, unknown>).some(v => typeof v === 'object' && v !== null && mentionsMember(v, field));
}

/** The return value of an ioctl/handler as the contract's errno (negative errno, or a positive NVMX_VMENTRY_* status). */
function statusName(sim: Sim, rc: number): string {
  if (rc > 0) {
    for (const [n, v] of sim.program.enumerators) if (n.startsWith('NVMX_VMENTRY_') && Number(v) === rc) return n;
  }
  return errnoName(rc);
}

function setNestedState(sim: Sim): Outcome {
  const it = sim.it, w = sim.world, ns = w.nestedState;
  sim.buildVcpu();
  const ioctl = sim.program.functions.get('kvm_arch_vcpu_ioctl');
  const body = ioctl ? findBlockDeclaring(ioctl.body, 'kvm_state', 'set_state') : null;
  if (!ioctl || !body) throw new InterpError('the tree has no KVM_SET_NESTED_STATE case in kvm_arch_vcpu_ioctl');
  // userspace's buffer: the header, then vmcs12 and the shadow vmcs12 (struct kvm_vmx_nested_state_data)
  const hdrT = sim.struct('kvm_nested_state');
  const hdrSize = it.types.sizeof(hdrT);
  const bytes = Math.max(hdrSize + 2 * 4096, Math.min(Number(ns.size), 1 << 16));
  const buf = it.mem.alloc(bytes, 'userspace kvm_nested_state');
  const hdr: LValue = { t: hdrT, addr: buf.addr, bitOff: 0, bits: null };
  sim.set(hdr, 'flags', ns.flags);
  sim.set(hdr, 'format', ns.format);
  sim.set(hdr, 'size', ns.size);
  sim.set(hdr, 'hdr.vmx.vmxon_pa', ns.vmxon_pa);
  sim.set(hdr, 'hdr.vmx.vmcs12_pa', ns.vmcs12_pa);
  sim.set(hdr, 'hdr.vmx.smm.flags', ns.smm_flags);
  sim.set(hdr, 'hdr.vmx.flags', ns.vmx_flags);
  const data = member(it, hdr, 'data');
  const dataAddr = data ? data.addr : buf.addr + BigInt(hdrSize);
  sim.fillVmcs12({ t: sim.struct('vmcs12'), addr: dataAddr, bitOff: 0, bits: null });
  const shadow: LValue = { t: sim.struct('vmcs12'), addr: dataAddr + 4096n, bitOff: 0, bits: null };
  sim.set(shadow, 'hdr.revision_id', w.linkedVmcs.revision_id);
  sim.set(shadow, 'hdr.shadow_vmcs', w.linkedVmcs.shadow_vmcs);
  const vcpuT: LValue['t'] = { k: 'ptr', to: sim.struct('kvm_vcpu') };
  const locals = it.execIn(ioctl, [it.ptr(0n, { k: 'void' }), it.int(0, UINT), it.int(buf.addr, ULONG)], body, [
    ['vcpu', vcpuT, it.ptr(sim.vcpu, sim.struct('kvm_vcpu'))], ['argp', { k: 'ptr', to: { k: 'void' } }, it.ptr(buf.addr, { k: 'void' })], ['r', INT, it.int(0)],
  ]);
  const r = Number(BigInt.asIntN(32, it.load(locals.get('r')!).v));
  if (sim.s.recorded) return sim.s.recorded.outcome;
  return r === 0 ? { kind: 'ok' } : { kind: 'error', errno: statusName(sim, r) };
}

/** The MMU work KVM did (recorded by the boundary's MMU entries): the contract's mmu field. */
function mmuOf(sim: Sim): string {
  if (sim.s.requests.has(-1)) return 'kvm_mmu_reset_context';
  if (sim.s.requests.has(-2)) return 'kvm_init_mmu';
  return 'none';
}

/** L1's control registers as KVM_SET_SREGS/vcpu reset leave them: the tree's vmx_set_cr0/cr4/efer on the built vCPU. */
function setL1Registers(sim: Sim): void {
  const it = sim.it, w = sim.world, vcpu = sim.ptr(sim.vcpu, 'kvm_vcpu');
  for (const [fn, v] of [['vmx_set_efer', w.l1.efer], ['vmx_set_cr4', w.l1.cr4], ['vmx_set_cr0', w.l1.cr0]] as const) {
    if (sim.program.functions.has(fn)) it.run(fn, [vcpu, it.int(v, ULONG)]);
  }
  sim.s.requests.clear();
  sim.s.recorded = null;
}

/** A VM-exit for MOV to CRn from RAX (exit qualification: CR number, access type 0, register 0), handled by handle_cr. */
function movToCr(sim: Sim, cr: number, value: bigint): void {
  const it = sim.it;
  const vcpuLv = member(it, sim.vmx, 'vcpu')!;
  const regs = member(it, vcpuLv, 'arch.regs');
  if (regs) it.mem.writeUnsigned(regs.addr, 8, value);
  sim.set(sim.vmx, 'exit_qualification', BigInt(cr));
  it.run('handle_cr', [sim.ptr(sim.vcpu, 'kvm_vcpu')]);
}

/** KVM_SET_SREGS with L1's state and the written register(s). */
function setSregs(sim: Sim): Outcome {
  const it = sim.it, w = sim.world;
  const sregs = it.allocate(sim.struct('kvm_sregs'), 'kvm_sregs');
  const seg = (name: string, sel: bigint, type: bigint, s: boolean, l: boolean, db: boolean): void => {
    sim.set(sregs, `${name}.selector`, sel); sim.set(sregs, `${name}.type`, type); sim.set(sregs, `${name}.present`, 1n);
    sim.set(sregs, `${name}.s`, s); sim.set(sregs, `${name}.l`, l); sim.set(sregs, `${name}.db`, db); sim.set(sregs, `${name}.g`, 1n);
    sim.set(sregs, `${name}.limit`, 0xffffffffn);
  };
  seg('cs', 8n, 11n, true, w.l1.csL, !w.l1.csL);
  for (const d of ['ds', 'es', 'fs', 'gs', 'ss']) seg(d, 0x10n, 3n, true, false, true);
  seg('tr', 0x18n, 11n, false, false, false);
  sim.set(sregs, 'tr.limit', 0x67n); sim.set(sregs, 'tr.g', 0n);
  sim.set(sregs, 'ldt.unusable', 1n);
  sim.set(sregs, 'gdt.limit', 0xffffn); sim.set(sregs, 'idt.limit', 0xffffn);
  sim.set(sregs, 'cr0', w.write.cr0 ?? w.l1.cr0);
  sim.set(sregs, 'cr3', w.write.cr3 ?? w.l1.cr3);
  sim.set(sregs, 'cr4', w.write.cr4 ?? w.l1.cr4);
  sim.set(sregs, 'efer', w.write.efer ?? w.l1.efer);
  sim.set(sregs, 'apic_base', 0xfee00900n);
  const r = Number(BigInt.asIntN(32, it.run('kvm_arch_vcpu_ioctl_set_sregs', [sim.ptr(sim.vcpu, 'kvm_vcpu'), it.ptr(sregs.addr, sregs.t)]).v));
  if (r !== 0) return { kind: 'error', errno: errnoName(r) };
  return { kind: 'ok', intercepted: false, mmu: mmuOf(sim) };
}

function vmcs01Field(sim: Sim, name: string): bigint {
  const it = sim.it;
  const enc = it.program.enumerators.get(name);
  const loaded = member(it, sim.vmx, 'vmcs01.vmcs');
  if (enc === undefined || !loaded) return 0n;
  return sim.s.vmcs.get(it.load(loaded).v)?.get(enc) ?? 0n;
}

function cr0Write(sim: Sim): Outcome {
  const w = sim.world;
  sim.buildVcpu();
  setL1Registers(sim);
  if (w.write.by === 'userspace') return setSregs(sim);
  const next = w.write.cr0 ?? w.l1.cr0;
  if (w.write.l2) return cr0WriteByL2(sim, next);
  // the CPU: MOV to CR0 exits when a bit set in CR0_GUEST_HOST_MASK differs from CR0_READ_SHADOW
  const mask = vmcs01Field(sim, 'CR0_GUEST_HOST_MASK'), shadow = vmcs01Field(sim, 'CR0_READ_SHADOW');
  const intercepted = ((next ^ shadow) & mask) !== 0n;
  if (sim.tracing) sim.s.trace.push({ function: 'vmx_vcpu_run', check: 'cr0-write-intercepted', result: 'pass', values: { CR0_GUEST_HOST_MASK: hex(mask), CR0_READ_SHADOW: hex(shadow), cr0: hex(next), intercepted: intercepted ? '0x1' : '0x0' } });
  if (!intercepted && !w.write.emulated) return { kind: 'ok', intercepted: false, mmu: 'none' };
  movToCr(sim, 0, next);
  if (sim.s.recorded) return sim.s.recorded.outcome;
  return { kind: 'ok', intercepted, mmu: mmuOf(sim) };
}

/** L2 writes CR0: L1 enters L2 through nested_vmx_run first; the CPU checks vmcs02's mask; L0 reflects or handles the exit. */
function cr0WriteByL2(sim: Sim, next: bigint): Outcome {
  const it = sim.it, vcpu = sim.ptr(sim.vcpu, 'kvm_vcpu');
  it.run('nested_vmx_run', [vcpu, it.int(sim.world.l1.launch, BOOL)]);
  const reason = sim.vmcs12Field('VM_EXIT_REASON');
  if (sim.s.recorded || (reason & FAILED_VMENTRY)) throw new InterpError('L1 could not enter L2 for the CR0 write (nested VM-entry failed)');
  sim.set(sim.vmx, 'nested.nested_run_pending', 0n);
  sim.s.requests.clear();
  const mask = vmcsField(sim, 'CR0_GUEST_HOST_MASK'), shadow = vmcsField(sim, 'CR0_READ_SHADOW');
  const exits = ((next ^ shadow) & mask) !== 0n;
  if (sim.tracing) sim.s.trace.push({ function: 'vmx_vcpu_run', check: 'cr0-write-intercepted (vmcs02)', result: 'pass', values: { CR0_GUEST_HOST_MASK: hex(mask), CR0_READ_SHADOW: hex(shadow), cr0: hex(next), intercepted: exits ? '0x1' : '0x0' } });
  if (!exits) return { kind: 'ok', intercepted: false, mmu: 'none' };
  const vcpuLv = member(it, sim.vmx, 'vcpu')!;
  const regs = member(it, vcpuLv, 'arch.regs');
  if (regs) it.mem.writeUnsigned(regs.addr, 8, next);
  sim.set(sim.vmx, 'exit_qualification', 0n);
  sim.set(sim.vmx, 'exit_reason.full', it.program.enumerators.get('EXIT_REASON_CR_ACCESS') ?? macroNumber(it, 'EXIT_REASON_CR_ACCESS') ?? 28n);
  if (it.run('nested_vmx_reflect_vmexit', [vcpu]).v !== 0n) return recorded(sim) ?? { kind: 'ok', intercepted: true, mmu: 'none' };
  it.run('handle_cr', [vcpu]);
  return recorded(sim) ?? { kind: 'ok', intercepted: true, mmu: mmuOf(sim) };
}

/** A field of the currently loaded VMCS. */
function vmcsField(sim: Sim, name: string): bigint {
  const enc = sim.it.program.enumerators.get(name);
  return enc === undefined ? 0n : sim.s.vmcs.get(sim.s.current)?.get(enc) ?? 0n;
}

function cr3Write(sim: Sim): Outcome {
  const w = sim.world;
  sim.buildVcpu();
  setL1Registers(sim);
  if (w.write.by === 'userspace') return setSregs(sim);
  const next = w.write.cr3 ?? w.l1.cr3;
  // the CPU: MOV to CR3 exits when vmcs01 has CR3-load exiting
  const exec = vmcs01Field(sim, 'CPU_BASED_VM_EXEC_CONTROL');
  const bit = sim.it.program.enumerators.get('CPU_BASED_CR3_LOAD_EXITING') ?? macroNumber(sim.it, 'CPU_BASED_CR3_LOAD_EXITING') ?? 0x8000n;
  const intercepted = (exec & bit) !== 0n;
  if (sim.tracing) sim.s.trace.push({ function: 'vmx_vcpu_run', check: 'cr3-write-intercepted', result: 'pass', values: { CPU_BASED_VM_EXEC_CONTROL: hex(exec), cr3: hex(next), intercepted: intercepted ? '0x1' : '0x0' } });
  if (!intercepted && !w.write.emulated) return cr3Hardware(sim, next);
  movToCr(sim, 3, next);
  if (sim.s.recorded) return sim.s.recorded.outcome;
  return { kind: 'ok', intercepted, mmu: 'none' };
}

export const PATHS: Record<string, { entry: string; run: PathRunner }> = {
  'cr0-write': { entry: 'handle_cr', run: cr0Write },
  'cr3-write': { entry: 'handle_cr', run: cr3Write },
  'set-nested-state': { entry: 'vmx_set_nested_state', run: setNestedState },
  'module-load': { entry: 'vmx_hardware_setup', run: moduleLoad },
  'nested-vmentry': { entry: 'nested_vmx_run', run: nestedVmentry },
  'nested-vmexit': { entry: 'nested_vmx_vmexit', run: nestedVmexit },
};

export type { TraceRow };
