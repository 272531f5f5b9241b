// Added and removed lines of every recovered hunk get a diff-like background and overview-ruler
// mark, at any quote depth, so a quoted or whitespace-damaged patch reads like a diff.
import * as vscode from 'vscode';
import { PATCH_LANGUAGE, patchOf, onDidChangeAnalysis } from '../platform/documents';
import { INTERNAL_COMMANDS } from '../platform/commands';

function lineDecoration(background: string, ruler: string): vscode.TextEditorDecorationType {
  return vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor(background),
    overviewRulerColor: new vscode.ThemeColor(ruler),
    overviewRulerLane: vscode.OverviewRulerLane.Left,
  });
}

/** Registers the decorations: on visible editors, on edits, on language switches. */
export function register(_ctx: vscode.ExtensionContext): vscode.Disposable {
  const added = lineDecoration('diffEditor.insertedLineBackground', 'editorOverviewRuler.addedForeground');
  const removed = lineDecoration('diffEditor.removedLineBackground', 'editorOverviewRuler.deletedForeground');

  /** Decorates one editor from its document's parsed hunks; returns the counts. */
  const decorate = (editor: vscode.TextEditor): { added: number; removed: number } => {
    const plus: vscode.Range[] = [], minus: vscode.Range[] = [];
    const patch = editor.document.languageId === PATCH_LANGUAGE ? patchOf(editor.document) : undefined;
    for (const hunk of patch?.hunks ?? []) {
      for (const line of hunk.lines) {
        if (line.kind === 'add') plus.push(new vscode.Range(line.sourceLine, 0, line.sourceLine, 0));
        else if (line.kind === 'del') minus.push(new vscode.Range(line.sourceLine, 0, line.sourceLine, 0));
      }
    }
    editor.setDecorations(added, plus);
    editor.setDecorations(removed, minus);
    return { added: plus.length, removed: minus.length };
  };
  const all = () => { vscode.window.visibleTextEditors.forEach(decorate); };
  // after activation returns: the first parse loads the core, which activation need not wait for
  const first = setTimeout(all, 0);
  return vscode.Disposable.from(
    { dispose: () => clearTimeout(first) },
    added, removed,
    vscode.window.onDidChangeVisibleTextEditors(editors => editors.forEach(decorate)),
    vscode.workspace.onDidChangeTextDocument(e => vscode.window.visibleTextEditors.filter(ed => ed.document === e.document).forEach(decorate)),
    vscode.workspace.onDidOpenTextDocument(all),
    onDidChangeAnalysis(all),
    // for tests and scripts: the counts of decorated lines in the active editor
    vscode.commands.registerCommand(INTERNAL_COMMANDS.decorationCounts, () => {
      const editor = vscode.window.activeTextEditor;
      return editor ? decorate(editor) : undefined;
    }),
  );
}
