// Review comments with the VS Code Comments API on any line of a patch mail, at any quote depth:
// the reviewer's own drafts (they go into the reply), and the replies other reviewers already
// wrote, shown read-only on the quoted line they answer. "Draft Reply" turns the drafts into the
// reply `kvm-review reply` writes (contract v2) and opens it in a new editor.
import * as vscode from 'vscode';
import { buildReplies, repliesText } from '../../core';
import { COMMANDS, INTERNAL_COMMANDS } from '../../platform/commands';
import { PATCH_LANGUAGE, patchOf, onDidChangeAnalysis } from '../../platform/documents';
import { settings } from '../../platform/config';
import { log } from '../../platform/log';
import type { ReviewComment } from '../../diff';

const CONTROLLER = 'kvmPatchReview.review';

class Draft implements vscode.Comment {
  mode = vscode.CommentMode.Preview;
  author: vscode.CommentAuthorInformation = { name: 'You (draft)' };
  contextValue = 'kvmDraft';
  constructor(public body: string | vscode.MarkdownString, readonly thread: vscode.CommentThread) {}
}

/** Registers the comment controller, the existing replies' threads and Draft Reply. */
export function registerComments(ctx: vscode.ExtensionContext): vscode.Disposable {
  const controller = vscode.comments.createCommentController(CONTROLLER, 'KVM Patch Review');
  controller.options = { prompt: 'Comment on this line (it goes into the reply)', placeHolder: 'Your review comment; Draft Reply puts it after this line' };
  controller.commentingRangeProvider = {
    provideCommentingRanges: (document: vscode.TextDocument) => (document.languageId === PATCH_LANGUAGE && document.lineCount ? [new vscode.Range(0, 0, document.lineCount - 1, 0)] : []),
  };
  /** The reviewer's draft threads by document, and the read-only threads of existing replies. */
  const drafts = new Map<string, vscode.CommentThread[]>();
  const existing = new Map<string, vscode.CommentThread[]>();
  const storeKey = (uri: vscode.Uri) => `kvmPatchReview.drafts:${uri.toString()}`;

  const persist = (uri: vscode.Uri) => {
    const list = (drafts.get(uri.toString()) ?? []).flatMap(t => t.comments.map(c => ({ line: t.range?.start.line ?? 0, text: typeof c.body === 'string' ? c.body : c.body.value })));
    void ctx.workspaceState.update(storeKey(uri), list);
  };
  const addDraft = (thread: vscode.CommentThread, text: string) => {
    thread.comments = [...thread.comments, new Draft(text, thread)];
    thread.canReply = true;
    thread.contextValue = 'kvmDraftThread';
    thread.label = 'Draft (goes into the reply)';
    const key = thread.uri.toString();
    const list = drafts.get(key) ?? [];
    if (!list.includes(thread)) list.push(thread);
    drafts.set(key, list);
    persist(thread.uri);
  };
  /** The reviewers' replies the parser found, one read-only thread per answered line. */
  const showExisting = (document: vscode.TextDocument) => {
    if (document.languageId !== PATCH_LANGUAGE) return;
    const key = document.uri.toString();
    for (const t of existing.get(key) ?? []) t.dispose();
    const patch = patchOf(document);
    const threads: vscode.CommentThread[] = [];
    const byLine = new Map<number, ReviewComment[]>();
    for (const c of patch?.comments ?? []) byLine.set(c.afterSourceLine, [...(byLine.get(c.afterSourceLine) ?? []), c]);
    for (const [line, comments] of byLine) {
      if (line >= document.lineCount) continue;
      const t = controller.createCommentThread(document.uri, new vscode.Range(line, 0, line, 0), comments.map(c => ({
        body: c.text.length > 8000 ? c.text.slice(0, 8000) + '\n…' : c.text, mode: vscode.CommentMode.Preview,
        author: { name: `Reply (quote depth ${c.quoteDepth}, line ${c.startLine + 1})` }, contextValue: 'kvmExisting',
      })));
      t.canReply = false;
      t.label = 'Already in the thread';
      t.contextValue = 'kvmExistingThread';
      t.collapsibleState = vscode.CommentThreadCollapsibleState.Collapsed;
      threads.push(t);
    }
    existing.set(key, threads);
  };
  /** Drafts kept from an earlier session of this workspace. */
  const restoreDrafts = (document: vscode.TextDocument) => {
    if (document.languageId !== PATCH_LANGUAGE || drafts.has(document.uri.toString())) return;
    const saved = ctx.workspaceState.get<{ line: number; text: string }[]>(storeKey(document.uri)) ?? [];
    drafts.set(document.uri.toString(), []);
    for (const d of saved) {
      if (d.line >= document.lineCount) continue;
      const t = controller.createCommentThread(document.uri, new vscode.Range(d.line, 0, d.line, 0), []);
      addDraft(t, d.text);
    }
  };
  const onOpen = (document: vscode.TextDocument) => { restoreDrafts(document); showExisting(document); };
  const first = setTimeout(() => vscode.workspace.textDocuments.forEach(onOpen), 0);

  /** The drafts of a document as reply comments (1-based lines, document order). */
  const commentsOf = (uri: vscode.Uri) => (drafts.get(uri.toString()) ?? [])
    .flatMap(t => t.comments.map(c => ({ sourceLine: (t.range?.start.line ?? 0) + 1, text: typeof c.body === 'string' ? c.body : c.body.value })))
    .sort((a, b) => a.sourceLine - b.sourceLine);

  const draftReply = async (uri?: vscode.Uri) => {
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== PATCH_LANGUAGE) { void vscode.window.showInformationMessage('KVM Patch Review: open a patch mail and add comments first.'); return undefined; }
    const s = settings();
    const from = s.replyFrom.trim() || undefined;
    const trailers = s.replyTrailers.filter(t => t.includes(':') || from);
    try {
      const replies = buildReplies(document.getText(), { comments: commentsOf(document.uri), trailers, from, date: new Date() });
      const text = repliesText(replies);
      const reply = await vscode.workspace.openTextDocument({ content: text, language: PATCH_LANGUAGE });
      await vscode.window.showTextDocument(reply, { preview: false, viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(0, 0, 0, 0) });
      for (const r of replies) for (const w of r.warnings) log().warn(`Draft Reply: ${w}`);
      log().info(`Draft Reply: ${replies.length} repl${replies.length === 1 ? 'y' : 'ies'} to ${document.uri.toString()}`);
      return text;
    } catch (e) {
      void vscode.window.showErrorMessage(`KVM Patch Review: cannot draft the reply: ${(e as Error).message}`);
      return undefined;
    }
  };

  return vscode.Disposable.from(
    controller,
    { dispose: () => clearTimeout(first) },
    vscode.commands.registerCommand(COMMANDS.saveComment, (reply: vscode.CommentReply) => { if (reply.text.trim()) addDraft(reply.thread, reply.text); }),
    vscode.commands.registerCommand(COMMANDS.deleteComment, (comment: Draft) => {
      const thread = comment.thread;
      thread.comments = thread.comments.filter(c => c !== comment);
      if (!thread.comments.length) {
        const list = drafts.get(thread.uri.toString()) ?? [];
        drafts.set(thread.uri.toString(), list.filter(t => t !== thread));
        thread.dispose();
      }
      persist(thread.uri);
    }),
    vscode.commands.registerCommand(COMMANDS.draftReply, draftReply),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.addComment, (uri: string, line: number, text: string) => {
      const u = vscode.Uri.parse(uri);
      const t = controller.createCommentThread(u, new vscode.Range(line, 0, line, 0), []);
      addDraft(t, text);
      return commentsOf(u);
    }),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.commentThreads, (uri: string) => ({
      drafts: commentsOf(vscode.Uri.parse(uri)),
      existing: (existing.get(uri) ?? []).map(t => ({ line: t.range?.start.line ?? -1, comments: t.comments.length, canReply: t.canReply })),
    })),
    vscode.workspace.onDidOpenTextDocument(onOpen),
    onDidChangeAnalysis(() => vscode.workspace.textDocuments.forEach(showExisting)),
    { dispose: () => { for (const list of [...drafts.values(), ...existing.values()]) for (const t of list) t.dispose(); } },
  );
}
