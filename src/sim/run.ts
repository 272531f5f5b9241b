// Runs the check tables in KVM's order for one path and turns the first failure into the result
// KVM reports. The control flow between checks (what runs after what, which result a path
// reports) follows Linux v6.12 (reference kvm-nested-vmx.md §2–§7); the checks themselves are data.
import {
  CONTROL_CHECKS, HARDWARE_CONTROL_CHECKS, HARDWARE_GUEST_CHECKS, CR0_CHECKS, CR3_CHECKS, ENTER_CHECKS, FUNCTION_LOCALS, GUEST_STATE_CHECKS, HOST_STATE_CHECKS, MODULE_LOAD_CHECKS,
  NESTED_STATE_CHECKS, RUN_CHECKS, VMEXIT_CHECKS, type CheckDef, type FailResult,
} from '../knowledge/checks';
import { evaluateText, ExprError, parseExpr, type EvalEnv, type Expr } from './expr';
import { makeEnv, type EvalContext, type Machine } from './env';
import { constantValue, hex } from '../knowledge/names';
import { ScenarioError } from './scenario';
import { effectiveParams, setupVmcsConfig } from './vmxcaps';

export interface TraceStep { function: string; check: string; result: 'pass' | 'fail' | 'skip'; values: Record<string, string> }
export interface Outcome { kind: string; [field: string]: unknown }
export interface FailedCheck { id: string; function: string; condition: string; sdm: string }

/** How a simulation may be changed: a check's condition replaced (text) or removed (null). */
export interface SimulateOptions {
  overrides?: Record<string, string | null>;
  /** false: record no values in the trace (only a failing step), for fast scenario searches. */
  trace?: boolean;
  /** Checks to add (e.g. from a patch): each runs right after `after` (a check id). */
  added?: { after: string; check: CheckDef }[];
  /** Macros redefined (e.g. by a patch's `#define` lines): name → C expression of the new value. */
  defines?: Record<string, string>;
  /** A check's result replaced (a patch's own lines after its condition). `continue` with a
   *  warning: the check fires, the warning is printed and the path goes on. */
  results?: Record<string, FailResult & { warning?: string }>;
  /** Checks whose place the run reaches (guard true, removed or not) are listed in `reached`. */
  watch?: readonly string[];
}

export interface RunResult { outcome: Outcome; warnings: string[]; failedCheck: FailedCheck | null; trace: TraceStep[]; reached?: string[] }

const M64 = (1n << 64n) - 1n;
const k = (n: string): bigint => constantValue(n)!;

/** Parsed locals per kernel function (the tables are constant). */
const LOCAL_CACHE = new Map<string, Record<string, Expr>>();

class Runner {
  trace: TraceStep[] = [];
  warnings: string[] = [];
  vars: Record<string, bigint> = {};
  failed: { check: CheckDef; condition: string } | null = null;
  /** The last check that fired with a `continue` result (the module-load gate reads it). */
  softFired: string | null = null;
  readonly reached = new Set<string>();
  private readonly watch: ReadonlySet<string> | null;
  private readonly ctx: EvalContext;
  private readonly env: EvalEnv;
  private readonly tracing: boolean;
  private localsFor = '';
  constructor(readonly m: Machine, readonly opts: SimulateOptions) {
    this.tracing = opts.trace !== false;
    this.watch = opts.watch?.length ? new Set(opts.watch) : null;
    this.ctx = { vars: this.vars, extra: {}, locals: {}, localValues: new Map(), record: null };
    this.env = makeEnv(m, this.ctx);
    // a redefined macro reads as a variable: conditions and the CR0 ownership helper see it
    for (const [name, text] of Object.entries(opts.defines ?? {})) this.vars[name] = this.evalIn(text, `#define ${name}`, null, {}, {});
  }

  private parse(text: string, id: string): Expr {
    try { return parseExpr(text); }
    catch (e) { throw new ScenarioError(`check ${id}: cannot parse condition "${text}": ${(e as Error).message}`); }
  }
  private evalIn(text: string, id: string, record: Record<string, bigint> | null, extra: Record<string, bigint>, locals: Record<string, Expr>): bigint {
    const ctx = this.ctx;
    ctx.extra = extra; ctx.locals = locals; ctx.record = record;
    try { return evaluateText(text, this.env); }
    catch (e) {
      if (e instanceof ExprError) throw new ScenarioError(`check ${id}: ${e.message} in "${text}"`);
      throw e;
    }
  }

