// `diverge` on the kernel engine: the patch applied once in memory to the tree (prepareKernelPatch:
// on the tree, reversed when the tree already holds it, on its own base in a git checkout), then
// every scenario of the search runs both sides through the tree's interpreted C. What the search
// varies is found as for the model engine (modelInputs over the patch's changed conditions and
// their guards, read from the patch text) plus what the kernel's run of the starting scenario read
// inside the patch's changed lines (the vmcs12 fields of CC() rows and of the watched statements).
// The engine says it cannot run the patch (and divergeWith falls back to the model engine, naming
// the reason) when the path is not one the kernel engine runs or no hunk applies. Pure: the tree
// and the engines come in as adapters.
import type { PatchDocument } from '../diff/types';
import type { TreeInfo, TreeReader } from '../kernel/types';
import { kernelPaths } from '../kernel/engine';
import { LineMap, prepareKernelPatch, type KernelCompareDeps, type PreparedKernelPatch, type SideRun as KernelSide } from './kernelCompare';
import type { DivergeEngine, EnginePatch } from './engine';
import type { ChangeSite, InputProvider, PairFn, ScenarioJson, SideRun, SideTraceStep } from './divergeTypes';
import type { ChangeInfo } from './answerView';
import { readModelPatch } from './modelPatch';
import { modelInputs } from './modelInputs';

export interface KernelDivergeSetup {
  /** the tree on disk (read only) */
  tree: TreeReader;
  /** its name as contract v2 gives it (path, version) */
  info: TreeInfo;
  /** the kernel engine's sides (kernelCompareDeps) */
  deps: KernelCompareDeps;
}

type Which = 'before' | 'after';

/** A watched line range per applied hunk and side (an insertion point watches the line before it and the one after). */
function watchOf(p: PreparedKernelPatch, which: Which): { file: string; from: number; to: number }[] {
  return (p.patched.ranges ?? []).map(r => {
    const s = r[which];
    if (!s) return { file: '', from: 0, to: -1 };
    return s.count > 0 ? { file: r.file, from: s.line, to: s.line + s.count - 1 } : { file: r.file, from: Math.max(1, s.line - 1), to: s.line };
  });
}

