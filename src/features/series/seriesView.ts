// The Series view (activity bar): series → revision → patch → file → hunk for every open patch
// document, each patch with its review state (unreviewed / reviewed / needs changes), which the
// view's context menu and the commands set; a click reveals the line in the document.
import * as vscode from 'vscode';
import { COMMANDS, INTERNAL_COMMANDS } from '../../platform/commands';
import { onDidChangeAnalysis } from '../../platform/documents';
import { openSeries, patchAt, patchState, setPatchState, onDidChangePatchState, seriesOf, type PatchNode, type PatchState, type SeriesNode, type RevisionNode, type FileNode, type HunkNode } from './model';
import { patchOf } from '../../platform/documents';

export const SERIES_VIEW = 'kvmPatchReview.series';

type Node =
  | { kind: 'series'; series: SeriesNode }
  | { kind: 'revision'; series: SeriesNode; revision: RevisionNode }
  | { kind: 'patch'; series: SeriesNode; patch: PatchNode }
  | { kind: 'file'; series: SeriesNode; file: FileNode }
  | { kind: 'hunk'; series: SeriesNode; hunk: HunkNode };

const STATE_ICON: Record<PatchState, vscode.ThemeIcon> = {
  'unreviewed': new vscode.ThemeIcon('circle-large-outline'),
  'reviewed': new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')),
  'needs-changes': new vscode.ThemeIcon('request-changes', new vscode.ThemeColor('testing.iconFailed')),
};
const STATE_TEXT: Record<PatchState, string> = { 'unreviewed': 'unreviewed', 'reviewed': 'reviewed', 'needs-changes': 'needs changes' };

class SeriesTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  refresh(): void { this.changed.fire(undefined); }

  getChildren(node?: Node): Node[] {
    if (!node) return openSeries().map(({ series }) => ({ kind: 'series', series }));
    if (node.kind === 'series') return node.series.revisions.map(revision => ({ kind: 'revision', series: node.series, revision }));
    if (node.kind === 'revision') return node.revision.patches.map(patch => ({ kind: 'patch', series: node.series, patch }));
    if (node.kind === 'patch') return node.patch.files.map(file => ({ kind: 'file', series: node.series, file }));
    if (node.kind === 'file') return node.file.hunks.map(hunk => ({ kind: 'hunk', series: node.series, hunk }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const open = (line: number): vscode.Command => ({ command: 'vscode.open', title: 'Show', arguments: [vscode.Uri.parse(node.series.uri), { selection: new vscode.Range(line, 0, line, 0) }] });
    switch (node.kind) {
      case 'series': {
        const item = new vscode.TreeItem(node.series.title, vscode.TreeItemCollapsibleState.Expanded);
        item.description = vscode.Uri.parse(node.series.uri).path.split('/').pop();
        item.iconPath = new vscode.ThemeIcon('git-pull-request');
        return item;
      }
      case 'revision': {
        const n = node.revision.patches.filter(p => !p.cover).length;
        const done = node.revision.patches.filter(p => !p.cover && patchState(p.key) === 'reviewed').length;
        const item = new vscode.TreeItem(`v${node.revision.version}`, vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${n}/${node.revision.total} patches, ${done} reviewed`;
        item.iconPath = new vscode.ThemeIcon('versions');
        return item;
      }
      case 'patch': {
        const p = node.patch, state = patchState(p.key);
        const item = new vscode.TreeItem(`${p.index}/${p.total} ${p.subject.replace(/^\s*\[[^\]]*\]\s*/, '')}`, p.files.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.description = p.cover ? 'cover letter' : STATE_TEXT[state];
        item.iconPath = p.cover ? new vscode.ThemeIcon('mail') : STATE_ICON[state];
        item.contextValue = p.cover ? 'kvmCover' : `kvmPatch.${state}`;
        item.tooltip = `${p.subject}\n${p.cover ? 'cover letter' : STATE_TEXT[state]}`;
        item.command = open(p.sourceLine);
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(node.file.path, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${node.file.hunks.length} hunk${node.file.hunks.length === 1 ? '' : 's'}`;
        item.resourceUri = vscode.Uri.file(node.file.path);
        item.iconPath = vscode.ThemeIcon.File;
        item.command = open(node.file.sourceLine);
        return item;
      }
      case 'hunk': {
        const item = new vscode.TreeItem(node.hunk.label, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('diff');
        item.command = open(node.hunk.sourceLine);
        return item;
      }
    }
  }
}

/** The patch a state command is for: the tree node it was run on, else the patch at the cursor. */
function targetPatch(node?: Node): PatchNode | undefined {
  if (node?.kind === 'patch') return node.patch;
  const editor = vscode.window.activeTextEditor;
  const doc = editor && patchOf(editor.document);
  if (!editor || !doc) return undefined;
  return patchAt(seriesOf(editor.document.uri.toString(), doc), editor.selection.active.line)?.patch;
}

/** Registers the view, the state commands and the refreshes. */
export function registerSeriesView(): vscode.Disposable {
  const tree = new SeriesTree();
  const view = vscode.window.createTreeView(SERIES_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  const mark = (state: PatchState) => async (node?: Node) => {
    const p = targetPatch(node);
    if (!p) { void vscode.window.showInformationMessage('KVM Patch Review: put the cursor in a patch of a series, or pick one in the Series view.'); return undefined; }
    await setPatchState(p.key, state);
    return state;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const later = () => { clearTimeout(timer); timer = setTimeout(() => tree.refresh(), 300); };
  return vscode.Disposable.from(
    view,
    vscode.commands.registerCommand(COMMANDS.markReviewed, mark('reviewed')),
    vscode.commands.registerCommand(COMMANDS.markNeedsChanges, mark('needs-changes')),
    vscode.commands.registerCommand(COMMANDS.markUnreviewed, mark('unreviewed')),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.seriesTree, (uri?: string) =>
      openSeries().filter(s => !uri || s.series.uri === uri).map(({ series }) => ({
        title: series.title, uri: series.uri,
        revisions: series.revisions.map(r => ({ version: r.version, patches: r.patches.map(p => ({ index: p.index, subject: p.subject, key: p.key, state: patchState(p.key), files: p.files.map(f => ({ path: f.path, hunks: f.hunks.length })) })) })),
      }))),
    onDidChangePatchState(() => tree.refresh()),
    vscode.workspace.onDidOpenTextDocument(later),
    vscode.workspace.onDidCloseTextDocument(later),
    vscode.workspace.onDidChangeTextDocument(later),
    onDidChangeAnalysis(later),
    { dispose: () => clearTimeout(timer) },
  );
}