  /** Runs one check; returns true when it fails (the failure is remembered). */
  check(c: CheckDef, extra: Record<string, bigint> = {}): boolean {
    const ov = this.opts.overrides;
    const overridden = ov !== undefined && Object.hasOwn(ov, c.id);
    const locals = this.localsOf(c);
    if (overridden && ov[c.id] === null) {
      // removed: its place is still reached when its guard holds
      if (this.watch?.has(c.id) && (!c.guard || this.evalIn(c.guard, c.id, null, extra, locals) !== 0n)) this.reached.add(c.id);
      return this.after(c, extra);
    }
    const condition = overridden ? ov[c.id] as string : c.condition;
    const values: Record<string, bigint> | null = this.tracing ? {} : null;
    // Locals depend only on vmcs12, which a run never changes: without a trace they are computed
    // once per function; with a trace each check re-reads them so its values show the fields.
    if (this.ctx.localValues.size && (this.tracing || c.function !== this.localsFor)) this.ctx.localValues = new Map();
    this.localsFor = c.function;
    if (c.guard && this.evalIn(c.guard, c.id, values, extra, locals) === 0n) {
      this.push(c, 'skip', values);
      return this.after(c, extra);
    }
    if (this.watch?.has(c.id)) this.reached.add(c.id);
    const bad = this.evalIn(condition, c.id, values, extra, locals) !== 0n;
    this.push(c, bad ? 'fail' : 'pass', values);
    if (bad) {
      const own = this.opts.results?.[c.id];
      if (own?.kind === 'continue') {
        if (own.warning && !this.warnings.includes(own.warning)) this.warnings.push(own.warning);
        this.softFired = c.id;
        return this.after(c, extra);
      }
      this.failed = { check: own ? { ...c, result: own } : c, condition };
      return true;
    }
    return this.after(c, extra);
  }
  private localsOf(c: CheckDef): Record<string, Expr> {
    let l = LOCAL_CACHE.get(c.function);
    if (!l) {
      l = {};
      for (const [name, text] of Object.entries(FUNCTION_LOCALS[c.function] ?? {})) l[name] = this.parse(text, c.id);
      LOCAL_CACHE.set(c.function, l);
    }
    return l;
  }
  private push(c: CheckDef, result: TraceStep['result'], values: Record<string, bigint> | null): void {
    if (!this.tracing) { if (result === 'fail') this.trace.push({ function: c.function, check: c.id, result, values: {} }); return; }
    const out: Record<string, string> = {};
    for (const key in values) out[key] = hex(values[key]);
    this.trace.push({ function: c.function, check: c.id, result, values: out });
  }
  private after(c: CheckDef, extra: Record<string, bigint>): boolean {
    for (const a of this.opts.added ?? []) if (a.after === c.id && this.check(a.check, extra)) return true;
    return false;
  }
  /** Runs checks in order until one fails. */
  group(checks: readonly CheckDef[], extra: Record<string, bigint> = {}): boolean {
    for (const c of checks) if (this.check(c, extra)) return true;
    return false;
  }
  /** A trace step that is not a consistency check but a decision KVM takes (e.g. ownership). */
  note(fn: string, check: string, values: Record<string, bigint | string>): void {
    if (!this.tracing) return;
    this.trace.push({ function: fn, check, result: 'pass', values: Object.fromEntries(Object.entries(values).map(([kk, v]) => [kk, typeof v === 'bigint' ? hex(v) : v])) });
  }

