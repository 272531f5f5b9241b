// The runner the check paths (./paths/<id>.ts) share: runs checks in order, records the trace and
// turns the first failure into the result KVM reports. Each path's control flow between checks
// follows Linux v6.12 (reference kvm-nested-vmx.md §2–§7); the checks themselves are data.
import { FUNCTION_LOCALS, VMEXIT_CHECKS, type CheckDef, type FailResult } from '../knowledge/checks';
import { activeIn } from '../knowledge/checks/types';
import { DEFAULT_BASELINE, type Baseline } from '../knowledge/data/kernelHistory';
import { evaluateText, ExprError, MAX_STEPS, parseExpr, type Budget, type Expr } from './expr';
import { environment, type EvalContext, type Environment, type Machine } from './env';
import { constantValue, hex } from '../knowledge/names';
import { ScenarioError } from './scenario';

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
  /** Macros redefined (e.g. by a patch's `#define` lines): name → C expression of the new value.
   *  Each is evaluated only when a condition reads it (a patch may change many unused macros). */
  defines?: Record<string, string>;
  /** Wall-clock limit (Date.now() ms) for this simulation, e.g. the end of a scenario search. */
  deadline?: number;
  /** Which KVM to answer for (overrides the scenario's `baseline`; default 6.12.y). */
  baseline?: Baseline;
  /** A check's result replaced (a patch's own lines after its condition). `continue` with a
   *  warning: the check fires, the warning is printed and the path goes on. */
  results?: Record<string, FailResult & { warning?: string }>;
  /** Checks whose place the run reaches (guard true, removed or not) are listed in `reached`. */
  watch?: readonly string[];
}

/** Work one simulation may do: steps over all its evaluations, and time. */
export const RUN_STEPS = 1_000_000;
export const RUN_MS = 2000;

/** Condition text in a message: one line, at most 200 characters. */
const clipped = (text: string): string => { const t = text.replace(/\s+/g, ' '); return t.length > 200 ? t.slice(0, 199) + '…' : t; };

/** One modeled check path: its definition (cli-contract.md `paths`), the checks it can run in
 * KVM's order, and the control flow between them. One file per path in ./paths. */
export interface CheckPath {
  id: string;
  title: string;
  /** The kernel function the path starts in. */
  entry: string;
  /** The functions on the path, in call order. */
  steps: readonly string[];
  /** The checks the path can run, in KVM's order. */
  checks: readonly CheckDef[];
  run(r: Runner): RunResult;
}

export interface RunResult { outcome: Outcome; warnings: string[]; failedCheck: FailedCheck | null; trace: TraceStep[]; baseline: Baseline; reached?: string[] }

export const M64 = (1n << 64n) - 1n;
/** A constant's value (the tables in knowledge/constants.ts). */
export const k = (n: string): bigint => constantValue(n)!;

/** Parsed locals per kernel function (the tables are constant). */
const LOCAL_CACHE = new Map<string, Record<string, Expr>>();

export class Runner {
  trace: TraceStep[] = [];
  warnings: string[] = [];
  vars: Record<string, bigint> = {};
  failed: { check: CheckDef; condition: string } | null = null;
  /** The last check that fired with a `continue` result (the module-load gate reads it). */
  softFired: string | null = null;
  readonly reached = new Set<string>();
  private readonly watch: ReadonlySet<string> | null;
  private readonly ctx: EvalContext;
  private readonly env: Environment;
  private readonly tracing: boolean;
  private localsFor = '';
  private readonly budget: Required<Budget>;
  private readonly definesInProgress = new Set<string>();
  /** The KVM the run answers for: rows not in it are not run (and not traced). */
  readonly baseline: Baseline;
  constructor(readonly m: Machine, readonly opts: SimulateOptions) {
    this.baseline = opts.baseline ?? m.w.baseline ?? DEFAULT_BASELINE;
    this.tracing = opts.trace !== false;
    this.budget = { steps: RUN_STEPS, deadline: Math.min(Date.now() + RUN_MS, opts.deadline ?? Infinity) };
    this.watch = opts.watch?.length ? new Set(opts.watch) : null;
    this.ctx = { vars: this.vars, extra: {}, locals: {}, localValues: new Map(), record: null };
    this.env = environment();
    // a redefined macro reads as a variable (conditions and the CR0 ownership helper see it),
    // evaluated on first read; the runner may still assign the name (it then holds that value)
    for (const [name, text] of Object.entries(opts.defines ?? {})) {
      Object.defineProperty(this.vars, name, {
        configurable: true, enumerable: true,
        get: () => { const v = this.defineValue(name, text); Object.defineProperty(this.vars, name, { value: v, writable: true, configurable: true, enumerable: true }); return v; },
        set: (v: bigint) => { Object.defineProperty(this.vars, name, { value: v, writable: true, configurable: true, enumerable: true }); },
      });
    }
  }

