// Walking a series in the editor: next/previous hunk and patch (with keybindings), and the status
// bar item "Patch N of M · state" for the patch under the cursor, plus the engine and tree of the
// last simulation when one was run (platform/lastSimulation.ts).
import * as vscode from 'vscode';
import { COMMANDS, INTERNAL_COMMANDS } from '../../platform/commands';
import { PATCH_LANGUAGE, patchOf, onDidChangeAnalysis } from '../../platform/documents';
import { lastSimulation, onDidSimulate } from '../../platform/lastSimulation';
import { seriesOf, patchAt, patchState, reveal, onDidChangePatchState } from './model';

type Direction = 1 | -1;

/** The hunk or patch start after (or before) the cursor line. */
function target(editor: vscode.TextEditor, what: 'hunk' | 'patch', dir: Direction): number | undefined {
  const doc = patchOf(editor.document);
  if (!doc) return undefined;
  const line = editor.selection.active.line;
  const starts = what === 'hunk'
    ? doc.hunks.map(h => h.sourceLine)
    : seriesOf(editor.document.uri.toString(), doc).revisions.flatMap(r => r.patches.map(p => p.sourceLine));
  const sorted = [...new Set(starts)].sort((a, b) => a - b);
  if (dir > 0) return sorted.find(s => s > line);
  // back from inside a patch goes to the patch before it (from inside a hunk: to its header)
  const current = [...sorted].reverse().findIndex(s => s <= line);
  const before = [...sorted].reverse().slice(what === 'patch' || sorted.includes(line) ? current + 1 : current);
  return current < 0 ? undefined : before[0];
}

/** Registers the four walking commands and the status bar item. */
export function registerNavigation(): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('kvmPatchReview.patch', vscode.StatusBarAlignment.Left, 50);
  item.name = 'KVM Patch Review: patch';
  const update = () => {
    const editor = vscode.window.activeTextEditor;
    const doc = editor && editor.document.languageId === PATCH_LANGUAGE ? patchOf(editor.document) : undefined;
    const at = editor && doc ? patchAt(seriesOf(editor.document.uri.toString(), doc), editor.selection.active.line) : undefined;
    if (!at) { item.hide(); return; }
    const sim = lastSimulation();
    const state = patchState(at.patch.key);
    item.text = `$(git-pull-request) Patch ${at.position} of ${at.count} · ${state === 'needs-changes' ? 'needs changes' : state}${sim ? ` · ${sim.engine}${sim.tree ? ` ${sim.tree}` : ''}` : ''}`;
    item.tooltip = `${at.patch.subject}\n${sim ? `last simulation: ${sim.engine} engine${sim.tree ? `, tree ${sim.tree}` : ''}` : 'no simulation run yet'}\nClick: mark as reviewed`;
    item.command = COMMANDS.markReviewed;
    item.show();
  };
  const walk = (what: 'hunk' | 'patch', dir: Direction) => () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== PATCH_LANGUAGE) return undefined;
    const line = target(editor, what, dir);
    if (line === undefined) { void vscode.window.setStatusBarMessage(`KVM Patch Review: no ${dir > 0 ? 'next' : 'previous'} ${what}`, 2000); return undefined; }
    reveal(editor, line);
    return line;
  };
  update();
  return vscode.Disposable.from(
    item,
    vscode.commands.registerCommand(COMMANDS.nextHunk, walk('hunk', 1)),
    vscode.commands.registerCommand(COMMANDS.previousHunk, walk('hunk', -1)),
    vscode.commands.registerCommand(COMMANDS.nextPatch, walk('patch', 1)),
    vscode.commands.registerCommand(COMMANDS.previousPatch, walk('patch', -1)),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.statusText, () => { update(); return item.text; }),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.window.onDidChangeTextEditorSelection(update),
    onDidChangePatchState(update),
    onDidChangeAnalysis(update),
    onDidSimulate(update),
  );
}