  result(outcome: Outcome): RunResult {
    const f = this.failed;
    return { outcome, warnings: this.warnings, trace: this.trace, ...(this.watch ? { reached: [...this.reached] } : {}),
      failedCheck: f ? { id: f.check.id, function: f.check.function, condition: f.condition, sdm: f.check.sdm } : null };
  }
  /** The outcome a failed check's result stands for. */
  failOutcome(r: FailResult): Outcome {
    switch (r.kind) {
      case 'vmfail-invalid': return { kind: 'vmfail-invalid' };
      case 'vmfail-valid': return { kind: 'vmfail-valid', vmInstructionError: r.vmInstructionError };
      case 'entry-failure-vmexit': return { kind: 'entry-failure-vmexit', exitReason: hex(BigInt(r.exitReason)), exitQualification: hex(r.exitQualification === 'index' ? (this.vars.failed_index ?? 0n) : BigInt(r.exitQualification)) };
      case 'abort': return { kind: 'abort', abortIndicator: r.abortIndicator };
      case 'load-failed': return { kind: 'load-failed', errno: r.errno };
      case 'error': return { kind: 'error', errno: r.errno };
      case 'fault': return { kind: 'fault', vector: r.vector };
      case 'internal-error': return { kind: 'error', errno: r.detail };
      case 'continue': return { kind: 'ok' };
    }
  }
}

const EVMPTRLD = { EVMPTRLD_DISABLED: 0n, EVMPTRLD_SUCCEEDED: 1n, EVMPTRLD_VMFAIL: 2n, EVMPTRLD_ERROR: 3n };
const EVMPTR_INVALID = M64;
const EVMPTR_MAP_PENDING = M64 - 1n;

function guestEvmcs(m: Machine): boolean { return m.w.guestFeatures.has('HYPERV') && m.w.evmcs.enabled; }

/** nested_vmx_handle_enlightened_vmptrld's status for the scenario. */
function evmptrld(m: Machine): bigint {
  if (!guestEvmcs(m)) return EVMPTRLD.EVMPTRLD_DISABLED;
  const ptr = m.w.evmcs.vpAssistEnabled ? m.w.l1.evmptr : EVMPTR_INVALID;
  if (ptr === EVMPTR_INVALID || ptr === EVMPTR_MAP_PENDING) return EVMPTRLD.EVMPTRLD_DISABLED;
  if (!m.w.evmcs.mappable) return EVMPTRLD.EVMPTRLD_ERROR;
  if (m.w.evmcs.revision !== 1n && m.w.evmcs.revision !== 0x11e57ed0n) return EVMPTRLD.EVMPTRLD_VMFAIL;
  return EVMPTRLD.EVMPTRLD_SUCCEEDED;
}

function isPae(cr0: bigint, cr4: bigint, lma: boolean): boolean { return (cr0 & k('X86_CR0_PG')) !== 0n && (cr4 & k('X86_CR4_PAE')) !== 0n && !lma; }

/** Host-state loading after an emulated or failed-entry VM-exit (load_vmcs12_host_state). */
function loadHostState(r: Runner): boolean {
  const v = r.m.vmcs12;
  const hostLma = ((v.get('vm_exit_controls') ?? 0n) & k('VM_EXIT_HOST_ADDR_SPACE_SIZE')) !== 0n;
  r.note('load_vmcs12_host_state', 'cr0-guest-owned-bits-reset', { cr0_guest_owned_bits: l1OwnedCr0(r.m, r.vars), HOST_CR0: v.get('host_cr0') ?? 0n });
  r.vars.is_pae_paging_host = isPae(v.get('host_cr0') ?? 0n, v.get('host_cr4') ?? 0n, hostLma) ? 1n : 0n;
  if (r.check(VMEXIT_CHECKS.find(c => c.id === 'host-cr3-reload')!)) return true;
  if (r.check(VMEXIT_CHECKS.find(c => c.id === 'host-pdptes')!)) return true;
  r.vars.__exit_list = 1n;
  const bad = r.check(VMEXIT_CHECKS.find(c => c.id === 'exit-msr-load')!);
  r.vars.__exit_list = 0n;
  return bad;
}

/** vmx_l1_guest_owned_cr0_bits(): TS, plus WP when EPT is enabled. */
export function l1OwnedCr0(m: Machine, vars: Record<string, bigint> = {}): bigint {
  const bits = vars.KVM_POSSIBLE_CR0_GUEST_BITS ?? k('KVM_POSSIBLE_CR0_GUEST_BITS');
  return m.params.ept ? bits : bits & ~k('X86_CR0_WP');
}

