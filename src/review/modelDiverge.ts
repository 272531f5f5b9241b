// `diverge` on the model engine: the patch read for the model (modelPatch.ts), its inputs
// (modelInputs.ts), the engine-agnostic search (search.ts), and the witnesses re-run with a trace
// so the panel and the tests can show them. Pure.
import { allChecks, simulateEach, type SimulationResult } from '../sim';
import type { PatchDocument } from '../diff/types';
import type { DivergeResult, PairFn, ScenarioJson, SearchBudget, SideRun } from './divergeTypes';
import { readModelPatch, type ModelChange, type ModelPatch } from './modelPatch';
import { modelInputs } from './modelInputs';
import { searchDivergence } from './search';
import { decidedAt, sideKey } from './witnesses';

export function modelSide(r: SimulationResult): SideRun {
  return { outcome: r.outcome, warnings: r.warnings, failedCheck: r.failedCheck, trace: r.trace, ...(r.reached ? { reached: r.reached } : {}), engine: 'model' };
}

const CHECK_IDS = new Set(allChecks().map(c => c.id));

/** One scenario before and after the patch on the model engine. */
export function modelPair(pathId: string, mp: ModelPatch, trace = false): PairFn {
  const sides = [{ ...mp.before, trace }, { ...mp.after, trace }];
  return s => {
    const [before, after] = simulateEach(pathId, s, sides);
    return { before: modelSide(before), after: modelSide(after) };
  };
}

/** The answer to "does this patch change what KVM does on this path?" (contract v2 diverge, plus what the model could not simulate). */
export interface Divergence extends DivergeResult {
  engine: 'model' | 'kernel';
  /** 'changes': the patch touches this path; 'nothing-on-path': nothing it changes is simulated on this path. */
  status: 'changes' | 'nothing-on-path';
  changes: ModelChange[];
  notSimulated: number;
}

/** Searches for scenarios around `start` where the patch changes the outcome of `pathId`. */
export async function divergeModel(pathId: string, start: ScenarioJson, doc: PatchDocument, budget: SearchBudget = {}): Promise<Divergence> {
  const mp = readModelPatch(pathId, doc);
  const simulated = mp.changes.filter(c => c.kind !== 'unplaced');
  const touches = simulated.length > 0;
  const provider = modelInputs(pathId, start, mp);
  const empty: DivergeResult = { searched: 0, complete: false, truncated: false, witnesses: [], diverging: [], axes: [], unreached: [], elapsedMs: 0 };
  const found = touches ? await searchDivergence(start, modelPair(pathId, mp), provider, budget) : empty;
  // the witnesses with their traces (what the panel aligns), the deciding place refined from them
  const traced = modelPair(pathId, mp, true);
  const witnesses = found.witnesses.map(w => {
    const p = traced(w.scenario);
    const at = /^(?:outcome|site:)/.test(w.decidedAt) ? decidedAt(p, step => !CHECK_IDS.has(step.check)) : w.decidedAt;
    return { ...w, before: p.before, after: p.after, decidedAt: at };
  });
  return { ...found, witnesses, engine: 'model', status: touches ? 'changes' : 'nothing-on-path', changes: mp.changes, notSimulated: mp.notSimulated };
}

/** `simulate --patch` on the model engine (contract `patch` member, plus the engine and what could not be simulated). */
export interface ModelComparison {
  before: Omit<SideRun, 'trace'>;
  after: Omit<SideRun, 'trace'>;
  differs: boolean;
  engine: { before: 'model'; after: 'model' };
  changedChecks: { check: string | null; function: string | null; before: string | null; after: string | null; sourceLine: number; reason?: string; define?: string; kind: ModelChange['kind'] }[];
  notSimulated: number;
}

const brief = (r: SideRun): Omit<SideRun, 'trace'> => ({ outcome: r.outcome, warnings: r.warnings, failedCheck: r.failedCheck, engine: r.engine });

/** The scenario before and after the patch on the model engine. Throws ScenarioError like `simulate`. */
export function compareModel(pathId: string, scenario: ScenarioJson, doc: PatchDocument, mp: ModelPatch = readModelPatch(pathId, doc)): ModelComparison {
  const p = modelPair(pathId, mp)(scenario);
  return {
    before: brief(p.before), after: brief(p.after), differs: sideKey(p.before) !== sideKey(p.after), engine: { before: 'model', after: 'model' },
    changedChecks: mp.changes.map(c => ({ check: c.check, function: c.function, before: c.before, after: c.after, sourceLine: c.sourceLine, kind: c.kind,
      ...(c.define ? { define: c.define } : {}), ...(c.reason ? { reason: c.reason } : {}) })),
    notSimulated: mp.notSimulated,
  };
}

/** A witness or diverging entry without its traces (the JSON contract's shape). */
export function briefWitness<T extends { before: SideRun; after: SideRun }>(w: T): T { return { ...w, before: brief(w.before), after: brief(w.after) }; }
