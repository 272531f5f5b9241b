// "KVM: Explain…": a quick pick over the whole model (names, kinds, values, summaries; VS Code's
// fuzzy matching, plus "explain what I typed" for numbers and expressions), opening the full
// explanation as a read-only markdown document beside the editor. The hover's "Show in model"
// link runs the same command with a name.
import * as vscode from 'vscode';
import { documentMarkdown, explain, modelEntries } from '../core';

import { log } from '../platform/log';
import { COMMANDS } from '../platform/commands';

/** URI scheme of the virtual explanation documents. */
export const SCHEME = 'kvm-model';

/** The virtual document URI that shows `query`. */
export function explainUri(query: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, path: `/${query.replace(/[/\\?#]/g, '_')}.md`, query: encodeURIComponent(query) });
}

class ExplainDocuments implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    const query = decodeURIComponent(uri.query || uri.path.replace(/^\//, '').replace(/\.md$/, ''));
    return documentMarkdown(query, explain(query));
  }
}

interface EntryItem extends vscode.QuickPickItem { query: string }

/** Lets the user pick a model entry, or explain the typed text itself (numbers, expressions). */
function pickQuery(): Promise<string | undefined> {
  const entries: EntryItem[] = modelEntries().map(e => ({
    label: e.name, description: `${e.kind.replace(/_/g, ' ')}${e.value !== undefined ? ` ${e.value}` : ''}`, detail: e.summary, query: e.name,
  }));
  const qp = vscode.window.createQuickPick<EntryItem>();
  qp.placeholder = 'KVM name or number: VMCS field, MSR, control bit, function, struct field, 0x200a, BIT_ULL(62)…';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.items = entries;
  return new Promise(resolve => {
    let done = false;
    const finish = (v: string | undefined) => { if (!done) { done = true; resolve(v); qp.dispose(); } };
    // The item list never changes while the picker is open: replacing items races with Enter (the
    // workbench accepts by position in the list it showed). Text that matches no name (a number,
    // an expression, a typo) is explained as typed; the explanation offers close names.
    qp.onDidAccept(() => finish(qp.selectedItems[0]?.query ?? (qp.value.trim() || undefined)));
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

/** Opens the explanation of `query` beside the active editor; returns its markdown. */
async function show(query: string): Promise<string> {
  const uri = explainUri(query);
  const doc = await vscode.workspace.openTextDocument(uri);
  // rendered by the built-in Markdown preview (executing its command activates it); as text without it
  try { await vscode.commands.executeCommand('markdown.showPreviewToSide', uri); }
  catch (e) {
    log().debug(`markdown preview unavailable (${(e as Error).message}); showing the text`);
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
  }
  log().info(`explain ${query}: ${explain(query).length} reading(s)`);
  return doc.getText();
}

/** Argument forms: a name string (hover link), `{ name }`, or nothing (quick pick). */
type ExplainArg = string | { name?: string; query?: string } | undefined;

/** Registers the Explain command and its virtual documents. */
export function register(_ctx: vscode.ExtensionContext): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, new ExplainDocuments()),
    vscode.commands.registerCommand(COMMANDS.explain, async (arg: ExplainArg) => {
      const given = typeof arg === 'string' ? arg : arg?.name ?? arg?.query;
      const query = given ?? await pickQuery();
      return query ? show(query) : undefined;
    }),
  );
}