function nestedVmentry(r: Runner): RunResult {
  const m = r.m;
  const byId = (id: string): CheckDef => RUN_CHECKS.find(c => c.id === id)!;
  if (r.check(byId('vmx-not-on')) || r.check(byId('cpl-nonzero'))) return r.result(r.failOutcome(r.failed!.check.result));
  Object.assign(r.vars, EVMPTRLD);
  r.vars.evmptrld_status = evmptrld(m);
  const evmcs = r.vars.evmptrld_status === EVMPTRLD.EVMPTRLD_SUCCEEDED;
  r.vars.evmcs_valid = evmcs ? 1n : 0n;
  if (evmcs) { r.vars.current_vmptr = M64; r.vars.launch_state = m.w.l1.launch ? 0n : 1n; }
  r.vars.launch = m.w.l1.launch ? 1n : 0n;
  for (const id of ['evmcs-map-error', 'evmcs-vmfail', 'no-current-vmcs', 'shadow-vmcs-launch', 'mov-ss-blocking', 'launch-state']) {
    if (r.check(byId(id))) {
      const res = r.failed!.check.result;
      if (id === 'launch-state') return r.result({ kind: 'vmfail-valid', vmInstructionError: m.w.l1.launch ? 4 : 5 });
      return r.result(r.failOutcome(res));
    }
  }
  if (r.group(CONTROL_CHECKS)) return r.result({ kind: 'vmfail-valid', vmInstructionError: 7 });
  if (r.check(byId('address-space-size'))) return r.result({ kind: 'vmfail-valid', vmInstructionError: 8 });
  if (r.group(HOST_STATE_CHECKS)) return r.result({ kind: 'vmfail-valid', vmInstructionError: 8 });
  r.vars.nested_run_pending = 1n;
  r.vars.from_vmentry = 1n;
  r.vars.early_hw_vmfail = 0n;
  const enter = (id: string): CheckDef => ENTER_CHECKS.find(c => c.id === id)!;
  // nested_get_vmcs12_pages runs before the guest-state checks (prepare_vmcs02_early done).
  if (r.check(enter('apic-access-page-unbacked'))) return r.result({ kind: 'error', errno: 'KVM_EXIT_INTERNAL_ERROR' });
  if (r.check(enter('vmentry-hw-early-check'))) return r.result({ kind: 'vmfail-valid', vmInstructionError: 7 });
  // With nested_early_check=1 the CPU's control checks run here, before KVM's guest-state checks.
  const early = m.params.nested_early_check;
  if (early && r.group(HARDWARE_CONTROL_CHECKS)) return r.result({ kind: 'vmfail-valid', vmInstructionError: 7 });
  let failure: Outcome | null = null;
  if (r.group(GUEST_STATE_CHECKS)) failure = r.failOutcome(r.failed!.check.result);
  if (!failure) {
    const v = m.vmcs12;
    const ia32e = ((v.get('vm_entry_controls') ?? 0n) & k('VM_ENTRY_IA32E_MODE')) !== 0n;
    r.vars.is_pae_paging_guest = isPae(v.get('guest_cr0') ?? 0n, v.get('guest_cr4') ?? 0n, ia32e) ? 1n : 0n;
    r.note('prepare_vmcs02', 'cr0-guest-owned-bits', { cr0_guest_owned_bits: l1OwnedCr0(m, r.vars) & ~(v.get('cr0_guest_host_mask') ?? 0n), CR0_GUEST_HOST_MASK: v.get('cr0_guest_host_mask') ?? 0n });
    for (const id of ['guest-state-emulation', 'guest-cr3-legal', 'guest-pdptes']) {
      if (r.check(enter(id))) { failure = r.failOutcome(r.failed!.check.result); break; }
    }
  }
  if (!failure) {
    const c = enter('entry-msr-load');
    // The helper leaves the 1-based index of the failing entry in vars.failed_index.
    if (r.check(c)) failure = r.failOutcome(c.result);
  }
  // vmcs02 is entered: the CPU checks controls KVM did not (late VM-Fail: VMfailValid 7, L1's
  // state restored from vmcs01, no host-state load), then guest state (reflected as reason 33).
  if (!failure && !early && r.group(HARDWARE_CONTROL_CHECKS)) return r.result({ kind: 'vmfail-valid', vmInstructionError: 7 });
  if (!failure && r.group(HARDWARE_GUEST_CHECKS)) failure = r.failOutcome(r.failed!.check.result);
  if (failure) {
    // Failed-entry "VM-exit": L1's host state is loaded from vmcs12, which may itself abort.
    const failedBefore = r.failed;
    if (loadHostState(r)) return r.result(r.failOutcome(r.failed!.check.result));
    r.failed = failedBefore;
    return r.result(failure);
  }
  return r.result({ kind: 'entered' });
}

