// How an engine plugs into `diverge` and the panel. The model engine (modelDiverge.ts) implements
// it over the check tables; the kernel engine implements it over the tree's interpreted C with the
// patch applied in memory. `divergeWith` tries the engines in order and uses the first that can run
// the patch on the path (the kernel engine returns null without a tree, or when the patch applies to
// no base the tree offers; the model engine then runs it and the answer says so). Pure.
import type { PatchDocument } from '../diff/types';
import type { DivergeResult, InputProvider, PairFn, ScenarioJson, SearchBudget, SidePair } from './divergeTypes';
import type { ChangeInfo } from './answerView';
import { searchDivergence } from './search';
import { decidedAt } from './witnesses';

/** A patch prepared by one engine for one path. */
export interface EnginePatch {
  engine: 'kernel' | 'model';
  /** One scenario before and after; `trace: true` for the witnesses the panel shows (slower). */
  pair(trace: boolean): PairFn;
  /** What the changed code and its guards read from the scenario, and the values worth trying. */
  inputs(start: ScenarioJson): InputProvider;
  /** Each change of the patch: where it is (sourceLine: 1-based line of the mail), what became of it
   *  (kind 'unplaced' with a reason when it cannot be simulated), and the check id it runs as. */
  changes: ChangeInfo[];
  /** The patch changes something this engine runs on the path (else the answer is "touches nothing on this path"). */
  touchesPath: boolean;
  /** Kernel engine: how the patch applied to the tree. */
  applied?: 'applied' | 'already-applied' | 'partial';
  /** false: the inputs offer only some of the values worth trying (a slow engine's sample), so
   *  trying every combination of them is not a complete search. */
  exhaustive?: boolean;
  /** A trace step that is a decision (not a check) whose differing values decide an outcome. */
  isDecision?: (step: { check: string }) => boolean;
}

/** An engine: prepares a patch for a path, or says it cannot (null, with the reason for the log). */
export interface DivergeEngine {
  name: 'kernel' | 'model';
  prepare(pathId: string, doc: PatchDocument): EnginePatch | { cannot: string };
}

/** The answer to "does this patch change what KVM does on this path?" (contract v2 diverge). */
export interface EngineDivergence extends DivergeResult {
  engine: 'kernel' | 'model';
  status: 'changes' | 'nothing-on-path';
  changes: ChangeInfo[];
  notSimulated: number;
  applied?: EnginePatch['applied'];
  /** Engines tried before this one, and why they could not run the patch. */
  fallbacks: { engine: string; reason: string }[];
}

const EMPTY: DivergeResult = { searched: 0, complete: false, truncated: false, witnesses: [], diverging: [], axes: [], unreached: [], elapsedMs: 0 };

/** Runs the search on a prepared patch; the witnesses are re-run with a trace. */
export async function divergePrepared(p: EnginePatch, start: ScenarioJson, budget: SearchBudget = {}): Promise<EngineDivergence> {
  let found = p.touchesPath ? await searchDivergence(start, p.pair(false), p.inputs(start), budget) : EMPTY;
  if (p.exhaustive === false && found.proof === 'exhaustive') found = { ...found, complete: false, proof: undefined };
  const traced = p.pair(true);
  const witnesses = found.witnesses.map(w => {
    let pair: SidePair;
    try { pair = traced(w.scenario); } catch { return w; }
    const at = /^(?:outcome|site:)/.test(w.decidedAt) ? decidedAt(pair, p.isDecision) : w.decidedAt;
    return { ...w, before: pair.before, after: pair.after, decidedAt: at };
  });
  return { ...found, witnesses, engine: p.engine, status: p.touchesPath ? 'changes' : 'nothing-on-path', changes: p.changes,
    notSimulated: p.changes.filter(c => c.kind === 'unplaced').length, ...(p.applied ? { applied: p.applied } : {}), fallbacks: [] };
}

/** Tries the engines in order; the first that can run the patch answers. */
export async function divergeWith(engines: readonly DivergeEngine[], pathId: string, start: ScenarioJson, doc: PatchDocument, budget: SearchBudget = {}): Promise<EngineDivergence> {
  const fallbacks: { engine: string; reason: string }[] = [];
  for (const e of engines) {
    const p = e.prepare(pathId, doc);
    if ('cannot' in p) { fallbacks.push({ engine: e.name, reason: p.cannot }); continue; }
    return { ...await divergePrepared(p, start, budget), fallbacks };
  }
  throw new Error(`no engine can run the patch: ${fallbacks.map(f => `${f.engine}: ${f.reason}`).join('; ')}`);
}
