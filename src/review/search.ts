// The divergence search, engine-agnostic: from a starting scenario, try the values an
// InputProvider names for the inputs the changed code reads, run each scenario before and after the
// patch through a PairFn, and keep the scenarios where the two differ as witness classes.
//
// Order (each level only when the previous found nothing, as a reviewer would widen the search):
//   0. the starting scenario;
//   1. every single change (every value of every axis);
//   2. pairs: first a change that makes the run reach a change site it did not reach, with each
//      value of a condition input; then every other pair of two axes;
//   3. a pair that reaches a site no single change reached, with each condition value.
// When the whole product of the axes' values fits the budget it is then enumerated (smallest
// combinations first) and the answer is complete. Bounded by runs and time. Pure.
import type { Delta, DivergeResult, InputAxis, InputProvider, PairFn, ScenarioJson, SearchBudget, SidePair } from './divergeTypes';
import { applyDeltas, canonical, pairDiffers, WitnessSet } from './witnesses';

const DEFAULTS = { maxRuns: 20000, maxMs: 1500, maxListed: 50 };

interface Tried { reached: Set<string>; differs: boolean }

class Budget extends Error {}

/** Runs the search synchronously (no proof step). */
export function searchDivergenceSync(start: ScenarioJson, pair: PairFn, provider: InputProvider, budget: SearchBudget = {}): DivergeResult {
  const now = budget.now ?? (() => performance.now());
  const t0 = now();
  const maxRuns = budget.maxRuns ?? DEFAULTS.maxRuns, maxMs = budget.maxMs ?? DEFAULTS.maxMs, maxListed = budget.maxListed ?? DEFAULTS.maxListed;
  const axes = normalizeAxes(provider.axes);
  const witnesses = new WitnessSet();
  const diverging: DivergeResult['diverging'] = [];
  const tried = new Map<string, Tried>();
  const everReached = new Set<string>();
  let searched = 0;
  let truncated = false;

  const run = (changes: Delta[]): Tried => {
    const scenario = applyDeltas(start, changes);
    const key = canonical(scenario);
    const prior = tried.get(key);
    if (prior) return prior;
    // the clock is read every run: a kernel-engine run takes tens of milliseconds
    if (searched >= maxRuns || now() - t0 > maxMs) throw new Budget();
    searched++;
    let p: SidePair;
    try { p = pair(scenario); }
    catch (e) {
      if (e instanceof Budget) throw e;
      const refused = { reached: new Set<string>(), differs: false };
      tried.set(key, refused);
      return refused;
    }
    const reached = new Set([...(p.before.reached ?? []), ...(p.after.reached ?? [])]);
    for (const r of reached) everReached.add(r);
    const differs = pairDiffers(p);
    if (differs) {
      witnesses.add(scenario, changes, p);
      if (diverging.length < maxListed) diverging.push({ scenario, before: p.before, after: p.after });
    }
    const t = { reached, differs };
    tried.set(key, t);
    return t;
  };

  const product = axes.reduce((n, a) => n * (a.deltas.length + 1), 1);
  let proof: DivergeResult['proof'];
  try {
    // the levels first (a witness soon), then, when the whole product fits the budget, the rest of it
    levels(axes, run, provider, () => witnesses.size > 0);
    if (product <= maxRuns) {
      enumerateAll(axes, run);
      proof = 'exhaustive';
    }
  } catch (e) {
    if (!(e instanceof Budget)) throw e;
    truncated = true;
  }
  return {
    searched, complete: proof !== undefined && !truncated, proof: !truncated ? proof : undefined, truncated,
    witnesses: witnesses.list(), diverging,
    axes: axes.map(a => ({ id: a.id, role: a.role, values: a.deltas.length })),
    unreached: provider.sites.map(s => s.id).filter(id => !everReached.has(id)),
    elapsedMs: Math.round((now() - t0) * 10) / 10,
  };
}

/**
 * The search, then (when it was not exhaustive and the provider can) a proof that nothing else
 * diverges. The proof gets what is left of the time budget, at least 500 ms.
 */
