// "Simulate this path" code lenses on hunks that change functions the KVM model knows.
import * as vscode from 'vscode';
import { divergeEngines, divergeWith, explain, isCommentOnlyHunk, isModeledFunction, listPaths, pathsThrough, redefinitionsOf } from '../core';
import type { PathInfo } from '../sim';
import type { PatchDocument } from '../diff';
import { settings, onDidChangeSettings } from '../platform/config';
import { PATCH_SELECTOR, patchOf, onDidChangeAnalysis } from '../platform/documents';
import { lineStart } from '../platform/ranges';
import { log } from '../platform/log';
import { kernelEngine } from '../platform/kernelTree';
import { COMMANDS, type SimulateArgs } from '../platform/commands';

/** One lens to show: a hunk, the function or macro it changes, and the paths through it. */
interface LensTarget { line: number; hunk: number; subject: string; paths: PathInfo[] }

/** The lens targets of a parsed document, computed once per parse (patchOf caches the parse per
 *  document version): a refresh costs building the lens objects, not re-reading every hunk. */
const targetsCache = new WeakMap<PatchDocument, LensTarget[]>();
function targetsOf(patch: PatchDocument): LensTarget[] {
  const hit = targetsCache.get(patch);
  if (hit) return hit;
  const all = listPaths();
  const byFunction = new Map<string, PathInfo[]>(), byMacro = new Map<string, PathInfo[]>();
  const targets: LensTarget[] = [];
  patch.hunks.forEach((hunk, index) => {
    // a hunk that only changes comments changes nothing to simulate
    if (isCommentOnlyHunk(hunk)) return;
    for (const fn of hunk.changedFunctions) {
      let paths = byFunction.get(fn);
      if (!paths) byFunction.set(fn, paths = isModeledFunction(fn) ? pathsThrough(fn) : []);
      if (paths.length) targets.push({ line: hunk.sourceLine, hunk: index, subject: fn, paths });
    }
    // a redefined macro the model uses (e.g. KVM_POSSIBLE_CR0_GUEST_BITS → cr0-write)
    for (const { name } of redefinitionsOf(hunk)) {
      let paths = byMacro.get(name);
      if (!paths) { const ids = explain(name)[0]?.paths ?? []; byMacro.set(name, paths = all.filter(p => ids.includes(p.id))); }
      if (paths.length) targets.push({ line: hunk.sourceLine, hunk: index, subject: name, paths });
    }
  });
  targetsCache.set(patch, targets);
  return targets;
}

/** At most this many lenses per document: VS Code moves every lens of a document on each refresh
 *  (a patch of 20,000 changed hunks would make that take many seconds), and nobody clicks more. */
export const MAX_LENSES = 2000;
const cappedSaid = new WeakSet<PatchDocument>();

/** Time budget of the search behind one lens's witness count (the panel searches longer). */
const LENS_BUDGET_MS = 1000;

class SimulateLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  refresh(): void { this.changed.fire(); }
  /** Forgets the witness counts (the default scenario changed). */
  clearCounts(): void { this.counts.clear(); }
  /** Witness counts per document version and path, computed one at a time after the lenses are shown. */
  private readonly counts = new Map<string, string>();
  private readonly queue: { key: string; uri: string; version: number; pathId: string }[] = [];
  private pumping = false;

  private countFor(document: vscode.TextDocument, pathId: string): string | undefined {
    const key = `${document.uri.toString()}@${document.version}:${pathId}`;
    const known = this.counts.get(key);
    if (known !== undefined) return known;
    if (!this.queue.some(q => q.key === key) && !settings().defaultScenario.endsWith('.json')) {
      this.queue.push({ key, uri: document.uri.toString(), version: document.version, pathId });
      if (!this.pumping) { this.pumping = true; setTimeout(() => void this.pump(), 50); }
    }
    return undefined;
  }

  /** Searches the next queued lens's path (never while the lenses are being provided), then shows its count. */
  private async pump(): Promise<void> {
    const next = this.queue.shift();
    if (!next) { this.pumping = false; return; }
    const document = vscode.workspace.textDocuments.find(d => d.uri.toString() === next.uri && d.version === next.version);
    const patch = document && patchOf(document);
    if (patch) {
      try {
        // the engines the panel uses (the kernel engine once its tree is prepared; until then, the model's count)
        const kernel = await kernelEngine();
        const ready = kernel && await kernel.ready().then(() => true, () => false);
        const r = await divergeWith(divergeEngines(ready ? kernel : null), next.pathId, { base: settings().defaultScenario }, patch, { maxMs: LENS_BUDGET_MS });
        const n = r.witnesses.length;
        this.counts.set(next.key, n ? `${r.complete ? '' : '≥'}${n} witness${n === 1 ? '' : 'es'}` : r.status === 'nothing-on-path' ? 'nothing simulated here' : `no change found${r.complete ? '' : ' yet'}`);
        if (this.counts.size > 500) this.counts.delete(this.counts.keys().next().value!);
        this.changed.fire();
      } catch { this.counts.set(next.key, ''); }
    }
    setTimeout(() => void this.pump(), 20);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const config = settings();
    if (!config.codeLensEnabled) return [];
    const patch = patchOf(document);
    if (!patch) return [];
    const lenses: vscode.CodeLens[] = [];
    const uri = document.uri.toString();
    const targets = targetsOf(patch);
    for (const { line, hunk, subject, paths } of targets) {
      if (lenses.length >= MAX_LENSES) {
        if (!cappedSaid.has(patch)) { cappedSaid.add(patch); log().info(`${uri}: lenses on the first ${MAX_LENSES} only (${targets.length} hunk targets); run "Simulate This Path" for the others`); }
        break;
      }
      paths.forEach((path, i) => {
        // one lens per path; the first says what it does, the rest stay short; the witness count once known
        const args: SimulateArgs = { pathId: path.id, function: subject, uri, hunk };
        const count = this.countFor(document, path.id);
        lenses.push(new vscode.CodeLens(lineStart(line), {
          title: (i === 0 ? `▶ Simulate this path: ${path.id} (${subject})` : `▶ ${path.id}`) + (count ? ` · ${count}` : ''),
          tooltip: `Simulate ${path.title} for the ${config.defaultScenario} scenario, before and after this patch: ${path.steps.join(' → ')}`,
          command: COMMANDS.simulatePath, arguments: [args],
        }));
      });
    }
    return lenses;
  }
}

/** Registers the code lens provider. */
export function register(_ctx: vscode.ExtensionContext): vscode.Disposable {
  const provider = new SimulateLensProvider();
  return vscode.Disposable.from(
    vscode.languages.registerCodeLensProvider(PATCH_SELECTOR, provider),
    onDidChangeSettings(() => { provider.clearCounts(); provider.refresh(); }),
    onDidChangeAnalysis(() => provider.refresh()),
  );
}
