// Facade of the simulator (pure): the six KVM v6.12 check paths of cli-contract.md, run over a
// scenario JSON, with results exactly as KVM reports them and a trace of every check and the values
// it read. Checks are data (src/knowledge/checks); each path is one file in ./paths (definition, check
// order, KVM's control flow); the inside lives in scenario.ts (input), env.ts (what names mean),
// run.ts (the runner the paths share), expr.ts (interpreter).
import { FUNCTIONS } from '../knowledge/functions';
import { ALL_CHECKS, CALLEES, FUNCTION_LOCALS, type CheckDef } from '../knowledge/checks';
import { machine } from './env';
import { PRESETS } from './presets';
import { Runner, type FailedCheck, type Outcome, type SimulateOptions, type TraceStep } from './run';
import { CHECK_PATHS } from './paths';
import { resolveScenario, ScenarioError, type World } from './scenario';
import { closest } from '../knowledge/names';

export { ScenarioError } from './scenario';
export type { TraceStep, Outcome, SimulateOptions, FailedCheck } from './run';
export type { CheckDef, FailResult } from '../knowledge/checks';
export { parseExpr, evaluate, ExprError } from './expr';
export { BASELINES, BASELINE_INFO, DEFAULT_BASELINE, type Baseline } from '../knowledge/data/kernelHistory';
import { BASELINES, BASELINE_INFO, type Baseline } from '../knowledge/data/kernelHistory';
import { activeIn, type TestRef } from '../knowledge/checks/types';

export interface PathInfo { id: string; title: string; entry: string; steps: string[] }
export interface SimulationResult {
  path: string;
  outcome: Outcome;
  warnings: string[];
  failedCheck: FailedCheck | null;
  trace: TraceStep[];
  /** The KVM the answer is for: 6.12.y (6.12.118, the default) or kvm-x86. */
  baseline: Baseline;
  /** With `options.watch`: the watched checks whose place the run reached. */
  reached?: string[];
}

/** One check of a path's inventory (cli-contract.md v2 `paths --json --checks`). */
export interface CheckInfo {
  id: string; function: string; condition: string; guard?: string; result: CheckDef['result']; sdm: string; rule: string;
  since: string | null; until?: string; baselines: Baseline[]; tests: TestRef[]; source: string;
}

/** The checks a path can run, in KVM's order, with their version history and tests. */
export function pathChecks(pathId: string): CheckInfo[] {
  const p = CHECK_PATHS.find(x => x.id === pathId);
  if (!p) return [];
  return p.checks.map(c => ({
    id: c.id, function: c.function, condition: c.condition, ...(c.guard ? { guard: c.guard } : {}), result: c.result, sdm: c.sdm, rule: c.rule,
    since: c.since && /^v\d/.test(c.since) ? c.since : null, ...(c.until ? { until: c.until } : {}),
    baselines: BASELINES.filter(b => activeIn(c, b)), tests: [...(c.tests ?? [])], source: c.source,
  }));
}

/** Validates a baseline name (CLI option, setting): the name, or a one-line error. */
export function parseBaseline(v: string): Baseline {
  if ((BASELINES as readonly string[]).includes(v)) return v as Baseline;
  throw new ScenarioError(`unknown baseline "${v}"; known: ${BASELINES.map(b => `${b} (${BASELINE_INFO[b].kernel})`).join(', ')}`);
}


/** The modeled check paths (`kvm-review paths`). */
export function listPaths(): PathInfo[] { return CHECK_PATHS.map(p => ({ id: p.id, title: p.title, entry: p.entry, steps: [...p.steps] })); }

/** The checks a path can run, in KVM's order (each path's file in ./paths). */
export function checksOnPath(pathId: string): CheckDef[] { return [...(CHECK_PATHS.find(p => p.id === pathId)?.checks ?? [])]; }

/** Paths whose steps include `fn`, that the model lists for it, or whose checks are in `fn` or call it. */
export function pathsThrough(fn: string): PathInfo[] {
  const listed = FUNCTIONS.find(f => f.name === fn)?.paths ?? [];
  const call = new RegExp(`\\b${fn.replace(/[^A-Za-z0-9_]/g, '')}\\s*\\(`);
  return listPaths().filter(p => p.steps.includes(fn) || listed.includes(p.id)
    || checksOnPath(p.id).some(c => c.function === fn || call.test(c.condition) || (c.guard !== undefined && call.test(c.guard))));
}

