// "Simulate this path" code lenses on hunks that change functions the KVM model knows.
import * as vscode from 'vscode';
import { isModeledFunction, pathsThrough } from '../core';
import { settings, onDidChangeSettings } from '../platform/config';
import { PATCH_SELECTOR, patchOf, onDidChangeAnalysis } from '../platform/documents';
import { lineStart } from '../platform/ranges';

/** Arguments of kvmPatchReview.simulatePath as the lens passes them. */
export interface SimulateArgs { pathId?: string; function?: string; uri?: string; hunk?: number; scenario?: string }

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
      for (const fn of hunk.changedFunctions.filter(isModeledFunction)) {
        // one lens per path through the function; the first says what it does, the rest stay short
        pathsThrough(fn).forEach((path, i) => {
          const args: SimulateArgs = { pathId: path.id, function: fn, uri: document.uri.toString(), hunk: index };
          lenses.push(new vscode.CodeLens(lineStart(hunk.sourceLine), {
            title: i === 0 ? `▶ Simulate this path: ${path.id} (${fn})` : `▶ ${path.id}`,
            tooltip: `Simulate ${path.title} for the ${settings().defaultScenario} scenario: ${path.steps.join(' → ')}`,
            command: 'kvmPatchReview.simulatePath', arguments: [args],
          }));
        });
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
