// Before/after simulation of a patch: the same scenario run with the check conditions of the
// patch's removed lines ("before") and of its added lines ("after"); every check the patch does not
// touch stays as modeled. And the search for scenarios where the two differ. Pure.
import { simulate, allChecks, ScenarioError, type SimulationResult } from '../sim';
import { CONSTANT_ROWS } from '../knowledge/constants';
import type { PatchDocument } from '../diff/types';
import { checkChangesOf, overridesOf, type CheckChange } from './checkChanges';

/** The part of a simulation that before and after are compared on. */
export interface SideResult { outcome: SimulationResult['outcome']; warnings: string[]; failedCheck: SimulationResult['failedCheck'] }

/** The `patch` member of `kvm-review simulate --patch` (cli-contract.md); sourceLine 1-based. */
export interface PatchComparison {
  before: SideResult;
  after: SideResult;
  differs: boolean;
  changedChecks: (Omit<CheckChange, 'sourceLine'> & { sourceLine: number })[];
}

const side = (r: SimulationResult): SideResult => ({ outcome: r.outcome, warnings: r.warnings, failedCheck: r.failedCheck });

/** Stable text of a value (object keys sorted) for comparing two sides. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.keys(value).sort().map(k => `${k}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(value);
}

/** Whether two sides differ in any outcome field, the warnings or which check failed (the failed
 *  check's condition text differs by construction when the patch changed it, so it is not compared). */
export function sidesDiffer(a: SideResult, b: SideResult): boolean {
  const key = (r: SideResult) => canonical({ outcome: r.outcome, warnings: r.warnings, failed: r.failedCheck && [r.failedCheck.id, r.failedCheck.function] });
  return key(a) !== key(b);
}

/** Check changes whose conditions the simulator can evaluate; the others become unmapped with the reason. */
function usableChanges(pathId: string, scenario: unknown, changes: CheckChange[]): CheckChange[] {
  return changes.map(change => {
    if (!change.check && !change.define) return change;
    for (const text of [change.before, change.after]) {
      if (text === null) continue;
      const options = change.define ? { defines: { [change.define]: text } } : { overrides: { [change.check!]: text } };
      try { simulate(pathId, scenario, { ...options, trace: false }); }
      catch (e) {
        if (!(e instanceof ScenarioError)) throw e;
        const what = change.define ? `the macro ${change.define}` : `maps to ${change.check}`;
        return { ...change, check: null, define: undefined, reason: `${what}, but the simulator cannot evaluate it: ${e.message}` };
      }
    }
    return change;
  });
}

/** Simulates `pathId` for `scenario` before and after the patch. Throws ScenarioError like `simulate`. */
export function comparePatch(pathId: string, scenario: unknown, doc: PatchDocument): PatchComparison {
  const changes = usableChanges(pathId, scenario, checkChangesOf(doc, allChecks()));
  const { before, after } = overridesOf(changes);
  const b = side(simulate(pathId, scenario, { ...before, trace: false }));
  const a = side(simulate(pathId, scenario, { ...after, trace: false }));
  return { before: b, after: a, differs: sidesDiffer(b, a), changedChecks: changes.map(c => ({ ...c, sourceLine: c.sourceLine + 1 })) };
}

const VMCS_FIELDS = new Set(CONSTANT_ROWS.filter(r => r[1] === 'vmcs_field').map(r => r[0]));

/** One input the changed checks read and the values to try for it; wide axes (register bits) are
 *  varied one at a time, narrow ones (features, MAXPHYADDR) in every combination. */
interface Axis { apply: (scenario: Record<string, unknown>, value: unknown) => void; values: unknown[]; wide: boolean }

function deepCopy<T>(value: T): T { return JSON.parse(JSON.stringify(value)) as T; }
function member(scenario: Record<string, unknown>, key: string): Record<string, unknown> {
  const m = (scenario[key] ??= {}) as Record<string, unknown>;
  return m;
}