  /** The value of a patch's `#define`, in a clean context (it may be read in the middle of a check). */
  private defineValue(name: string, text: string): bigint {
    if (this.definesInProgress.has(name)) throw new ScenarioError(`#define ${name} refers to itself`);
    const ctx = this.ctx;
    const saved = { extra: ctx.extra, locals: ctx.locals, localValues: ctx.localValues, record: ctx.record };
    this.definesInProgress.add(name);
    ctx.extra = {}; ctx.locals = {}; ctx.localValues = new Map(); ctx.record = null;
    try { return this.evaluate(text); }
    catch (e) {
      if (e instanceof ExprError) throw new ScenarioError(`#define ${name}: ${e.message} in "${clipped(text)}"`);
      throw e;
    } finally { Object.assign(ctx, saved); this.definesInProgress.delete(name); }
  }

  /** One evaluation, charged to the simulation's budget (at most MAX_STEPS of it). */
  private evaluate(text: string): bigint {
    if (this.budget.steps <= 0) throw new ExprError(`the simulation exceeded ${RUN_STEPS} steps`);
    if (Date.now() > this.budget.deadline) throw new ExprError('the simulation exceeded its time budget');
    const mine: Budget = { steps: Math.min(MAX_STEPS, this.budget.steps), deadline: this.budget.deadline };
    const start = mine.steps;
    // the shared environment reads this simulation for this evaluation only (re-entrant)
    const outer = this.env.enter(this.m, this.ctx);
    try { return evaluateText(text, this.env.env, mine); }
    finally { this.env.leave(outer); this.budget.steps -= start - mine.steps; }
  }

  private parse(text: string, id: string): Expr {
    try { return parseExpr(text); }
    catch (e) { throw new ScenarioError(`check ${id}: cannot parse condition "${clipped(text)}": ${(e as Error).message}`); }
  }
  private evalIn(text: string, id: string, record: Record<string, bigint> | null, extra: Record<string, bigint>, locals: Record<string, Expr>): bigint {
    const ctx = this.ctx;
    ctx.extra = extra; ctx.locals = locals; ctx.record = record;
    try { return this.evaluate(text); }
    catch (e) {
      if (e instanceof ExprError) throw new ScenarioError(`check ${id}: ${e.message} in "${clipped(text)}"`);
      throw e;
    }
  }

