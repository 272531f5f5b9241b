// `diverge` on the model engine: the patch read for the model (modelPatch.ts), its inputs
// (modelInputs.ts), the engine-agnostic search (search.ts), and the witnesses re-run with a trace
// so the panel and the tests can show them. Pure.
import { allChecks, simulateEach, type SimulationResult } from '../sim';
import type { PatchDocument } from '../diff/types';
import type { PairFn, ScenarioJson, SearchBudget, SideRun } from './divergeTypes';
import { divergeWith, type DivergeEngine, type EngineDivergence, type EnginePatch } from './engine';
import { readModelPatch, type ModelChange, type ModelPatch } from './modelPatch';
import { modelInputs } from './modelInputs';
import { sideKey } from './witnesses';

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

/** The model engine's answer (the changes are the model's reading of the patch). */
export interface Divergence extends EngineDivergence { changes: ModelChange[] }

/** The model engine as a diverge engine: it can always run a patch (what it cannot place is listed). */
export const MODEL_ENGINE: DivergeEngine = {
  name: 'model',
  prepare(pathId: string, doc: PatchDocument): EnginePatch {
    const mp = readModelPatch(pathId, doc);
    return {
      engine: 'model', changes: mp.changes, touchesPath: mp.changes.some(c => c.kind !== 'unplaced'),
      pair: trace => modelPair(pathId, mp, trace),
      inputs: start => modelInputs(pathId, start, mp),
      isDecision: step => !CHECK_IDS.has(step.check),
    };
  },
};

/** Searches for scenarios around `start` where the patch changes the outcome of `pathId` (model engine). */
export async function divergeModel(pathId: string, start: ScenarioJson, doc: PatchDocument, budget: SearchBudget = {}): Promise<Divergence> {
  return await divergeWith([MODEL_ENGINE], pathId, start, doc, budget) as Divergence;
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
