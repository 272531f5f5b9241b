// Witnesses: diverging scenarios grouped into classes (same before outcome, same after outcome,
// same deciding location), one minimal scenario per class (the fewest changes to the starting
// scenario; among equals the first found, i.e. the provider's most telling value), with the count
// of scenarios in the class. Engine-agnostic and pure.
import type { Delta, ScenarioJson, SidePair, SideRun, SideTraceStep, Witness } from './divergeTypes';

/** Stable text of a JSON-like value (object keys sorted). */
export function canonical(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map(k => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

/** What two sides are compared on: outcome, warnings and which check failed (not its condition text). */
export function sideKey(r: SideRun): string {
  return canonical({ outcome: r.outcome, warnings: r.warnings, failed: r.failedCheck && [r.failedCheck.id, r.failedCheck.function] });
}

export function pairDiffers(p: SidePair): boolean { return sideKey(p.before) !== sideKey(p.after); }

/** A side as a witness class sees it: numbers in warnings masked, and of the `vmcsConfig` values
 *  only which ones differ from the other side (so "lone entry bit kept" is one class whatever the pair). */
function classSide(r: SideRun, other: SideRun): string {
  const { vmcsConfig, ...rest } = r.outcome as { vmcsConfig?: Record<string, unknown> };
  const otherCfg = (other.outcome as { vmcsConfig?: Record<string, unknown> }).vmcsConfig ?? {};
  const changed = vmcsConfig ? Object.keys(vmcsConfig).filter(k => canonical(vmcsConfig[k]) !== canonical(otherCfg[k])).sort() : undefined;
  return canonical({ outcome: rest, changed, warnings: r.warnings.map(w => w.replace(/\b(?:0x)?[0-9a-f]+\b/gi, '#')), failed: r.failedCheck?.id ?? null });
}

/** The class of a diverging pair: (before outcome, after outcome, deciding place). */
export function classKey(p: SidePair, at: string): string { return `${classSide(p.before, p.after)}\u0001${classSide(p.after, p.before)}\u0001${at}`; }

/** A copy of `start` with the deltas applied (later deltas win on the same path). */
export function applyDeltas(start: ScenarioJson, deltas: readonly Delta[]): ScenarioJson {
  const out = JSON.parse(JSON.stringify(start ?? {})) as ScenarioJson;
  for (const d of deltas) {
    let node = out as Record<string, unknown>;
    for (const key of d.path.slice(0, -1)) {
      const next = node[key];
      node = (next && typeof next === 'object' && !Array.isArray(next) ? next : (node[key] = {})) as Record<string, unknown>;
    }
    node[d.path[d.path.length - 1]] = JSON.parse(JSON.stringify(d.value)) as unknown;
  }
  return out;
}

const where = (r: SideRun): string | null => r.failedCheck ? (r.failedCheck.location ?? `model:${r.failedCheck.id}`) : null;

/**
 * The deciding location of a diverging pair: the first step whose result differs between the two
 * aligned traces (when both sides carry one), else the check that failed on the side whose failure
 * is new (after first), else the first change site this run reached, else "outcome".
 */
export function decidedAt(p: SidePair, isDecision: (step: SideTraceStep) => boolean = () => false): string {
  const bt = p.before.trace, at = p.after.trace;
  if (bt && at) {
    const rows = alignTraces(bt, at);
    for (const row of rows) {
      const b = row.before, a = row.after;
      // a row decides when its result differs or it runs on one side only; a decision step (not a
      // check: e.g. "is this CR0 write intercepted") also when the values it decided on differ
      if (b && a && b.result === a.result && !(row.differs && isDecision(a))) continue;
      const step = (a && a.result !== 'pass') ? a : (b ?? a)!;
      return step.location ?? `model:${step.check}`;
    }
  }
  const bw = where(p.before), aw = where(p.after);
  if (aw && aw !== bw) return aw;
  if (bw && bw !== aw) return bw;
  if (aw) return aw;
  const site = p.after.reached?.[0] ?? p.before.reached?.[0];
  return site ? `site:${site}` : 'outcome';
}

/** One row of two traces aligned (longest common subsequence on function + check). */
export interface AlignedRow<T> { before: T | null; after: T | null; differs: boolean }

/** Aligns two traces so that the same check stands on one row; rows that differ in result or values are marked. */
export function alignTraces<T extends { function: string; check: string; result: string; values?: Record<string, string> }>(before: readonly T[], after: readonly T[]): AlignedRow<T>[] {
  const key = (s: T) => `${s.function}\u0000${s.check}`;
  const n = before.length, m = after.length;
  // LCS table, bounded: the traces are at most a few hundred rows
  const dp: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[i][j] = key(before[i]) === key(after[j]) ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
    }
  }
  const rows: AlignedRow<T>[] = [];
  let i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && key(before[i]) === key(after[j])) {
      const b = before[i++], a = after[j++];
      rows.push({ before: b, after: a, differs: b.result !== a.result || canonical(b.values ?? {}) !== canonical(a.values ?? {}) });
    } else if (j < m && (i >= n || dp[i][j + 1] >= dp[i + 1][j])) rows.push({ before: null, after: after[j++], differs: true });
    else rows.push({ before: before[i++], after: null, differs: true });
  }
  return rows;
}

/** Collects diverging scenarios into witness classes as the search finds them. */
export class WitnessSet {
  private readonly classes = new Map<string, Witness>();
  /** Records one diverging scenario; returns true when it opened a new class. */
  add(scenario: ScenarioJson, changes: readonly Delta[], pair: SidePair): boolean {
    const at = decidedAt(pair);
    const key = classKey(pair, at);
    const prior = this.classes.get(key);
    if (prior) {
      prior.count++;
      if (changes.length < prior.changes.length) Object.assign(prior, { scenario, changes: [...changes], before: pair.before, after: pair.after });
      return false;
    }
    this.classes.set(key, { scenario, changes: [...changes], before: pair.before, after: pair.after, decidedAt: at, count: 1 });
    return true;
  }
  get size(): number { return this.classes.size; }
  /** The witnesses, smallest change first (then in the order found). */
  list(): Witness[] {
    return [...this.classes.values()].map((w, i) => ({ w, i })).sort((x, y) => x.w.changes.length - y.w.changes.length || x.i - y.i).map(x => x.w);
  }
}

/** Groups a finished list of diverging scenarios (changes relative to one start) into witnesses. */
export function groupWitnesses(found: readonly { scenario: ScenarioJson; changes: readonly Delta[]; pair: SidePair }[]): Witness[] {
  const set = new WitnessSet();
  for (const f of found) set.add(f.scenario, f.changes, f.pair);
  return set.list();
}
