// The kernel engine's entry: simulates one contract path by running the tree's own code (paths.ts)
// over the same scenario as the model engine (resolveScenario → World) and shapes the result like
// the model's simulate(), plus contract v2's `engine`, `tree`, and `location`/`source` on the
// failed check and the trace rows. CC() consistency checks become trace rows (the statement
// expression KVM_NESTED_VMENTER_CONSISTENCY_CHECK expands to is recognised by its shape: a bool
// local, `if (failed) trace_kvm_nested_vmenter_failed("<condition text>", ...)`, the local).
// A kernel check the model knows (same function, same condition) carries the model's id and
// annotations (SDM section, rule text, tests); others are `kernel:FUNCTION:LINE`.
import type { Expr, Program, Stmt } from './ast';
import type { TreeInfo, TreeReader } from './types';
import { resolveScenario, ScenarioError, type World } from '../sim/scenario';
import { closest } from '../knowledge/names';
import { ALL_CHECKS, type CheckDef } from '../knowledge/checks';
import type { Budget, Value } from './interp/interp';
import { InterpError } from './interp/errors';
import { PATHS, Sim } from './paths';
import type { Outcome, TraceRow } from './boundary';

export interface KernelFailedCheck {
  id: string; function: string; condition: string; sdm: string;
  location: string; source: string;
  /** the model's restatement of the rule and the tests that exercise it (when the model knows the check) */
  rule?: string; test?: string;
  /** false: a check the model's tables do not have */
  known: boolean;
}
export interface KernelTraceRow extends TraceRow { id?: string }

export interface KernelResult {
  path: string;
  outcome: Outcome;
  warnings: string[];
  failedCheck: KernelFailedCheck | null;
  trace: KernelTraceRow[];
  engine: 'kernel';
  tree: TreeInfo;
  /** set when the engine could not run the path to its end: the one-line reason (the caller may fall back to the model) */
  incomplete?: string;
  /** interpreter steps used */
  steps: number;
  /** one-line notes on defaults the run relied on (extern data of files not parsed, members the tree lacks) */
  notes: string[];
  /** with `watch`: which of the watched line ranges ran, and the vmcs12 fields read on their lines */
  watched?: { reached: number[]; reads: Record<string, string> };
}

export interface KernelOptions {
  /** false: no values in trace rows and only failing rows (fast searches) */
  trace?: boolean;
  budget?: Budget;
  /** reads the tree's files for `source` lines */
  reader?: TreeReader;
  /** line ranges (a patch's changed lines) to watch: `watched` says which ran and what they read */
  watch?: readonly { file: string; from: number; to: number }[];
}

/** The paths the kernel engine can run. */
export function kernelPaths(): string[] { return Object.keys(PATHS); }

const lineCache = new WeakMap<TreeReader, Map<string, string[]>>();
function sourceLine(reader: TreeReader | undefined): (file: string, line: number) => string {
  return (file, line) => {
    if (!reader) return '';
    let files = lineCache.get(reader);
    if (!files) { files = new Map(); lineCache.set(reader, files); }
    let lines = files.get(file);
    if (!lines) { lines = (reader.read(file) ?? '').split('\n'); files.set(file, lines); }
    return (lines[line - 1] ?? '').trim();
  };
}

/** The condition text of a CC() statement expression, or null when the ({ }) is something else. */
const ccCache = new WeakMap<Expr, string | null>();
export function ccCondition(e: Extract<Expr, { k: 'stmtexpr' }>): string | null {
  const hit = ccCache.get(e);
  if (hit !== undefined) return hit;
  let text: string | null = null;
  const body = e.body.body;
  if (body.length >= 3 && body[0].k === 'decl' && body[body.length - 1].k === 'expr') {
    const find = (s: Stmt | null): string | null => {
      if (!s) return null;
      if (s.k === 'block') { for (const x of s.body) { const t = find(x); if (t) return t; } return null; }
      if (s.k === 'if') return find(s.then);
      if (s.k === 'expr' && s.expr.k === 'call' && s.expr.callee.k === 'id' && s.expr.callee.name === 'trace_kvm_nested_vmenter_failed') {
        const a = s.expr.args[0];
        return a && a.k === 'str' ? a.value : null;
      }
      return null;
    };
    for (const s of body) { if (s.k === 'if') { text = find(s); if (text) break; } }
  }
  ccCache.set(e, text);
  return text;
}

const norm = (s: string): string => s.replace(/\s+/g, '').replace(/^\((.*)\)$/, '$1');
let modelIndex: Map<string, CheckDef> | null = null;
function modelCheck(fn: string, condition: string): CheckDef | null {
  if (!modelIndex) {
    modelIndex = new Map();
    for (const c of ALL_CHECKS) if (!modelIndex.has(`${c.function}\0${norm(c.condition)}`)) modelIndex.set(`${c.function}\0${norm(c.condition)}`, c);
  }
  return modelIndex.get(`${fn}\0${norm(condition)}`) ?? null;
}