/** The checks a kernel function performs, its callees' included, in KVM's order. */
export function checksOf(fn: string): CheckDef[] {
  const seen = new Set<string>();
  const fns: string[] = [];
  const walk = (f: string): void => {
    if (seen.has(f)) return;
    seen.add(f);
    fns.push(f);
    for (const c of Object.hasOwn(CALLEES, f) ? CALLEES[f] : []) walk(c);
  };
  walk(fn);
  return ALL_CHECKS.filter(c => seen.has(c.function));
}

/** The scenario resolved to what the checks read (for input discovery: the starting values). */
export function resolveWorld(scenario: unknown = { base: 'default' }): World { return resolveScenario(scenario ?? { base: 'default' }); }

/** Names of the scenario presets selectable as `base`. */
export function presetNames(): string[] { return PRESETS.map(p => p.name); }

/** One-line description of each preset. */
export function presets(): { name: string; summary: string }[] { return PRESETS.map(p => ({ name: p.name, summary: p.summary })); }

let modelNames: Set<string> | undefined;
/**
 * Every identifier a simulation can read by name: those in the model's conditions, guards and
 * function locals, and the runner's own variables. A patch's `#define` of any other name cannot
 * change an outcome (so it need not be evaluated at all).
 */
export function namesReadByModel(): ReadonlySet<string> {
  if (modelNames) return modelNames;
  const names = new Set(['KVM_POSSIBLE_CR0_GUEST_BITS', 'current_vmptr', 'nested_run_pending', 'hv_evmcs_vmptr', 'launch_state', 'evmcs_valid', 'failed_index', '__exit_list']);
  const add = (text: string | undefined): void => { for (const m of (text ?? '').matchAll(/[A-Za-z_]\w*/g)) names.add(m[0]); };
  for (const c of ALL_CHECKS) { add(c.condition); add(c.guard); }
  for (const locals of Object.values(FUNCTION_LOCALS)) for (const text of Object.values(locals)) add(text);
  return modelNames = names;
}

/** Every check id (for patch mapping and hovers). */
export function allChecks(): readonly CheckDef[] { return ALL_CHECKS; }

/**
 * Simulates one path for a scenario given as parsed JSON (`{ base: "default", ... }`).
 * `options.overrides` replaces a check's condition (C expression text) or removes it (null).
 */
export function simulate(pathId: string, scenario: unknown = { base: 'default' }, options: SimulateOptions = {}): SimulationResult {
  return simulateEach(pathId, scenario, [options])[0];
}

const CHECK_IDS = new Set(ALL_CHECKS.map(c => c.id));

/**
 * Simulates one scenario once per option set (e.g. before and after a patch), resolving the
 * scenario once: the resolved world is never changed by a run.
 */
export function simulateEach(pathId: string, scenario: unknown, optionSets: readonly SimulateOptions[]): SimulationResult[] {
  const path = CHECK_PATHS.find(p => p.id === pathId);
  if (!path) {
    const near = closest(pathId, CHECK_PATHS.map(p => p.id));
    throw new ScenarioError(`unknown path "${pathId}"; known: ${CHECK_PATHS.map(p => p.id).join(', ')}${near.length ? ` (closest: ${near[0]})` : ''}`);
  }
  for (const options of optionSets) {
    for (const id of Object.keys(options.overrides ?? {})) {
      if (!CHECK_IDS.has(id)) throw new ScenarioError(`unknown check "${id}" in overrides; closest: ${closest(id, ALL_CHECKS.map(c => c.id)).join(', ')}`);
    }
  }
  const given = scenario ?? { base: 'default' };
  const world = resolveScenario(given);
  return optionSets.map(options => {
    // An explicit baseline option wins over the scenario's `baseline` key.
    const w = options.baseline && options.baseline !== world.baseline ? resolveScenario(typeof given === 'object' && !Array.isArray(given) ? { ...given as object, baseline: options.baseline } : given) : world;
    const r = path.run(new Runner(machine(w), options));
    return { path: pathId, baseline: r.baseline, outcome: r.outcome, warnings: r.warnings, failedCheck: r.failedCheck, trace: r.trace, ...(r.reached ? { reached: r.reached } : {}) };
  });
}
