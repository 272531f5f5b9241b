// The runner the check paths (./paths/<id>.ts) share: runs checks in order, records the trace and
// turns the first failure into the result KVM reports. Each path's control flow between checks
// follows Linux v6.12 (reference kvm-nested-vmx.md §2–§7); the checks themselves are data.
import { FUNCTION_LOCALS, VMEXIT_CHECKS, type CheckDef, type FailResult } from '../knowledge/checks';
import { evaluateText, ExprError, parseExpr, type EvalEnv, type Expr } from './expr';
import { makeEnv, type EvalContext, type Machine } from './env';
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
  /** Macros redefined (e.g. by a patch's `#define` lines): name → C expression of the new value. */
  defines?: Record<string, string>;
}

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

export interface RunResult { outcome: Outcome; warnings: string[]; failedCheck: FailedCheck | null; trace: TraceStep[] }

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
  private readonly ctx: EvalContext;
  private readonly env: EvalEnv;
  private readonly tracing: boolean;
  private localsFor = '';
  constructor(readonly m: Machine, readonly opts: SimulateOptions) {
    this.tracing = opts.trace !== false;
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
    if (overridden && ov[c.id] === null) return false;
    const condition = overridden ? ov[c.id] as string : c.condition;
    const values: Record<string, bigint> | null = this.tracing ? {} : null;
    const locals = this.localsOf(c);
    // Locals depend only on vmcs12, which a run never changes: without a trace they are computed
    // once per function; with a trace each check re-reads them so its values show the fields.
    if (this.ctx.localValues.size && (this.tracing || c.function !== this.localsFor)) this.ctx.localValues = new Map();
    this.localsFor = c.function;
    if (c.guard && this.evalIn(c.guard, c.id, values, extra, locals) === 0n) {
      this.push(c, 'skip', values);
      return this.after(c, extra);
    }
    const bad = this.evalIn(condition, c.id, values, extra, locals) !== 0n;
    this.push(c, bad ? 'fail' : 'pass', values);
    if (bad) { this.failed = { check: c, condition }; return true; }
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
    return { outcome, warnings: this.warnings, trace: this.trace,
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
