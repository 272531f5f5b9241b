// "KVM: Explain…": a quick pick over the whole model (names, kinds, values, summaries; VS Code's
// fuzzy matching, plus "explain what I typed" for numbers and expressions), opening the full
// explanation as a read-only markdown document beside the editor. The hover's "Show in model"
// link runs the same command with a name.
import * as vscode from 'vscode';
import { documentMarkdown, explain, modelEntries, suggest } from '../core';

/** Command id (package.json); also what the model's "Show in model" links call. */
const EXPLAIN_COMMAND = 'kvmPatchReview.explain';
import { log } from '../platform/log';

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
  const typed = (value: string): EntryItem => ({ label: `$(search) Explain "${value}"`, description: 'name, number or expression as typed', query: value, alwaysShow: true });
  return new Promise(resolve => {
    let done = false;
    const finish = (v: string | undefined) => { if (!done) { done = true; resolve(v); qp.dispose(); } };
    const byName = new Map(entries.map(e => [e.label, e]));
    qp.onDidChangeValue(v => {
      const value = v.trim();
      if (!value) { qp.items = entries; return; }
      // Close matches by edit distance (typos VS Code's own matching would miss) stay visible on top.
      const close = suggest(value, 5).map(n => byName.get(n)).filter((e): e is EntryItem => !!e).map(e => ({ ...e, alwaysShow: true }));
      qp.items = [typed(value), ...close, ...entries.filter(e => !close.some(c => c.label === e.label))];
    });
    qp.onDidAccept(() => finish(qp.selectedItems[0]?.query ?? (qp.value.trim() || undefined)));
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

/** Opens the explanation of `query` beside the active editor; returns its markdown. */
async function show(query: string): Promise<string> {
  const uri = explainUri(query);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
  log().info(`explain ${query}: ${explain(query).length} reading(s)`);
  return doc.getText();
}

/** Argument forms: a name string (hover link), `{ name }`, or nothing (quick pick). */
type ExplainArg = string | { name?: string; query?: string } | undefined;

/** Registers the Explain command and its virtual documents. */
export function register(_ctx: vscode.ExtensionContext): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, new ExplainDocuments()),
    vscode.commands.registerCommand(EXPLAIN_COMMAND, async (arg: ExplainArg) => {
      const given = typeof arg === 'string' ? arg : arg?.name ?? arg?.query;
      const query = given ?? await pickQuery();
      return query ? show(query) : undefined;
    }),
  );
}