/** The condition texts of the CC() and if () on a hunk's changed lines, one per check, with its mail line. */
export function changedConditions(doc: PatchDocument, hunk: number, opts: { context?: boolean; whole?: boolean } = {}): { kind: 'added' | 'removed' | 'context'; text: string; sourceLine: number }[] {
  const h = doc.hunks[hunk];
  if (!h) return [];
  const out: { kind: 'added' | 'removed' | 'context'; text: string; sourceLine: number }[] = [];
  for (const kind of opts.context ? ['context'] as const : ['add', 'del'] as const) {
    const lines = h.lines.filter(l => l.kind === kind);
    const text = lines.map(l => l.text).join('\n');
    const starts = lines.map((l, i) => ({ at: lines.slice(0, i).reduce((n, x) => n + x.text.length + 1, 0), line: l.sourceLine }));
    const re = /\b(CC|if)\s*\(/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      let depth = 0, end = -1;
      for (let i = m.index + m[0].length - 1; i < text.length; i++) {
        if (text[i] === '(') depth++;
        else if (text[i] === ')' && --depth === 0) { end = i; break; }
      }
      if (end < 0) continue;
      const inner = text.slice(m.index + m[0].length, end).replace(/\s+/g, ' ').trim();
      // an `if (CC(...))` is one check: the CC() inside names it
      if (!opts.whole && m[1] === 'if' && /\bCC\s*\(/.test(inner)) continue;
      const line = [...starts].reverse().find(s => s.at <= m!.index)?.line ?? h.sourceLine;
      out.push({ kind: kind === 'add' ? 'added' : kind === 'del' ? 'removed' : 'context', text: inner, sourceLine: line + 1 });
    }
  }
  return out;
}

/** Values tried per input with the kernel engine: the first ones (constant boundaries, mask bits, 0
 *  and all-ones), then the rest (single bits) sampled: the top three, then every fourth downwards. */
const KERNEL_VALUES_FIRST = 8, KERNEL_VALUES_STRIDE = 4;

/** The `if (...)` conditions of the context lines above a hunk's first changed line that enclose it (less indented). */
export function enclosingConditions(doc: PatchDocument, hunk: number): string[] {
  const h = doc.hunks[hunk];
  const first = h?.lines.findIndex(l => l.kind !== 'context') ?? -1;
  if (!h || first < 0) return [];
  const indent = (t: string) => (/^[\t ]*/.exec(t)?.[0] ?? '').replace(/ {8}/g, '\t').replace(/ +/g, '').length;
  let level = indent(h.lines[first].text);
  const out: string[] = [];
  for (let i = first - 1; i >= 0 && level > 0; i--) {
    const t = h.lines[i].text;
    if (!t.trim() || indent(t) >= level) continue;
    level = indent(t);
    const m = /^\s*(?:\}\s*else\s+)?if\s*\(/.exec(t);
    if (!m) continue;
    // the condition may go on over the next lines
    const text = h.lines.slice(i, first).map(l => l.text).join('\n');
    let depth = 0;
    for (let k = m[0].length - 1; k < text.length; k++) {
      if (text[k] === '(') depth++;
      else if (text[k] === ')' && --depth === 0) { out.push(text.slice(m[0].length, k).replace(/\s+/g, ' ').trim()); break; }
    }
  }
  return out;
}

/** The patch's changes as the answer lists them: the conditions on each applied hunk's changed lines; a hunk that does not apply is unplaced. */
function kernelChanges(doc: PatchDocument, p: PreparedKernelPatch, version: string): ChangeInfo[] {
  const out: ChangeInfo[] = [];
  for (const a of p.patched.apply) {
    const h = doc.hunks[a.hunk];
    const fn = h?.changedFunctions[0] ?? null;
    const firstLine = (h?.lines.find(l => l.kind !== 'context')?.sourceLine ?? h?.sourceLine ?? 0) + 1;
    if (a.status === 'failed') { out.push({ kind: 'unplaced', check: null, function: fn, sourceLine: firstLine, reason: `hunk ${a.hunk} does not apply to ${version}: ${a.reason ?? 'no match'}` }); continue; }
    const conds = changedConditions(doc, a.hunk);
    if (!conds.length) out.push({ kind: 'changed', check: null, function: fn, sourceLine: firstLine });
    for (const c of conds) out.push({ kind: c.kind, check: c.text, function: fn, sourceLine: c.sourceLine });
  }
  return out;
}

/**
 * The tree as one search sees it: stamps (and directory probes) read once. Every run of a side
 * checks that the prepared tree is still current by the stamps of the ~800 files it read; within
 * one search (seconds) they are taken as unchanged, so a run costs the interpretation only.
 */
export function searchReader(tree: TreeReader): TreeReader {
  const stamps = new Map<string, string | undefined>(), dirs = new Map<string, boolean>();
  return {
    root: tree.root,
    read: rel => tree.read(rel),
    stamp: rel => { if (!stamps.has(rel)) stamps.set(rel, tree.stamp(rel)); return stamps.get(rel); },
    ...(tree.isDir ? { isDir: (rel: string) => { let d = dirs.get(rel); if (d === undefined) dirs.set(rel, d = tree.isDir!(rel)); return d; } } : {}),
  };
}

/** The kernel engine as a diverge engine over one tree. */
export function kernelDivergeEngine(setup: KernelDivergeSetup): DivergeEngine {
  const paths = new Set(kernelPaths());
  return {
    name: 'kernel',
    prepare(pathId: string, doc: PatchDocument): EnginePatch | { cannot: string } {
      if (!paths.has(pathId)) return { cannot: `it does not run path "${pathId}"` };
      if (setup.deps.canRun && !setup.deps.canRun(pathId)) return { cannot: `it does not run path "${pathId}"` };
      let p: PreparedKernelPatch;
      const tree = searchReader(setup.tree);
      try { p = prepareKernelPatch(tree, doc, setup.deps); }
      catch (e) { return { cannot: `the patch could not be applied to ${setup.info.version}: ${e instanceof Error ? e.message : String(e)}` }; }
      if (p.patched.failed) {
        // the reason of the first hunk that names a file of the tree (else the first reason)
        const rows = p.patched.apply;
        const first = rows.find(a => a.file && a.reason) ?? rows.find(a => a.reason);
        const why = first ? `${rows.length > 1 ? `none of its ${rows.length} hunks applies; hunk ${first.hunk}${first.file ? ` (${first.file})` : ''}: ` : ''}${first.reason}` : '';
        return { cannot: rows.length ? `the patch does not apply to ${setup.info.version}${why ? ` (${why})` : ''}` : 'the patch holds no hunk' };
      }
      // a side the engine cannot run to its end (e.g. the reversed patch calls a helper this tree
      // no longer has) answers nothing: the model engine runs the patch instead
      for (const which of ['before', 'after'] as const) {
        let r: KernelSide;
        try { r = setup.deps.simulate(p.patched[which], pathId, { base: 'default' }, { base: tree, changed: p.changed[which] }, { trace: false }); }
        catch (e) { return { cannot: `it could not run the ${which} side: ${e instanceof Error ? e.message : String(e)}` }; }
        if (r.incomplete) return { cannot: `it could not finish the path ${which} the patch${p.patched.alreadyApplied ? ' (the tree holds it; before = reversed)' : ''}: ${r.incomplete}` };
      }
      return kernelEnginePatch({ ...setup, tree }, pathId, doc, p);
    },
  };
}

/** The EnginePatch of a patch applied in memory (exported for tests and the bench). */
export function kernelEnginePatch(setup: KernelDivergeSetup, pathId: string, doc: PatchDocument, p: PreparedKernelPatch): EnginePatch {
  const ranges = p.patched.ranges ?? [];
  const map = new LineMap(ranges);
  const watch = { before: watchOf(p, 'before'), after: watchOf(p, 'after') };
  const siteOf = (i: number) => `hunk:${ranges[i].hunk}`;
  const sideTree = { before: p.patched.before, after: p.patched.after };

  const run = (which: Which, scenario: ScenarioJson, trace: boolean): KernelSide =>
    setup.deps.simulate(sideTree[which], pathId, scenario, { base: setup.tree, changed: p.changed[which] }, { trace, watch: watch[which] });

  const side = (r: KernelSide, which: Which): SideRun => {
    let fc = r.failedCheck;
    // a kernel check is named by its line: the before side's line as the after side numbers it, and
    // a check inside a changed block by the hunk, so that a line shift alone is not a difference
    if (fc && fc.id.startsWith('kernel:')) {
      const k = map.hunkAt(fc.location, which);
      const at = k >= 0 ? `hunk ${k}` : which === 'before' ? map.toAfter(fc.location) : fc.location;
      fc = { ...fc, id: `kernel:${fc.function}:${at ?? fc.id}` };
    }
    const trace: SideTraceStep[] | undefined = r.trace?.map(t => ({
      function: t.function, check: t.check, result: t.result as SideTraceStep['result'],
      ...((t as { values?: Record<string, string> }).values ? { values: (t as { values?: Record<string, string> }).values } : {}),
      ...(t.location ? { location: t.location } : {}),
    }));
    return {
      outcome: r.outcome as SideRun['outcome'], warnings: r.warnings, failedCheck: fc,
      ...(trace ? { trace } : {}), reached: (r.watched?.reached ?? []).map(siteOf), engine: 'kernel',
    };
  };

  const pair = (trace: boolean): PairFn => scenario => {
    const b = run('before', scenario, trace), a = run('after', scenario, trace);
    const incomplete = b.incomplete ?? a.incomplete;
    // a run the engine could not finish says nothing: refused (counted as searched)
    if (incomplete) throw new Error(`the kernel engine could not finish the path: ${incomplete}`);
    return { before: side(b, 'before'), after: side(a, 'after') };
  };

  let sampled = false;
  const inputs = (start: ScenarioJson): InputProvider => {
    // what the kernel's run of the start read inside the changed lines
    const read: Record<string, string>[] = [];
    for (const which of ['before', 'after'] as const) {
      let r: KernelSide;
      try { r = run(which, start, true); } catch { continue; }
      if (r.watched && Object.keys(r.watched.reads).length) read.push(r.watched.reads);
      for (const t of r.trace ?? []) {
        const values = (t as { values?: Record<string, string> }).values;
        if (values && map.hunkAt(t.location, which) >= 0) read.push(values);
      }
    }
    // the conditions on the changed lines (an `if` whole: what stands outside CC() guards it), and those of the context around them
    const conditions = ranges.flatMap(r => [
      ...changedConditions(doc, r.hunk, { whole: true }).map(c => ({ text: c.text, role: 'condition' as const })),
      ...enclosingConditions(doc, r.hunk).map(text => ({ text, role: 'guard' as const })),
    ]);
    const model = modelInputs(pathId, start, readModelPatch(pathId, doc), { read, conditions });
    // a kernel run costs tens of milliseconds: each input keeps its most telling values (the
    // boundaries of the constants it meets and the bits of its masks come first)
    const axes = model.axes.map(a => {
      const tail = a.deltas.slice(KERNEL_VALUES_FIRST);
      // the rest (single bits, low to high) sampled from the top: the high bits of an address
      // (LAM, canonical, MAXPHYADDR boundaries) tell more than the low ones the first values cover
      const sampled = tail.filter((_, i) => (tail.length - 1 - i) % KERNEL_VALUES_STRIDE === 0 || i >= tail.length - 3).reverse();
      return { ...a, deltas: [...a.deltas.slice(0, KERNEL_VALUES_FIRST), ...sampled] };
    });
    sampled = model.axes.some((a, i) => axes[i].deltas.length < a.deltas.length);
    const sites: ChangeSite[] = ranges.map(r => ({
      id: `hunk:${r.hunk}`, location: `${r.file}:${(r.after ?? r.before)!.line}`,
      ...(doc.hunks[r.hunk]?.changedFunctions[0] ? { function: doc.hunks[r.hunk].changedFunctions[0] } : {}),
    }));
    return { sites, axes };
  };

  const applied: EnginePatch['applied'] = p.patched.alreadyApplied ? 'already-applied' : p.patched.partial ? 'partial' : 'applied';
  return {
    engine: 'kernel', pair, inputs, changes: kernelChanges(doc, p, setup.info.version),
    touchesPath: ranges.length > 0, applied,
    // read after inputs() ran: a sampled input makes "every combination tried" not complete
    get exhaustive() { return !sampled; },
  };
}
