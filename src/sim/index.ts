// Facade of the simulator (pure): the six KVM v6.12 check paths of cli-contract.md, run over a
// scenario JSON, with results exactly as KVM reports them and a trace of every check and the values
// it read. Checks are data (src/knowledge/checks); each path is one file in ./paths (definition, check
// order, KVM's control flow); the inside lives in scenario.ts (input), env.ts (what names mean),
// run.ts (the runner the paths share), expr.ts (interpreter).
import { FUNCTIONS } from '../knowledge/functions';
import { ALL_CHECKS, CALLEES, type CheckDef } from '../knowledge/checks';
import { machine } from './env';
import { PRESETS } from './presets';
import { Runner, type FailedCheck, type Outcome, type SimulateOptions, type TraceStep } from './run';
import { CHECK_PATHS } from './paths';
import { resolveScenario, ScenarioError } from './scenario';
import { closest } from '../knowledge/names';

export { ScenarioError } from './scenario';
export type { TraceStep, Outcome, SimulateOptions, FailedCheck } from './run';
export type { CheckDef, FailResult } from '../knowledge/checks';
export { parseExpr, evaluate, ExprError } from './expr';

export interface PathInfo { id: string; title: string; entry: string; steps: string[] }
export interface SimulationResult {
  path: string;
  outcome: Outcome;
  warnings: string[];
  failedCheck: FailedCheck | null;
  trace: TraceStep[];
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
    for (const c of CALLEES[f] ?? []) walk(c);
  };
  walk(fn);
  return ALL_CHECKS.filter(c => seen.has(c.function));
}

/** Names of the scenario presets selectable as `base`. */
export function presetNames(): string[] { return PRESETS.map(p => p.name); }

/** One-line description of each preset. */
export function presets(): { name: string; summary: string }[] { return PRESETS.map(p => ({ name: p.name, summary: p.summary })); }

/** Every check id (for patch mapping and hovers). */
export function allChecks(): readonly CheckDef[] { return ALL_CHECKS; }

/**
 * Simulates one path for a scenario given as parsed JSON (`{ base: "default", ... }`).
 * `options.overrides` replaces a check's condition (C expression text) or removes it (null).
 */
export function simulate(pathId: string, scenario: unknown = { base: 'default' }, options: SimulateOptions = {}): SimulationResult {
  const path = CHECK_PATHS.find(p => p.id === pathId);
  if (!path) {
    const near = closest(pathId, CHECK_PATHS.map(p => p.id));
    throw new ScenarioError(`unknown path "${pathId}"; known: ${CHECK_PATHS.map(p => p.id).join(', ')}${near.length ? ` (closest: ${near[0]})` : ''}`);
  }
  for (const id of Object.keys(options.overrides ?? {})) {
    if (!ALL_CHECKS.some(c => c.id === id)) throw new ScenarioError(`unknown check "${id}" in overrides; closest: ${closest(id, ALL_CHECKS.map(c => c.id)).join(', ')}`);
  }
  const world = resolveScenario(scenario ?? { base: 'default' });
  const r = path.run(new Runner(machine(world), options));
  return { path: pathId, outcome: r.outcome, warnings: r.warnings, failedCheck: r.failedCheck, trace: r.trace };
}
