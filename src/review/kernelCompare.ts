// Before/after for the kernel engine: a parsed patch document -> the hunks to apply -> the tree
// before and after (in memory; on the patch's own base in a git checkout) -> both simulated ->
// the contract v2 `patch` block. Pure: the tree and git come in as adapters.
//
// Wiring (CLI, editor):
//   const deps = kernelCompareDeps({ prepare: { parser, cache }, tree: { path, version } }, openGitCheckout(tree.root));
//   const patch = compareKernelPatch(tree, doc, pathId, scenario, deps);            // simulate --patch
//   const p = prepareKernelPatch(tree, doc, deps); for (...) p.compare(pathId, s);  // diverge
// `patch.engine` says which engine ran each side; `patch.fallback` why the model ran instead.
import type { PatchDocument } from '../diff';
import { patchTrees, type ApplyOptions } from '../kernel/apply';
import { findBase, type BaseFile, type BaseFileResult, type GitObjects } from '../kernel/base';
import type { HunkApply, HunkRange, PatchHunk, PatchedTrees, TreeInfo, TreeReader } from '../kernel/types';
import { FRONT_END_VERSION, prepareFiles, prepareTree, type PrepareOptions, type PreparedTree } from '../kernel/front';
import { kernelPaths, simulateKernel, type KernelOptions } from '../kernel/engine';
import type { Budget } from '../kernel/interp/interp';
import { comparePatch } from '../review/patchSimulation';

/** The document's hunks as the kernel layer takes them, and which document hunk each one is. */
export interface DocumentHunks {
  hunks: PatchHunk[];
  /** docHunk[i] = index into doc.hunks of hunks[i] */
  docHunk: number[];
  /** hunks that cannot be applied at all (no file, binary, cut short), as failed rows */
  skipped: HunkApply[];
  /** document hunks that repeat an earlier one (a reply quoting the patch): hunk → the earlier hunk */
  repeats: Map<number, number>;
}