/** The inputs read by the touched checks (from their trace values), as axes to vary. */
function axesOf(pathId: string, scenario: unknown, checkIds: Set<string>): Axis[] {
  const trace = simulate(pathId, scenario).trace.filter(t => checkIds.has(t.check));
  const axes: Axis[] = [];
  const seen = new Set<string>();
  for (const step of trace) {
    for (const [name, value] of Object.entries(step.values)) {
      if (seen.has(name)) continue;
      seen.add(name);
      const feature = /^guest_(?:can_use|cpuid_has|cpu_cap_has)\(X86_FEATURE_(\w+)\)$/.exec(name)?.[1];
      if (VMCS_FIELDS.has(name)) {
        const v = BigInt(value);
        // the value itself and each single bit toggled: where a changed condition looks at bits
        const values = [v, ...Array.from({ length: 64 }, (_, i) => v ^ (1n << BigInt(i)))].map(x => `0x${x.toString(16)}`);
        axes.push({ values, wide: true, apply: (s, x) => { member(s, 'vmcs12')[name] = x; } });
      } else if (feature) {
        axes.push({ values: [true, false], wide: false, apply: (s, x) => { (member(member(s, 'cpuid'), 'features'))[feature] = x; } });
      } else if (name === 'cpuid.maxphyaddr') {
        axes.push({ values: [Number(BigInt(value)), 36, 39, 52].filter((x, i, all) => all.indexOf(x) === i), wide: false, apply: (s, x) => { member(s, 'cpuid').maxphyaddr = x; } });
      }
    }
  }
  return axes;
}

/** The `kvm-review diverge` result. */
export interface Divergence { searched: number; diverging: { scenario: unknown; before: SideResult; after: SideResult }[] }

/**
 * Searches scenarios around `scenario` over the inputs the patch's changed checks read and lists
 * those where before and after differ. At most `limit` scenarios are tried.
 */
export function divergePatch(pathId: string, scenario: unknown, doc: PatchDocument, limit = 4096, maxListed = 50): Divergence {
  const changes = usableChanges(pathId, scenario, checkChangesOf(doc, allChecks()));
  const { before, after } = overridesOf(changes);
  const touched = new Set(Object.keys(before.overrides));
  const axes = axesOf(pathId, scenario, touched);
  const result: Divergence = { searched: 0, diverging: [] };
  const base = (scenario && typeof scenario === 'object' ? scenario : { base: 'default' }) as Record<string, unknown>;
  const narrow = axes.filter(a => !a.wide), wide = axes.filter(a => a.wide);
  // every wide-axis variant alone (plus the unvaried scenario), under every narrow combination
  const variants: ((s: Record<string, unknown>) => void)[] = [() => {}];
  for (const axis of wide) for (const value of axis.values.slice(1)) variants.push(s => axis.apply(s, value));
  const tryOne = (s: Record<string, unknown>): void => {
    result.searched++;
    let b: SideResult, a: SideResult;
    try {
      b = side(simulate(pathId, s, { ...before, trace: false }));
      a = side(simulate(pathId, s, { ...after, trace: false }));
    } catch (e) { if (e instanceof ScenarioError) return; throw e; }
    if (sidesDiffer(b, a) && result.diverging.length < maxListed) result.diverging.push({ scenario: s, before: b, after: a });
  };
  const pick: unknown[] = [];
  const visit = (i: number): void => {
    if (i < narrow.length) { for (const value of narrow[i].values) { pick[i] = value; visit(i + 1); } return; }
    for (const variant of variants) {
      if (result.searched >= limit) return;
      const s = deepCopy(base);
      narrow.forEach((axis, k) => axis.apply(s, pick[k]));
      variant(s);
      tryOne(s);
    }
  };
  if (touched.size || Object.keys(before.defines).length || Object.keys(after.defines).length) visit(0);
  return result;
}