  /** Runs one check; returns true when it fails (the failure is remembered). */
  check(c: CheckDef, extra: Record<string, bigint> = {}): boolean {
    if (!this.active(c)) return false;
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
  /** Whether a row belongs to the run's baseline (rows without `since`, e.g. a patch's, always do). */
  active(c: CheckDef): boolean { return c.since === undefined || activeIn(c, this.baseline); }
  private localsOf(c: CheckDef): Record<string, Expr> {
    let l = LOCAL_CACHE.get(c.function);
    if (!l) {
      l = {};
      for (const [name, text] of Object.entries(Object.hasOwn(FUNCTION_LOCALS, c.function) ? FUNCTION_LOCALS[c.function] : {})) l[name] = this.parse(text, c.id);
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
    return { outcome, warnings: this.warnings, trace: this.trace, baseline: this.baseline, ...(this.watch ? { reached: [...this.reached] } : {}),
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

export const EVMPTRLD = { EVMPTRLD_DISABLED: 0n, EVMPTRLD_SUCCEEDED: 1n, EVMPTRLD_VMFAIL: 2n, EVMPTRLD_ERROR: 3n };
export const EVMPTR_INVALID = M64;
export const EVMPTR_MAP_PENDING = M64 - 1n;

function guestEvmcs(m: Machine): boolean { return m.w.guestFeatures.has('HYPERV') && m.w.evmcs.enabled; }

/** nested_vmx_handle_enlightened_vmptrld's status for the scenario. */
export function evmptrld(m: Machine): bigint {
  if (!guestEvmcs(m)) return EVMPTRLD.EVMPTRLD_DISABLED;
  const ptr = m.w.evmcs.vpAssistEnabled ? m.w.l1.evmptr : EVMPTR_INVALID;
  if (ptr === EVMPTR_INVALID || ptr === EVMPTR_MAP_PENDING) return EVMPTRLD.EVMPTRLD_DISABLED;
  if (!m.w.evmcs.mappable) return EVMPTRLD.EVMPTRLD_ERROR;
  if (m.w.evmcs.revision !== 1n && m.w.evmcs.revision !== 0x11e57ed0n) return EVMPTRLD.EVMPTRLD_VMFAIL;
  return EVMPTRLD.EVMPTRLD_SUCCEEDED;
}

export function isPae(cr0: bigint, cr4: bigint, lma: boolean): boolean { return (cr0 & k('X86_CR0_PG')) !== 0n && (cr4 & k('X86_CR4_PAE')) !== 0n && !lma; }

/** Host-state loading after an emulated or failed-entry VM-exit (load_vmcs12_host_state). */
export function loadHostState(r: Runner): boolean {
  const v = r.m.vmcs12;
  const hostLma = ((v.get('vm_exit_controls') ?? 0n) & k('VM_EXIT_HOST_ADDR_SPACE_SIZE')) !== 0n;
  r.note('load_vmcs12_host_state', 'cr0-guest-owned-bits-reset', { cr0_guest_owned_bits: l1OwnedCr0(r.m, r.vars), HOST_CR0: v.get('host_cr0') ?? 0n });
  r.vars.is_pae_paging_host = isPae(v.get('host_cr0') ?? 0n, v.get('host_cr4') ?? 0n, hostLma) ? 1n : 0n;
  // A VMX abort only requests a triple fault: KVM goes on loading host state, so every later step
  // still runs (and shows in the trace); the first abort is the one reported.
  let first: Runner['failed'] = null;
  const byId = (id: string): CheckDef => VMEXIT_CHECKS.find(c => c.id === id)!;
  if (r.check(byId('host-cr3-reload'))) first = r.failed;
  else if (r.check(byId('host-pdptes'))) first = r.failed;
  r.vars.__exit_list = 1n;
  if (r.check(byId('exit-msr-load')) && !first) first = r.failed;
  r.vars.__exit_list = 0n;
  if (first) r.failed = first;
  return first !== null;
}

/** A late VM-Fail (the CPU refused vmcs02): VMfailValid 7 for L1, then nested_vmx_restore_host_state, which may abort. */
export function lateVmFail(r: Runner): RunResult {
  const failed = r.failed;
  const restore = VMEXIT_CHECKS.find(c => c.id === 'late-vmfail-restore-msrs')!;
  if (r.check(restore)) return r.result(r.failOutcome(restore.result));
  r.failed = failed;
  return r.result({ kind: 'vmfail-valid', vmInstructionError: 7 });
}

/** vmx_l1_guest_owned_cr0_bits(): TS, plus WP when EPT is enabled. */
export function l1OwnedCr0(m: Machine, vars: Record<string, bigint> = {}): bigint {
  const bits = vars.KVM_POSSIBLE_CR0_GUEST_BITS ?? k('KVM_POSSIBLE_CR0_GUEST_BITS');
  return m.params.ept ? bits : bits & ~k('X86_CR0_WP');
}
