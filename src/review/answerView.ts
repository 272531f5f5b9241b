// What the simulation panel leads with: the answer to "does this patch change what KVM does on
// this path?", as plain data the webview renders — the first witness's before and after side by
// side with the deciding line of each, the two traces aligned (differing rows and the patch's
// touched checks marked), a diagram of the path (functions in call order, the failing check's
// function marked), or, when nothing diverges, how much was searched and whether that is proven,
// or why nothing could be compared. Engine-agnostic and pure.
import type { DivergeResult, SideRun, Witness } from './divergeTypes';
import { alignTraces } from './witnesses';
import { outcomeText } from './asTest';

/** Where a deciding line can be opened: in the tree (file:line) when known, else the patch mail's line. */
export interface LineLink { label: string; tree?: { file: string; line: number }; treeFunction?: { file: string; function: string }; mailLine?: number }

export interface SideView {
  engine: string;
  kind: string;
  text: string;
  warnings: string[];
  deciding: LineLink | null;
}

export interface TraceRowView {
  function: string;
  check: string;
  before: { result: string; values: string } | null;
  after: { result: string; values: string } | null;
  differs: boolean;
  /** The patch changes this check (or adds it). */
  touched: boolean;
}

export interface DiagramBox { function: string; checks: number; failed: ('before' | 'after')[]; touched: boolean }

export interface WitnessView {
  label: string;
  count: number;
  scenario: unknown;
  decidedAt: string;
  before: SideView;
  after: SideView;
  rows: TraceRowView[];
  diagram: DiagramBox[];
}

export type AnswerStatus = 'diverges' | 'same' | 'nothing-on-path' | 'already-applied' | 'does-not-apply';

export interface AnswerView {
  status: AnswerStatus;
  /** The answer in one sentence. */
  headline: string;
  /** How much was searched, and whether it is proven. */
  searched: string;
  engine: string;
  witnesses: WitnessView[];
  notSimulated: { count: number; items: { line: number; reason: string }[] };
}

/** What the answer needs to know about the patch's changes (the model's ModelChange fits). */
export interface ChangeInfo { kind: string; check: string | null; function: string | null; sourceLine: number; reason?: string }
/** Where a model check lives (file of the tree, function), for links. */
export type CheckSource = (checkId: string) => { file: string; function: string } | undefined;

const valuesText = (v?: Record<string, string>): string => Object.entries(v ?? {}).map(([k, x]) => `${k}=${x}`).join(' ');

function sideView(r: SideRun, link: LineLink | null): SideView {
  return { engine: r.engine ?? 'model', kind: r.outcome.kind, text: outcomeText({ ...r, warnings: [] }), warnings: r.warnings, deciding: link };
}

/** The deciding place of one side: the check that failed there, else the witness's deciding place. */
function linkFor(r: SideRun, decidedAt: string, changes: readonly ChangeInfo[], source: CheckSource): LineLink | null {
  const id = r.failedCheck?.id ?? (decidedAt.startsWith('model:') ? decidedAt.slice(6) : null);
  const loc = r.failedCheck?.location ?? (/^[\w./-]+:\d+$/.test(decidedAt) ? decidedAt : undefined);
  if (loc) {
    const [file, line] = [loc.slice(0, loc.lastIndexOf(':')), Number(loc.slice(loc.lastIndexOf(':') + 1))];
    return { label: `${r.failedCheck?.id ?? 'line'} at ${loc}`, tree: { file, line } };
  }
  if (!id) return null;
  const change = changes.find(c => c.check === id);
  const src = source(id);
  const fn = r.failedCheck?.function ?? src?.function ?? change?.function ?? '';
  return { label: `${id}${fn ? ` in ${fn}` : ''}${change ? ` (patch line ${change.sourceLine})` : ''}`,
    ...(change ? { mailLine: change.sourceLine } : {}), ...(src ? { treeFunction: src } : {}) };
}

/** Functions of the path in call order (the path's steps, then any function the traces add), with the failing ones marked. */
function diagramOf(steps: readonly string[], rows: readonly TraceRowView[], w: Witness): DiagramBox[] {
  const order = [...steps];
  for (const r of rows) if (!order.includes(r.function)) order.push(r.function);
  const used = new Set(rows.map(r => r.function));
  return order.filter(f => used.has(f) || steps.includes(f)).map(f => ({
    function: f,
    checks: rows.filter(r => r.function === f).length,
    failed: (['before', 'after'] as const).filter(s => w[s].failedCheck?.function === f),
    touched: rows.some(r => r.function === f && r.touched),
  }));
}