const hex = (v: bigint): string => '0x' + v.toString(16);

/**
 * Simulates a path by interpreting the tree's code. Throws ScenarioError for a bad scenario or an
 * unknown path (as the model engine does); every other problem is `incomplete` in the result.
 */
export function simulateKernel(program: Program, tree: TreeInfo, pathId: string, scenario: unknown = { base: 'default' }, opts: KernelOptions = {}): KernelResult {
  const path = PATHS[pathId];
  if (!path) {
    const near = closest(pathId, Object.keys(PATHS));
    throw new ScenarioError(`the kernel engine cannot run path "${pathId}"; it runs: ${Object.keys(PATHS).join(', ')}${near.length ? ` (closest: ${near[0]})` : ''}`);
  }
  const world: World = resolveScenario(scenario ?? { base: 'default' });
  // the module parameters as given: the tree's vmx_hardware_setup trims them to the CPU
  const params = world.params;
  const sim = new Sim(program, world, params, opts.budget ?? {}, sourceLine(opts.reader));
  sim.tracing = opts.trace !== false;
  sim.moduleCache = pathId !== 'module-load';
  const s = sim.s;
  const it = sim.it;
  // CC(): a trace row per evaluation, with the vmcs12 fields it read
  it.hooks.stmtExpr = (e, evaluate) => {
    const cond = ccCondition(e);
    if (cond === null) return evaluate();
    const reads = new Map<string, bigint>();
    const prev = it.mem.onRead;
    const vmcs12 = sim.vmcs12?.addr;
    if (sim.tracing && vmcs12 !== undefined) {
      it.mem.onRead = (obj, off, size) => {
        if (obj.addr !== vmcs12) return;
        const name = sim.vmcs12NameAt(off);
        if (name) reads.set(name, BigInt.asUintN(size * 8, size === 8 ? obj.view.getBigUint64(off, true) : size === 4 ? BigInt(obj.view.getUint32(off, true)) : size === 2 ? BigInt(obj.view.getUint16(off, true)) : BigInt(obj.bytes[off])));
      };
    }
    let v: Value;
    try { v = evaluate(); } finally { it.mem.onRead = prev; }
    const fail = v.v !== 0n;
    if (sim.tracing || fail) {
      const fn = it.current();
      const location = fn ? `${fn.file}:${e.line}` : '';
      const values: Record<string, string> = {};
      for (const [k, x] of reads) values[k] = hex(x);
      const known = fn ? modelCheck(fn.name, cond) : null;
      const row: KernelTraceRow = { function: fn?.name ?? '', check: cond, result: fail ? 'fail' : 'pass', values, location, source: fn ? s.sourceLine(fn.file, e.line) : '' };
      if (known) row.id = known.id;
      s.trace.push(row);
    }
    return v;
  };
  // failure-looking constant returns (nonzero, or false from a bool function): where an error without CC() began
  const returns: { fn: string; file: string; line: number; id: number; parent: number; callLine: number }[] = [];
  it.hooks.constReturn = (fn, line, v, frame) => {
    const rt = it.types.resolve(fn.ret);
    const failing = rt.k === 'bool' ? v.v === 0n : v.v !== 0n;
    if (failing && returns.length < 10_000) returns.push({ fn: fn.name, file: fn.file, line, ...frame });
  };
  sim.failureOrigin = () => {
    // the last failing return, then down the chain of callees whose failing return it passed on
    let i = returns.length - 1;
    if (i < 0) return null;
    while (i > 0 && returns[i - 1].parent === returns[i].id && returns[i - 1].callLine === returns[i].line) i--;
    return returns[i];
  };
  // watched ranges: which ran, and the vmcs12 fields read by the statements on their lines
  const reached = new Set<number>(), watchReads = new Map<string, bigint>();
  const watch = opts.watch ?? [];
  if (watch.length) {
    let inWatch = false;
    it.hooks.line = (fn, line) => {
      inWatch = false;
      for (let i = 0; i < watch.length; i++) {
        const w = watch[i];
        if (w.file === fn.file && line >= w.from && line <= w.to) { reached.add(i); inWatch = true; }
      }
    };
    it.mem.onRead = (obj, off, size) => {
      if (!inWatch || obj.addr !== sim.vmcs12?.addr) return;
      const name = sim.vmcs12NameAt(off);
      if (name) watchReads.set(name, BigInt.asUintN(size * 8, size === 8 ? obj.view.getBigUint64(off, true) : size === 4 ? BigInt(obj.view.getUint32(off, true)) : size === 2 ? BigInt(obj.view.getUint16(off, true)) : BigInt(obj.bytes[off])));
    };
  }
  let outcome: Outcome;
  let incomplete: string | undefined;
  try {
    outcome = path.run(sim);
  } catch (e) {
    if (!(e instanceof InterpError)) throw e;
    incomplete = e.location ? `${e.reason} (${e.location})` : e.reason;
    const line = /^cannot run /.test(e.reason) ? e.reason : `cannot run ${pathId}: ${e.reason}${e.location ? ` at ${e.location}` : ''}`;
    s.warnings.push(line);
    outcome = s.recorded?.outcome ?? { kind: 'unknown' };
  }
  const failedCheck = failure(sim, outcome, s.recorded?.traceIndex ?? -1);
  const trace = sim.tracing ? s.trace : s.trace.filter(r => r.result === 'fail');
  const notes = [...new Set([...it.notes, ...sim.notes])];
  const r: KernelResult = { path: pathId, outcome, warnings: s.warnings, failedCheck, trace, engine: 'kernel', tree, steps: it.steps, notes };
  if (incomplete) r.incomplete = incomplete;
  if (watch.length) r.watched = { reached: [...reached].sort((a, b) => a - b), reads: Object.fromEntries([...watchReads].map(([k, v]) => [k, hex(v)])) };
  return r;
}