/** A path as the tree names it: no `a/`/`b/` prefix, no leading `./` or `/`. */
function treePath(p: string | null): string | null {
  if (!p || p === '/dev/null') return null;
  let s = p.trim();
  if (/^[ab]\//.test(s)) s = s.slice(2);
  s = s.replace(/^(?:\.\/)+/, '').replace(/^\/+/, '');
  if (!s || s.split('/').some(part => part === '..')) return null;
  return s;
}

/**
 * The hunks of a parsed patch document in document order (a series' patches one after another),
 * each with its file diff as section, so that hunks of one file diff shift each other.
 */
export function documentHunks(doc: PatchDocument): DocumentHunks {
  const hunks: PatchHunk[] = [], docHunk: number[] = [], skipped: HunkApply[] = [];
  const repeats = new Map<number, number>(), firstOf = new Map<string, number>();
  doc.hunks.forEach((h, index) => {
    const f = h.fileIndex !== null ? doc.files[h.fileIndex] : undefined;
    const oldPath = f ? treePath(f.oldPath) : null, newPath = f ? treePath(f.newPath) : treePath(h.file);
    const file = oldPath ?? newPath ?? treePath(h.file);
    const fail = (reason: string) => skipped.push({ hunk: index, file: file ?? h.file ?? '', status: 'failed', line: null, reason });
    if (!file) { fail('the hunk names no file'); return; }
    if (f?.binary) { fail('a binary file'); return; }
    if (!h.complete) { fail('the hunk is cut short in the mail'); return; }
    const status = f?.status === 'added' || f?.status === 'deleted' || f?.status === 'renamed' || f?.status === 'copied' ? f.status : 'modified';
    const ph: PatchHunk = {
      file: status === 'added' ? (newPath ?? file) : file,
      oldStart: h.oldStart ?? 1,
      lines: h.lines.map(l => ({ kind: l.kind === 'add' ? '+' : l.kind === 'del' ? '-' : ' ', text: l.text })),
    };
    if (h.newStart !== null) ph.newStart = h.newStart;
    if (h.oldStart === null) ph.unanchored = true;
    if (status !== 'modified') ph.fileStatus = status;
    if ((status === 'renamed' || status === 'copied') && newPath && newPath !== file) ph.newFile = newPath;
    if (h.fileIndex !== null) ph.section = h.fileIndex;
    const key = `${ph.file}\u0000${ph.oldStart}\u0000${ph.lines.map(l => l.kind + l.text).join('\n')}`;
    const first = firstOf.get(key);
    if (first !== undefined) { repeats.set(index, first); return; }
    firstOf.set(key, index);
    hunks.push(ph);
    docHunk.push(index);
  });
  return { hunks, docHunk, skipped, repeats };
}

/** patchTrees over a document: `apply[].hunk` is the document's hunk index; skipped hunks are failed rows. */
export function patchDocument(tree: TreeReader, doc: PatchDocument, options?: ApplyOptions): PatchedTrees {
  const dh = documentHunks(doc);
  const r = patchTrees(tree, dh.hunks, options);
  const apply = r.apply.map(a => ({ ...a, hunk: dh.docHunk[a.hunk] })).concat(dh.skipped);
  for (const [k, first] of dh.repeats) {
    const row = apply.find(a => a.hunk === first);
    if (row) apply.push({ ...row, hunk: k, reason: `the same hunk as hunk ${first} (quoted again); ${row.reason ?? 'applied once'}` });
  }
  apply.sort((a, b) => a.hunk - b.hunk);
  const ranges = r.ranges?.map(x => ({ ...x, hunk: dh.docHunk[x.hunk] }));
  const ok = apply.filter(a => a.status !== 'failed').length;
  return { ...r, apply, ranges, partial: ok > 0 && ok < apply.length, failed: ok === 0 };
}

// ---------------------------------------------------------------------------------------------
// The comparison: both sides simulated, the contract v2 `patch` block.

/** One side's result as the engines give it (the contract's outcome, warnings, failed check, trace). */
export interface SideRun {
  outcome: unknown;
  warnings: string[];
  /** as the engine gives it (the contract's fields; location/source with the kernel engine) */
  failedCheck: { id: string; function: string; location?: string; source?: string } | null;
  /** trace rows; `check` is the condition text, `id` the model's id when the model knows the check */
  trace?: { function: string; check: string; result: string; location?: string; source?: string; id?: string }[];
  /** the engine could not run the path to its end: why (one line) */
  incomplete?: string;
  /** with `SimulateExtra.watch`: the watched ranges that ran and the vmcs12 fields read on them */
  watched?: { reached: number[]; reads: Record<string, string> };
}

/** What a diverge search asks of a run beyond the default: no trace values, watched line ranges. */
export interface SimulateExtra { trace?: boolean; watch?: KernelOptions['watch'] }

/** The contract's side of `patch` (no trace). */
export interface SideResult { outcome: unknown; warnings: string[]; failedCheck: SideRun['failedCheck'] }

/** A check the patch touched in the kernel's code: trace rows inside a hunk's changed lines. */
export interface KernelCheckChange {
  /** the check's id on the after side (or before when the patch removes it); null: nothing ran there */
  check: string | null;
  function: string | null;
  /** the check's source before / after (null: the patch adds / removes it) */
  before: string | null;
  after: string | null;
  /** 1-based document line of the hunk's first changed line */
  sourceLine: number;
  /** where it is on each side ("arch/x86/kvm/vmx/nested.c:3054") */
  location: { before: string | null; after: string | null };
  /** why no check could be named (only when `check` is null) */
  reason?: string;
}

/** The `patch` block of `simulate --patch` with the kernel engine (cli-contract.md v2). */
export interface KernelPatchComparison {
  before: SideResult;
  after: SideResult;
  differs: boolean;
  changedChecks: unknown[];
  apply: HunkApply[];
  partial: boolean;
  /** the tree already holds the patch (before = reversed) */
  alreadyApplied: boolean;
  /** which engine produced each side: the model when no hunk applied or the kernel engine failed */
  engine: { before: 'kernel' | 'model'; after: 'kernel' | 'model' };
  /** why the model engine ran instead (only then) */
  fallback?: string;
  /** the patch's own base in a git checkout, when it was used */
  base?: { files: BaseFileResult[]; baseCommit: string | null };
}

/** What the comparison needs from the engines (the CLI and editor wire the real ones). */
export interface KernelCompareDeps {
  /**
   * Runs the path on a tree with the trace on. `changed`: the files in which `tree` differs from
   * `base` (the tree on disk), so that only those are prepared again.
   */
  simulate(tree: TreeReader, pathId: string, scenario: unknown, changes: { base: TreeReader; changed: string[] }, extra?: SimulateExtra): SideRun;
  /** The model engine's before/after of the same patch, for the fallback. */
  model?(pathId: string, scenario: unknown, doc: PatchDocument): { before: SideResult; after: SideResult; differs: boolean; changedChecks: readonly unknown[] };
  /** The repository's objects when the tree is a git checkout (src/io/git.ts). */
  git?: GitObjects;
  /** Whether the kernel engine runs this path (else the model runs both sides). */
  canRun?(pathId: string): boolean;
}

export interface KernelCompareOptions extends ApplyOptions {
  /** 'auto' (default): in a git checkout, run the patch on its own base; 'tree': always on the tree */
  base?: 'auto' | 'tree';
  /** when the kernel engine cannot run a side to its end, use the model for both (default true) */
  fallbackOnIncomplete?: boolean;
}

/** Stable text of a value (object keys sorted). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.keys(value).sort().map(k => `${k}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(value) ?? 'undefined';
}

const side = (r: SideRun): SideResult => ({ outcome: r.outcome, warnings: r.warnings, failedCheck: r.failedCheck });

/** "file:line" → [file, line] */
function splitLocation(loc: string | undefined): [string, number] | null {
  const m = loc ? /^(.*):(\d+)$/.exec(loc) : null;
  return m ? [m[1], Number(m[2])] : null;
}

/**
 * Maps places between the two sides through the hunks' ranges: a line outside every changed block
 * moves by the blocks above it; a line inside one stands for that hunk.
 */
export class LineMap {
  private readonly byFile = new Map<string, HunkRange[]>();
  constructor(ranges: readonly HunkRange[]) {
    for (const r of ranges) { const l = this.byFile.get(r.file) ?? []; l.push(r); this.byFile.set(r.file, l); }
  }
  /** The hunk whose changed lines hold `loc` on that side, or -1 (an insertion point holds no line). */
  hunkAt(loc: string | undefined, which: 'before' | 'after'): number {
    const p = splitLocation(loc);
    if (!p) return -1;
    for (const r of this.byFile.get(p[0]) ?? []) {
      const s = r[which];
      if (s && p[1] >= s.line && p[1] < s.line + s.count) return r.hunk;
    }
    return -1;
  }
  /** A before-side place as the after side numbers it ("hunk N" inside a changed block). */
  toAfter(loc: string | undefined): string | undefined {
    const p = splitLocation(loc);
    if (!p) return loc;
    const k = this.hunkAt(loc, 'before');
    if (k >= 0) return `hunk ${k}`;
    let shift = 0;
    for (const r of this.byFile.get(p[0]) ?? []) {
      if (r.before && r.after && r.before.line + r.before.count <= p[1]) shift += r.after.count - r.before.count;
    }
    return `${p[0]}:${p[1] + shift}`;
  }
}

/** Whether the sides differ: outcome, warnings, or which check failed (its place mapped through the patch). */
export function kernelSidesDiffer(b: SideResult, a: SideResult, map: LineMap): boolean {
  const failed = (r: SideResult, which: 'before' | 'after') => {
    const f = r.failedCheck;
    if (!f) return null;
    if (!f.id.startsWith('kernel:')) return [f.id, f.function];
    const inHunk = map.hunkAt(f.location, which);
    return [f.function, inHunk >= 0 ? `hunk ${inHunk}` : which === 'before' ? map.toAfter(f.location) ?? f.id : f.location ?? f.id];
  };
  return canonical({ o: b.outcome, w: b.warnings, f: failed(b, 'before') }) !== canonical({ o: a.outcome, w: a.warnings, f: failed(a, 'after') });
}

/** The trace rows of each side inside each applied hunk's changed lines, paired in order. */
export function kernelCheckChanges(doc: PatchDocument, patched: PatchedTrees, before: SideRun, after: SideRun): KernelCheckChange[] {
  const map = new LineMap(patched.ranges ?? []);
  const out: KernelCheckChange[] = [];
  const firstChanged = (k: number) => {
    const h = doc.hunks[k];
    const l = h?.lines.find(x => x.kind !== 'context');
    return (l?.sourceLine ?? h?.sourceLine ?? 0) + 1;
  };
  const rowsIn = (run: SideRun, which: 'before' | 'after', k: number) => {
    const seen = new Set<string>();
    return (run.trace ?? []).filter(t => {
      if (map.hunkAt(t.location, which) !== k) return false;
      const key = `${t.location}|${t.check}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
  for (const r of patched.ranges ?? []) {
    const b = rowsIn(before, 'before', r.hunk), a = rowsIn(after, 'after', r.hunk);
    const n = Math.max(b.length, a.length);
    if (n === 0) {
      const where = (s: HunkRange['before']) => (s ? `${r.file}:${s.line}${s.count > 1 ? `-${s.line + s.count - 1}` : ''}` : 'nowhere');
      out.push({
        check: null, function: doc.hunks[r.hunk]?.changedFunctions[0] ?? null, before: null, after: null, sourceLine: firstChanged(r.hunk),
        location: { before: r.before ? where(r.before) : null, after: r.after ? where(r.after) : null },
        reason: 'no check of this path ran in the changed lines',
      });
      continue;
    }
    for (let i = 0; i < n; i++) {
      const x = b[i], y = a[i];
      const t = y ?? x;
      out.push({
        check: t.id ?? `kernel:${t.function}:${splitLocation(t.location)?.[1] ?? 0}`, function: t.function, before: x ? x.check : null, after: y ? y.check : null,
        sourceLine: firstChanged(r.hunk), location: { before: x?.location ?? null, after: y?.location ?? null },
      });
    }
  }
  return out;
}

/** The files in which `side` reads differently from `tree`, among those the patch touches. */
function changedAgainst(tree: TreeReader, sideTree: TreeReader, paths: Iterable<string>): string[] {
  const out: string[] = [];
  for (const p of new Set(paths)) if (sideTree.read(p) !== tree.read(p)) out.push(p);
  return out;
}

/** A patch applied once (on the tree or its base), ready to compare any number of scenarios (diverge). */
export interface PreparedKernelPatch {
  patched: PatchedTrees;
  base?: KernelPatchComparison['base'];
  /** the files each side reads differently from the tree */
  changed: { before: string[]; after: string[] };
  compare(pathId: string, scenario: unknown): KernelPatchComparison;
}

/**
 * Applies the patch in memory (in a git checkout, on its own base unless `options.base` is
 * 'tree') and returns what compares scenarios on it; git and the hunk search run once here.
 */
export function prepareKernelPatch(tree: TreeReader, doc: PatchDocument, deps: KernelCompareDeps, options: KernelCompareOptions = {}): PreparedKernelPatch {
  let start = tree;
  let base: KernelPatchComparison['base'];
  if ((options.base ?? 'auto') === 'auto' && deps.git) {
    const files: BaseFile[] = doc.files.filter(f => !f.binary).map(f => ({
      path: treePath(f.oldPath) ?? treePath(f.newPath) ?? '', oldBlob: f.oldBlob, newBlob: f.newBlob, created: f.status === 'added',
    })).filter(f => f.path);
    const baseCommit = doc.messages.map(m => m.baseCommit).find(c => c) ?? null;
    const found = findBase(tree, files, deps.git, baseCommit);
    if (found.used) { start = found.tree; base = { files: found.files, baseCommit: found.baseCommit }; }
  }
  const patched = patchDocument(start, doc, options);
  const touched = [...(patched.changed ?? []), ...(patched.ranges ?? []).map(r => r.file), ...(base?.files.map(f => f.path) ?? [])];
  const changed = { before: changedAgainst(tree, patched.before, touched), after: changedAgainst(tree, patched.after, touched) };
  const map = new LineMap(patched.ranges ?? []);
  const compare = (pathId: string, scenario: unknown): KernelPatchComparison => {
    const fallback = (why: string): KernelPatchComparison => {
      const m = deps.model?.(pathId, scenario, doc);
      const empty: SideResult = { outcome: { kind: 'error' }, warnings: [why], failedCheck: null };
      return {
        before: m?.before ?? empty, after: m?.after ?? empty, differs: m?.differs ?? false, changedChecks: [...(m?.changedChecks ?? [])],
        apply: patched.apply, partial: patched.partial, alreadyApplied: patched.alreadyApplied,
        engine: { before: 'model', after: 'model' }, fallback: why, ...(base ? { base } : {}),
      };
    };
    if (deps.canRun && !deps.canRun(pathId)) return fallback(`the kernel engine does not run path "${pathId}" yet`);
    if (patched.failed) return fallback(patched.apply.length ? 'no hunk of the patch applies to the tree' : 'the patch holds no hunk');
    let b: SideRun, a: SideRun;
    try {
      b = deps.simulate(patched.before, pathId, scenario, { base: tree, changed: changed.before });
      a = deps.simulate(patched.after, pathId, scenario, { base: tree, changed: changed.after });
    } catch (e) {
      if (isScenarioError(e)) throw e;
      return fallback(`the kernel engine could not run: ${e instanceof Error ? e.message : String(e)}`);
    }
    const incomplete = b.incomplete ?? a.incomplete;
    if (incomplete && options.fallbackOnIncomplete !== false && deps.model) return fallback(`the kernel engine could not finish the path: ${incomplete}`);
    return {
      before: side(b), after: side(a), differs: kernelSidesDiffer(side(b), side(a), map),
      changedChecks: kernelCheckChanges(doc, patched, b, a),
      apply: patched.apply, partial: patched.partial, alreadyApplied: patched.alreadyApplied,
      engine: { before: 'kernel', after: 'kernel' }, ...(base ? { base } : {}),
    };
  };
  return { patched, ...(base ? { base } : {}), changed, compare };
}

/**
 * Simulates `pathId` for `scenario` before and after the patch with the kernel engine: the patch
 * applied in memory to the tree (or to its own base in a git checkout), both sides run, compared.
 * When no hunk applies, or the kernel engine cannot run a side, the model engine's comparison is
 * returned with `engine` saying so (and `fallback` why). Throws only what `deps.simulate`/`deps.model`
 * throw for a bad scenario.
 */
export function compareKernelPatch(tree: TreeReader, doc: PatchDocument, pathId: string, scenario: unknown, deps: KernelCompareDeps, options: KernelCompareOptions = {}): KernelPatchComparison {
  return prepareKernelPatch(tree, doc, deps, options).compare(pathId, scenario);
}

/** A bad scenario is the caller's error on both engines, not a reason to fall back. */
function isScenarioError(e: unknown): boolean {
  return e instanceof Error && (e.name === 'ScenarioError' || e.constructor.name === 'ScenarioError');
}

// ---------------------------------------------------------------------------------------------
// The real engines behind KernelCompareDeps.

/** What the kernel engine needs: the front end's options (tree-sitter parser, caches) and the tree's name. */
export interface KernelEngineSetup {
  prepare: PrepareOptions;
  /** the tree as contract v2 names it (path, version) */
  tree: TreeInfo;
  budget?: Budget;
}

/** Prepared "after"/"before" trees, by the files that differ from the tree and their stamps (a few kept). */
const derived: { key: string; prepared: PreparedTree }[] = [];
const DERIVED_KEPT = 6;

function stillValid(tree: TreeReader, manifest: Map<string, string>): boolean {
  for (const [p, stamp] of manifest) if (tree.stamp(p) !== stamp) return false;
  return true;
}

/**
 * The kernel engine as `KernelCompareDeps.simulate`: the tree on disk is prepared once (the front
 * end caches it), a patched side re-prepares only the translation units that read a changed file,
 * and that result is kept for the next run of the same side (a diverge search runs it often).
 */
export function kernelSimulate(setup: KernelEngineSetup): KernelCompareDeps['simulate'] {
  return (tree, pathId, scenario, changes, extra) => {
    const base = prepareTree(changes.base, setup.prepare);
    let prepared = base;
    if (changes.changed.length) {
      const key = `${FRONT_END_VERSION}\u0000${changes.base.root}\u0000${[...changes.changed].sort().map(p => `${p}\u0001${tree.stamp(p) ?? '-'}`).join('\u0000')}`;
      const k = derived.findIndex(d => d.key === key && stillValid(tree, d.prepared.manifest));
      if (k >= 0) { prepared = derived[k].prepared; derived.splice(k, 1); }
      else prepared = prepareFiles(base, tree, changes.changed, setup.prepare);
      derived.unshift({ key, prepared });
      derived.length = Math.min(derived.length, DERIVED_KEPT);
    }
    const r = simulateKernel(prepared.program, setup.tree, pathId, scenario, { reader: tree, budget: setup.budget, ...(extra?.trace === false ? { trace: false } : {}), ...(extra?.watch ? { watch: extra.watch } : {}) });
    const run: SideRun = { outcome: r.outcome, warnings: r.warnings, failedCheck: r.failedCheck, trace: r.trace };
    if (r.incomplete) run.incomplete = r.incomplete;
    if (r.watched) run.watched = r.watched;
    return run;
  };
}

/** Both engines wired: the kernel engine for the sides, the model's comparison as the fallback, git when given. */
export function kernelCompareDeps(setup: KernelEngineSetup, git?: GitObjects): KernelCompareDeps {
  return { simulate: kernelSimulate(setup), model: comparePatch, canRun: p => kernelPaths().includes(p), ...(git ? { git } : {}) };
}