export async function searchDivergence(start: ScenarioJson, pair: PairFn, provider: InputProvider, budget: SearchBudget = {}): Promise<DivergeResult> {
  const result = searchDivergenceSync(start, pair, provider, budget);
  if (!result.complete && provider.prove) {
    const left = Math.max(500, (budget.maxMs ?? DEFAULTS.maxMs) - result.elapsedMs);
    let proved: boolean | undefined;
    try { proved = await provider.prove(left); } catch { proved = undefined; }
    if (proved === true) return { ...result, complete: true, proof: 'solver' };
  }
  return result;
}

/** Merges axes writing the same path, drops repeated values. */
function normalizeAxes(axes: readonly InputAxis[]): InputAxis[] {
  const byPath = new Map<string, InputAxis>();
  for (const a of axes) {
    for (const d of a.deltas) {
      const path = d.path.join('\u0000');
      let axis = byPath.get(path);
      if (!axis) byPath.set(path, axis = { id: a.id, role: a.role, deltas: [] });
      if (a.role === 'guard') axis.role = 'guard';
      if (!axis.deltas.some(x => canonical(x.value) === canonical(d.value))) axis.deltas.push(d);
    }
  }
  return [...byPath.values()].filter(a => a.deltas.length);
}

/** Every combination of the axes' values, smallest first. */
function enumerateAll(axes: InputAxis[], run: (c: Delta[]) => Tried): void {
  run([]);
  for (let size = 1; size <= axes.length; size++) {
    const pick: Delta[] = [];
    const visit = (from: number): void => {
      if (pick.length === size) { run([...pick]); return; }
      for (let i = from; i <= axes.length - (size - pick.length); i++) {
        for (const d of axes[i].deltas) { pick.push(d); visit(i + 1); pick.pop(); }
      }
    };
    visit(0);
  }
}

function levels(axes: InputAxis[], run: (c: Delta[]) => Tried, provider: InputProvider, found: () => boolean): void {
  const axisOf = new Map<Delta, number>();
  axes.forEach((a, i) => a.deltas.forEach(d => axisOf.set(d, i)));
  const singles = axes.flatMap(a => a.deltas);
  const conditionDeltas = axes.filter(a => a.role === 'condition').flatMap(a => a.deltas);
  const extendWith = (base: Delta[], pool: readonly Delta[]): void => {
    const used = new Set(base.map(d => axisOf.get(d)));
    for (const d of pool) if (!used.has(axisOf.get(d))) run([...base, d]);
  };
  const start = run([]);
  const reachedAt0 = start.reached;
  if (found()) return;
  // 1: single changes; remember those that reach a site the start did not
  const newlyReaching = (t: Tried, known: Set<string>) => [...t.reached].some(r => !known.has(r));
  const bases1: Delta[][] = [];
  for (const d of singles) {
    const t = run([d]);
    if (newlyReaching(t, reachedAt0)) bases1.push([d]);
  }
  if (found()) return;
  // 2: reaching changes with each condition value, then every pair of two axes
  for (const base of bases1) extendWith(base, conditionDeltas.length ? conditionDeltas : singles);
  if (found()) return;
  const reached1 = new Set(reachedAt0);
  for (const b of bases1) for (const r of run(b).reached) reached1.add(r);
  const bases2: Delta[][] = [];
  // guard with guard first (what reaches a site behind two conditions), then guard with condition, then the rest
  const rank = (d: Delta) => axes[axisOf.get(d)!].role === 'guard' ? 0 : 1;
  const pairs: [Delta, Delta][] = [];
  for (let i = 0; i < singles.length; i++) {
    for (let j = i + 1; j < singles.length; j++) if (axisOf.get(singles[i]) !== axisOf.get(singles[j])) pairs.push([singles[i], singles[j]]);
  }
  pairs.sort((x, y) => (rank(x[0]) + rank(x[1])) - (rank(y[0]) + rank(y[1])));
  for (const [a, b] of pairs) {
    const t = run([a, b]);
    if (newlyReaching(t, reached1)) {
      bases2.push([a, b]);
      // a pair that reaches a new site: try it with each condition value at once
      extendWith([a, b], conditionDeltas.length ? conditionDeltas : singles);
      if (found()) return;
    }
  }
  if (found()) return;
  // 3: pairs that reach a site no single change reached, with each condition value
  for (const base of bases2) extendWith(base, conditionDeltas.length ? conditionDeltas : singles);
  void provider;
}
