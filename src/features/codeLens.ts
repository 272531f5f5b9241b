// "Simulate this path" code lenses on hunks that change functions the KVM model knows.
import * as vscode from 'vscode';
import { divergeModel, explain, isCommentOnlyHunk, isModeledFunction, listPaths, pathsThrough, redefinitionsOf } from '../core';
import type { PathInfo } from '../sim';
import { settings, onDidChangeSettings } from '../platform/config';
import { PATCH_SELECTOR, patchOf, onDidChangeAnalysis } from '../platform/documents';
import { lineStart } from '../platform/ranges';
import { COMMANDS, type SimulateArgs } from '../platform/commands';

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
        const r = await divergeModel(next.pathId, { base: settings().defaultScenario }, patch, { maxMs: LENS_BUDGET_MS });
        const n = r.witnesses.length;
        this.counts.set(next.key, n ? `${r.complete ? '' : '≥'}${n} witness${n === 1 ? '' : 'es'}` : r.status === 'nothing-on-path' ? 'nothing simulated here' : `no change found${r.complete ? '' : ' yet'}`);
        if (this.counts.size > 500) this.counts.delete(this.counts.keys().next().value!);
        this.changed.fire();
      } catch { this.counts.set(next.key, ''); }
    }
    setTimeout(() => void this.pump(), 20);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!settings().codeLensEnabled) return [];
    const patch = patchOf(document);
    if (!patch) return [];
    const lenses: vscode.CodeLens[] = [];
    patch.hunks.forEach((hunk, index) => {
      // a hunk that only changes comments changes nothing to simulate
      if (isCommentOnlyHunk(hunk)) return;
      const lens = (subject: string, paths: PathInfo[]) => paths.forEach((path, i) => {
        // one lens per path; the first says what it does, the rest stay short; the witness count once known
        const args: SimulateArgs = { pathId: path.id, function: subject, uri: document.uri.toString(), hunk: index };
        const count = this.countFor(document, path.id);
        lenses.push(new vscode.CodeLens(lineStart(hunk.sourceLine), {
          title: (i === 0 ? `▶ Simulate this path: ${path.id} (${subject})` : `▶ ${path.id}`) + (count ? ` · ${count}` : ''),
          tooltip: `Simulate ${path.title} for the ${settings().defaultScenario} scenario, before and after this patch: ${path.steps.join(' → ')}`,
          command: COMMANDS.simulatePath, arguments: [args],
        }));
      });
      for (const fn of hunk.changedFunctions.filter(isModeledFunction)) lens(fn, pathsThrough(fn));
      // a redefined macro the model uses (e.g. KVM_POSSIBLE_CR0_GUEST_BITS → cr0-write)
      for (const { name } of redefinitionsOf(hunk)) {
        const ids = explain(name)[0]?.paths ?? [];
        lens(name, listPaths().filter(p => ids.includes(p.id)));
      }
    });
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