function setNestedState(r: Runner): RunResult {
  const m = r.m;
  const st = m.w.nestedState;
  const byId = (id: string): CheckDef => NESTED_STATE_CHECKS.find(c => c.id === id)!;
  const EINVAL: Outcome = { kind: 'error', errno: 'EINVAL' };
  const ids = ['state-size-header', 'state-flags-unknown', 'state-run-pending-without-guest-mode', 'state-format', 'state-no-vmxon-smm', 'state-no-vmxon-vmcs12',
    'state-no-vmxon-flags', 'state-vmx-cpuid', 'state-vmxon-address', 'state-smm-guest-mode', 'state-smm-flags-unknown', 'state-vmx-flags-unknown',
    'state-smm-consistency', 'state-smm-guest-without-vmxon', 'state-evmcs-not-enabled'];
  for (const id of ids) if (r.check(byId(id))) return r.result(EINVAL);
  r.note('vmx_set_nested_state', 'vmx_leave_nested', {});
  if (st.vmxon_pa === M64) return r.result({ kind: 'ok' });
  if (r.check(byId('state-size-vmcs12'))) return r.result(EINVAL);
  if (st.size < 128n + 4096n) return r.result({ kind: 'ok' });
  if (r.check(byId('state-vmcs12-address'))) return r.result(EINVAL);
  if (st.vmcs12_pa === M64) {
    if (r.check(byId('state-no-vmcs12'))) return r.result(EINVAL);
    r.note('vmx_set_nested_state', 'evmcs-map-pending', { 'vmx->nested.hv_evmcs_vmptr': EVMPTR_MAP_PENDING, request: 'KVM_REQ_GET_NESTED_STATE_PAGES' });
    r.vars.hv_evmcs_vmptr = EVMPTR_MAP_PENDING;
  }
  if (r.check(byId('state-vmcs12-revision'))) return r.result(EINVAL);
  if (!(st.flags & k('KVM_STATE_NESTED_GUEST_MODE'))) return r.result({ kind: 'ok' });
  r.vars.nested_run_pending = st.flags & k('KVM_STATE_NESTED_RUN_PENDING') ? 1n : 0n;
  r.vars.from_vmentry = 0n;
  if (r.check(byId('state-shadow-size')) || r.check(byId('state-shadow-revision'))) return r.result(EINVAL);
  if (r.group(CONTROL_CHECKS) || r.group(HOST_STATE_CHECKS) || r.group(GUEST_STATE_CHECKS)) return r.result(EINVAL);
  if (r.check(ENTER_CHECKS.find(c => c.id === 'guest-cr3-legal')!)) return r.result({ kind: 'error', errno: 'NVMX_VMENTRY_VMEXIT' });
  r.note('nested_vmx_enter_non_root_mode', 'request', { request: 'KVM_REQ_GET_NESTED_STATE_PAGES' });
  return r.result({ kind: 'ok' });
}