export function witnessView(w: Witness, steps: readonly string[], changes: readonly ChangeInfo[], source: CheckSource): WitnessView {
  const touchedIds = new Set(changes.map(c => c.check).filter((c): c is string => !!c));
  const rows = alignTraces(w.before.trace ?? [], w.after.trace ?? []).map(r => {
    const step = (r.after ?? r.before)!;
    return {
      function: step.function, check: step.check, differs: r.differs, touched: touchedIds.has(step.check),
      before: r.before && { result: r.before.result, values: valuesText(r.before.values) },
      after: r.after && { result: r.after.result, values: valuesText(r.after.values) },
    };
  });
  return {
    label: w.changes.length ? w.changes.map(c => c.label).join(' + ') : 'the starting scenario',
    count: w.count, scenario: w.scenario, decidedAt: w.decidedAt,
    before: sideView(w.before, linkFor(w.before, w.decidedAt, changes, source)),
    after: sideView(w.after, linkFor(w.after, w.decidedAt, changes, source)),
    rows, diagram: diagramOf(steps, rows, w),
  };
}

/** How much a search covered, in words. */
export function searchedText(r: Pick<DivergeResult, 'searched' | 'complete' | 'proof' | 'truncated' | 'axes' | 'elapsedMs'>): string {
  const inputs = r.axes.length ? ` over ${r.axes.length} input${r.axes.length === 1 ? '' : 's'} (${r.axes.map(a => a.id).join(', ')})` : '';
  const how = r.complete ? (r.proof === 'solver' ? '; proven by the solver: no other scenario diverges' : '; every combination tried, so this is complete')
    : r.truncated ? '; stopped at the time budget, not proven' : '; not every combination tried, not proven';
  return `Searched ${r.searched} scenario${r.searched === 1 ? '' : 's'}${inputs} in ${Math.round(r.elapsedMs)} ms${how}.`;
}

export interface AnswerInput {
  pathId: string;
  steps: readonly string[];
  result: DivergeResult & { engine: string; status?: 'changes' | 'nothing-on-path'; notSimulated?: number };
  changes: readonly ChangeInfo[];
  source: CheckSource;
  /** From the kernel engine's patch application, when known. */
  applied?: 'already-applied' | 'does-not-apply';
  /** The tree's version (kernel engine), for "does not apply to 6.12.118". */
  treeVersion?: string;
}

/** The panel's answer. */
export function answerView(input: AnswerInput): AnswerView {
  const { result: r, pathId } = input;
  const unplaced = input.changes.filter(c => c.kind === 'unplaced').map(c => ({ line: c.sourceLine, reason: c.reason ?? 'cannot be simulated' }));
  const notSimulated = { count: unplaced.length, items: unplaced };
  const base = { engine: r.engine, notSimulated, searched: searchedText(r) };
  if (input.applied === 'already-applied') return { ...base, status: 'already-applied', headline: `The tree${input.treeVersion ? ` (${input.treeVersion})` : ''} already contains this patch: before is the tree with the patch reversed.`, witnesses: r.witnesses.map(w => witnessView(w, input.steps, input.changes, input.source)) };
  if (input.applied === 'does-not-apply') return { ...base, status: 'does-not-apply', headline: input.treeVersion ? `The patch does not apply to ${input.treeVersion}: the model engine simulated it instead.` : 'The patch does not apply to the tree; the model engine simulated it instead.', witnesses: r.witnesses.map(w => witnessView(w, input.steps, input.changes, input.source)) };
  if (r.status === 'nothing-on-path') {
    const why = unplaced.length ? ` (${unplaced.length} change${unplaced.length === 1 ? '' : 's'} could not be simulated)` : '';
    return { ...base, status: 'nothing-on-path', searched: 'Nothing to search.', headline: `The patch touches nothing the ${pathId} path runs${why}.`, witnesses: [] };
  }
  if (!r.witnesses.length) {
    return { ...base, status: 'same', headline: `No scenario found where the patch changes what KVM does on ${pathId}.`, witnesses: [] };
  }
  const w = r.witnesses[0];
  const n = r.witnesses.length;
  return {
    ...base, status: 'diverges',
    headline: `The patch changes what KVM does on ${pathId}: ${w.before.outcome.kind} → ${w.after.outcome.kind} when ${w.changes.map(c => c.label).join(' and ') || 'the scenario is as given'}${n > 1 ? ` (${n} kinds of scenario differ)` : ''}.`,
    witnesses: r.witnesses.map(x => witnessView(x, input.steps, input.changes, input.source)),
  };
}
