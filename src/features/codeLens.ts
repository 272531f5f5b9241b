// "Simulate this path" code lenses on hunks that change functions the KVM model knows.
import * as vscode from 'vscode';
import { explain, isModeledFunction, listPaths, pathsThrough, redefinitionsOf } from '../core';
import type { PathInfo } from '../sim';
import { settings, onDidChangeSettings } from '../platform/config';
import { PATCH_SELECTOR, patchOf, onDidChangeAnalysis } from '../platform/documents';
import { lineStart } from '../platform/ranges';
import { COMMANDS, type SimulateArgs } from '../platform/commands';

class SimulateLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  refresh(): void { this.changed.fire(); }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!settings().codeLensEnabled) return [];
    const patch = patchOf(document);
    if (!patch) return [];
    const lenses: vscode.CodeLens[] = [];
    patch.hunks.forEach((hunk, index) => {
      const lens = (subject: string, paths: PathInfo[]) => paths.forEach((path, i) => {
        // one lens per path; the first says what it does, the rest stay short
        const args: SimulateArgs = { pathId: path.id, function: subject, uri: document.uri.toString(), hunk: index };
        lenses.push(new vscode.CodeLens(lineStart(hunk.sourceLine), {
          title: i === 0 ? `▶ Simulate this path: ${path.id} (${subject})` : `▶ ${path.id}`,
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
    onDidChangeSettings(() => provider.refresh()),
    onDidChangeAnalysis(() => provider.refresh()),
  );
}