function moduleLoad(r: Runner): RunResult {
  const m = r.m;
  const byId = (id: string): CheckDef => MODULE_LOAD_CHECKS.find(c => c.id === id)!;
  if (r.check(byId('vmx-supported'))) return r.result({ kind: 'load-failed', errno: 'EOPNOTSUPP' });
  const cfg = setupVmcsConfig(m.w.hostMsrs, m.w.params, m.w.hostFeatures, (id, vars) => {
    const names: Record<string, bigint> = {};
    for (const [key, v] of Object.entries(vars)) names[key] = v;
    r.softFired = null;
    const hard = r.check(byId(id), names);
    if (r.softFired === id) { r.softFired = null; return 'soft'; }
    return hard;
  });
  r.warnings.push(...cfg.warnings);
  if (cfg.error) return r.result({ kind: 'load-failed', errno: cfg.error });
  r.failed = null;
  const p = effectiveParams(cfg, m.w.params);
  // vmx_hardware_setup, after trimming the module parameters to the CPU.
  if (r.check(byId('shadow-paging-needs-nx'), { enable_ept: p.ept ? 1n : 0n })) {
    r.warnings.push('NX (Execute Disable) not supported');
    return r.result({ kind: 'load-failed', errno: 'EOPNOTSUPP' });
  }
  return r.result({
    kind: 'loaded',
    vmcsConfig: {
      PIN_BASED_VM_EXEC_CONTROL: hex(cfg.pin), CPU_BASED_VM_EXEC_CONTROL: hex(cfg.cpu), SECONDARY_VM_EXEC_CONTROL: hex(cfg.cpu2),
      VM_ENTRY_CONTROLS: hex(cfg.entry), VM_EXIT_CONTROLS: hex(cfg.exit), ept: p.ept, vpid: p.vpid,
    },
  });
}

function cr0Write(r: Runner): RunResult {
  const m = r.m, w = m.w;
  const old = w.l1.cr0;
  const next = w.write.cr0 ?? old;
  const vars = { cr0: next, old_cr0: old, cs_l: w.l1.csL ? 1n : 0n };
  if (w.write.by === 'userspace') {
    if (r.group(CR3_CHECKS.filter(c => c.function === 'kvm_is_valid_sregs')) || r.group(CR0_CHECKS.filter(c => c.function === 'kvm_is_valid_cr0' || c.function === 'vmx_is_valid_cr0'), vars)) return r.result({ kind: 'error', errno: 'EINVAL' });
    const changed = next !== old || (w.write.cr3 !== undefined && w.write.cr3 !== w.l1.cr3);
    return r.result({ kind: 'ok', intercepted: false, mmu: changed ? 'kvm_mmu_reset_context' : 'none' });
  }
  let owned = l1OwnedCr0(m, r.vars);
  if (w.write.l2) {
    const mask12 = m.vmcs12.get('cr0_guest_host_mask') ?? 0n;
    owned &= ~mask12;
    const shadow = m.vmcs12.get('cr0_read_shadow') ?? 0n;
    if (mask12 & (next ^ shadow)) {
      r.note('nested_vmx_exit_handled_cr', 'cr0-write-reflected-to-l1', { CR0_GUEST_HOST_MASK: mask12, CR0_READ_SHADOW: shadow, cr0: next });
      return r.result({ kind: 'ok', intercepted: true, mmu: 'none' });
    }
  }
  const mask = ~owned & M64;
  const intercepted = ((next ^ old) & mask) !== 0n;
  r.note('handle_cr', 'cr0-write-intercepted', { CR0_GUEST_HOST_MASK: mask, cr0_guest_owned_bits: owned, old_cr0: old, cr0: next, intercepted: intercepted ? 1n : 0n });
  if (!intercepted && !w.write.emulated) return r.result({ kind: 'ok', intercepted: false, mmu: 'none' });
  if (r.group(CR0_CHECKS, vars)) return r.result({ kind: 'fault', vector: 'GP' });
  const cr0 = (next | k('X86_CR0_ET')) & ~k('CR0_RESERVED_BITS');
  const diff = cr0 ^ old;
  let mmu = 'none';
  if (diff === k('X86_CR0_WP') && !(cr0 & k('X86_CR0_PG'))) mmu = 'none';
  else if (diff === k('X86_CR0_WP') && m.params.ept) mmu = 'kvm_init_mmu';
  else if (diff & k('KVM_MMU_CR0_ROLE_BITS')) mmu = 'kvm_mmu_reset_context';
  r.note('kvm_post_set_cr0', 'mmu-update', { 'cr0 ^ old_cr0': diff, tdp_enabled: m.params.ept ? 1n : 0n });
  return r.result({ kind: 'ok', intercepted, mmu });
}

