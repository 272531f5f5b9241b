// What the series features share: the series of an open patch document (series → revision →
// patch → file → hunk, from the parsed document), where the cursor is in it, and the per-patch
// review state kept across sessions. The state is keyed by the patch's diff (patchKey), so a
// patch whose diff did not change between revisions keeps its state in the new revision.
import * as vscode from 'vscode';
import { patchKey } from '../../core';
import type { PatchDocument } from '../../diff';
import { PATCH_LANGUAGE, patchOf } from '../../platform/documents';

/** Review state of one patch. */
export type PatchState = 'unreviewed' | 'reviewed' | 'needs-changes';

/** One patch (or cover letter) of a revision. */
export interface PatchNode { message: number; index: number; total: number; subject: string; key: string; sourceLine: number; endLine: number; cover: boolean; files: FileNode[] }
export interface FileNode { path: string; sourceLine: number; hunks: HunkNode[] }
export interface HunkNode { hunk: number; label: string; sourceLine: number }
export interface RevisionNode { version: number; total: number; patches: PatchNode[] }
export interface SeriesNode { uri: string; title: string; revisions: RevisionNode[] }

const isReply = (subject: string) => /^\s*(?:re|aw)\s*:/i.test(subject);

/** The series of a parsed document: its revisions with their cover letters and patches in order. */
export function seriesOf(uri: string, doc: PatchDocument): SeriesNode {
  const revisions: RevisionNode[] = [];
  for (const s of doc.series) {
    const patches: PatchNode[] = [];
    for (const mi of s.messages) {
      const m = doc.messages[mi];
      if (isReply(m.subject) || (!m.patch && !m.files.length)) continue;
      const files: FileNode[] = m.files.map(fi => {
        const f = doc.files[fi];
        return { path: f.newPath ?? f.oldPath ?? '?', sourceLine: f.sourceLine, hunks: f.hunks.map(hi => {
          const h = doc.hunks[hi];
          const range = h.oldStart !== null ? `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@` : '@@';
          return { hunk: hi, label: `${range} ${h.changedFunctions.join(', ') || h.contextFunction || ''}`.trim(), sourceLine: h.sourceLine };
        }) };
      });
      patches.push({ message: mi, index: m.patch?.index ?? 1, total: m.patch?.total ?? 1, subject: m.subject, key: patchKey(doc, mi), sourceLine: m.sourceLine, endLine: m.endLine, cover: m.patch?.index === 0, files });
    }
    patches.sort((a, b) => a.index - b.index);
    if (patches.length) revisions.push({ version: s.revision, total: s.total, patches });
  }
  const first = revisions[0]?.patches[0];
  const shortlog = first ? first.subject.replace(/^\s*(?:\[[^\]]*\]\s*)+/, '').trim() : '';
  return { uri, title: shortlog || (uri.split('/').pop() ?? uri), revisions };
}

/** The series of every open patch document that has patches. */
export function openSeries(): { document: vscode.TextDocument; series: SeriesNode }[] {
  const out: { document: vscode.TextDocument; series: SeriesNode }[] = [];
  for (const document of vscode.workspace.textDocuments) {
    if (document.languageId !== PATCH_LANGUAGE || document.uri.scheme === 'output') continue;
    const doc = patchOf(document);
    if (!doc) continue;
    const series = seriesOf(document.uri.toString(), doc);
    if (series.revisions.length) out.push({ document, series });
  }
  return out;
}

/** The patches of a document in order (every revision), and the one holding `line`. */
export function patchAt(series: SeriesNode, line: number): { patch: PatchNode; position: number; count: number } | undefined {
  const all = series.revisions.flatMap(r => r.patches.filter(p => !p.cover));
  const k = all.findIndex(p => p.sourceLine <= line && line <= p.endLine);
  return k < 0 ? undefined : { patch: all[k], position: k + 1, count: all.length };
}

const STATE_KEY = 'kvmPatchReview.patchStates';
const changed = new vscode.EventEmitter<void>();
/** Fires when a patch's state changes. */
export const onDidChangePatchState = changed.event;
let memento: vscode.Memento | undefined;

/** Where the states live: the extension's global state (kept across sessions and workspaces). */
export function initPatchStates(ctx: vscode.ExtensionContext): vscode.Disposable {
  memento = ctx.globalState;
  return changed;
}

/** The state of a patch by its key. */
export function patchState(key: string): PatchState {
  return (memento?.get<Record<string, PatchState>>(STATE_KEY) ?? {})[key] ?? 'unreviewed';
}

/** Sets a patch's state (persisted). */
export async function setPatchState(key: string, state: PatchState): Promise<void> {
  const all = { ...(memento?.get<Record<string, PatchState>>(STATE_KEY) ?? {}) };
  if (state === 'unreviewed') delete all[key]; else all[key] = state;
  await memento?.update(STATE_KEY, all);
  changed.fire();
}

/** Moves the editor's cursor to a document line and shows it in the middle. */
export function reveal(editor: vscode.TextEditor, line: number): void {
  const pos = new vscode.Position(Math.min(line, editor.document.lineCount - 1), 0);
  editor.selection = new vscode.Selection(pos, pos);
  editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