const FAILURE_KINDS = new Set(['vmfail-invalid', 'vmfail-valid', 'entry-failure-vmexit', 'abort', 'fault', 'error', 'load-failed']);

function failure(sim: Sim, outcome: Outcome, recordedAt: number): KernelFailedCheck | null {
  if (!FAILURE_KINDS.has(outcome.kind)) return null;
  const rows = sim.s.trace;
  const upto = recordedAt >= 0 ? recordedAt : rows.length;
  let row: KernelTraceRow | undefined;
  for (let i = upto - 1; i >= 0; i--) {
    if (rows[i].result !== 'fail') continue;
    // CC()s nested in a CC() fail inside out: the innermost (earliest of the run of failures) decided
    let j = i;
    while (j > 0 && rows[j - 1].result === 'fail' && rows[j - 1].location) j--;
    row = rows[j];
    break;
  }
  if (!row) row = rows.find(x => x.result === 'fail');
  if (!row) {
    // no CC(): the deepest of the chain of failing constant returns that led to the outcome
    const o = sim.failureOrigin?.();
    if (o) {
      const location = `${o.file}:${o.line}`;
      const src = sim.s.sourceLine(o.file, o.line);
      const known = ALL_CHECKS.find(c => c.function === o.fn && c.result.kind === outcome.kind) ?? null;
      return shape(o.fn, known?.condition ?? src, location, src, known, o.line);
    }
  }
  if (row && row.location) {
    const known = row.id ? ALL_CHECKS.find(c => c.id === row!.id) ?? null : null;
    const line = Number(row.location.split(':').pop());
    return shape(row.function, row.check, row.location, row.source ?? '', known, line);
  }
  if (row && !row.location) {
    // a hardware (CPU) check from the model's table
    const c = ALL_CHECKS.find(x => x.id === row!.check);
    if (c) return { id: c.id, function: c.function, condition: c.condition, sdm: c.sdm, location: '', source: '', rule: c.rule, ...testsOf(c), known: true };
  }
  // no CC(): the outcome came from a plain `if` in the function that produced it
  const rec = sim.s.recorded;
  if (!rec) return null;
  const file = rec.location.replace(/:\d+$/, '');
  const line = Number(rec.location.split(':').pop());
  const src = sim.s.sourceLine(file, line);
  const known = ALL_CHECKS.find(c => c.function === rec.function && c.result.kind === outcome.kind
    && (outcome.kind !== 'fault' || (c.result as { vector?: string }).vector === outcome.vector)) ?? null;
  return shape(rec.function, known?.condition ?? src, rec.location, src, known, line);
}

/** The model's test references of a check, where it has any (contract v2 `tests`; `test` names the first). */
const testsOf = (c: CheckDef): { test?: string; tests?: CheckDef['tests'] } => c.tests?.length ? { test: c.tests[0].function, tests: c.tests } : {};

function shape(fn: string, condition: string, location: string, source: string, known: CheckDef | null, line: number): KernelFailedCheck {
  if (known) return { id: known.id, function: fn, condition, sdm: known.sdm, location, source, rule: known.rule, ...testsOf(known), known: true };
  return { id: `kernel:${fn}:${line}`, function: fn, condition, sdm: '', location, source, known: false };
}