function cr3Write(r: Runner): RunResult {
  const m = r.m, w = m.w;
  const old = w.l1.cr3;
  let cr3 = w.write.cr3 ?? old;
  if (w.write.by === 'userspace') {
    if (r.group(CR3_CHECKS.filter(c => c.function === 'kvm_is_valid_sregs'))) return r.result({ kind: 'error', errno: 'EINVAL' });
    return r.result({ kind: 'ok', intercepted: false, mmu: cr3 !== old ? 'kvm_mmu_reset_context' : 'none' });
  }
  const paging = (w.l1.cr0 & k('X86_CR0_PG')) !== 0n;
  // CR3-load exiting is on without EPT, and with EPT but no unrestricted guest while paging is off.
  const intercepted = !m.params.ept || (!m.params.unrestricted_guest && !paging);
  r.note('handle_cr', 'cr3-write-intercepted', { CPU_BASED_CR3_LOAD_EXITING: intercepted ? 1n : 0n, enable_ept: m.params.ept ? 1n : 0n, cr3 });
  if (!intercepted && !w.write.emulated) {
    // With EPT the CPU checks CR3 against the host's own rules (LAM bits legal when the host has
    // LAM even if the guest CPUID lacks it: the accepted "virtualization hole").
    const hostLam = w.hostFeatures.has('LAM');
    let v = cr3 & ~(1n << 63n);
    if (hostLam) v &= ~(k('X86_CR3_LAM_U48') | k('X86_CR3_LAM_U57'));
    if (v >> 52n) return r.result({ kind: 'fault', vector: 'GP' });
    return r.result({ kind: 'ok', intercepted: false, mmu: 'none' });
  }
  if (w.l1.cr4 & k('X86_CR4_PCIDE')) cr3 &= ~k('X86_CR3_PCID_NOFLUSH');
  const pae = isPae(w.l1.cr0, w.l1.cr4, (w.l1.efer & k('EFER_LMA')) !== 0n);
  if (cr3 === old && !pae) return r.result({ kind: 'ok', intercepted, mmu: 'none' });
  if (r.group(CR3_CHECKS.filter(c => c.function === 'kvm_set_cr3'), { cr3 })) return r.result({ kind: 'fault', vector: 'GP' });
  // kvm_set_cr3 only switches roots (kvm_mmu_new_pgd); it neither re-inits nor resets the MMU
  // context, which the contract's mmu field reports as "none". The trace shows the root switch.
  r.note('kvm_set_cr3', 'mmu-root-switch', { kvm_mmu_new_pgd: cr3 !== old ? 1n : 0n, cr3 });
  return r.result({ kind: 'ok', intercepted, mmu: 'none' });
}

function nestedVmexit(r: Runner): RunResult {
  const m = r.m;
  r.vars.vm_exit_reason = m.w.exit.reason;
  if (r.check(VMEXIT_CHECKS.find(c => c.id === 'late-vmfail')!)) return r.result({ kind: 'vmfail-valid', vmInstructionError: 7 });
  r.note('prepare_vmcs12', 'exit-reason', { VM_EXIT_REASON: m.w.exit.reason, EXIT_QUALIFICATION: m.w.exit.qualification });
  if (r.check(VMEXIT_CHECKS.find(c => c.id === 'exit-msr-store')!)) return r.result({ kind: 'abort', abortIndicator: 1 });
  if (loadHostState(r)) return r.result(r.failOutcome(r.failed!.check.result));
  return r.result({ kind: 'ok' });
}

export const RUNNERS: Record<string, (r: Runner) => RunResult> = {
  'nested-vmentry': nestedVmentry, 'nested-vmexit': nestedVmexit, 'set-nested-state': setNestedState,
  'module-load': moduleLoad, 'cr0-write': cr0Write, 'cr3-write': cr3Write,
};

/** Runs a path over a machine. */
export function runPath(pathId: string, m: Machine, opts: SimulateOptions = {}): RunResult {
  const run = RUNNERS[pathId];
  return run(new Runner(m, opts));
}
