// "Open Series by Message-ID or URL": the thread from the public-inbox server of the settings
// (lore.kernel.org by default), ordered into the series with the reviewers' trailers collected
// (src/review/series/series.ts), written to the extension's storage and opened as a patch mail.
// "Compare Revisions": the range-diff of two revisions of the series (in one mailbox, or two open
// documents of the same series), in a new editor.
import * as vscode from 'vscode';
import { buildSeries, readMailbox, revisionMbox, newerRevisions, subjectStem, rangeDiffText } from '../../core';
import { fetchThread, parseMessageLocation, searchMbox, revisionQuery, FetchError } from '../../io/publicInbox';
import { COMMANDS } from '../../platform/commands';
import { settings } from '../../platform/config';
import { PATCH_LANGUAGE } from '../../platform/documents';
import { log } from '../../platform/log';
import type { Revision } from '../../review/series/series';

/** Registers both commands. */
export function registerOpenSeries(ctx: vscode.ExtensionContext): vscode.Disposable {
  const openSeries = async (input?: string) => {
    const target = input ?? await vscode.window.showInputBox({
      title: 'Open Series', prompt: `Message-ID or message URL (server: ${settings().publicInboxServer})`,
      placeHolder: '20240506-lam-v1-2@example.org or https://lore.kernel.org/kvm/<msgid>/', ignoreFocusOut: true,
    });
    if (!target?.trim()) return undefined;
    const s = settings();
    let loc;
    try { loc = parseMessageLocation(target, s.publicInboxServer, s.publicInboxList); }
    catch (e) { void vscode.window.showErrorMessage(`KVM Patch Review: ${(e as Error).message}`); return undefined; }
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Fetching <${loc.messageId}>`, cancellable: false }, async progress => {
      try {
        progress.report({ message: `thread from ${loc.server}/${loc.list}/` });
        const thread = await fetchThread(loc);
        const series = buildSeries(readMailbox(thread.mbox));
        const revision = series.revisions[series.revisions.length - 1];
        progress.report({ message: 'looking for newer revisions' });
        const top = revision?.cover ?? revision?.patches.find(Boolean);
        const newer = top ? newerRevisions(series, readMailbox(await searchMbox(loc.server, loc.list, revisionQuery(subjectStem(top.subject))).catch(() => ''))) : [];
        const text = revision ? revisionMbox(revision, `${loc.server}/${loc.list === 'all' ? 'r' : loc.list}`) : thread.mbox;
        const dir = vscode.Uri.joinPath(ctx.globalStorageUri, 'series');
        await vscode.workspace.fs.createDirectory(dir);
        const file = vscode.Uri.joinPath(dir, `${loc.messageId.replace(/[^\w.@-]+/g, '_').slice(0, 150)}${revision ? `-v${revision.version}` : ''}.mbx`);
        await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
        const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(file), PATCH_LANGUAGE);
        await vscode.window.showTextDocument(document, { preview: false });
        log().info(`Open Series: ${thread.url} → ${file.fsPath} (${revision ? `v${revision.version}, ${revision.patches.filter(Boolean).length}/${revision.total} patches` : 'no series'})`);
        if (newer.length) {
          const pick = await vscode.window.showInformationMessage(`A newer revision exists: v${newer[newer.length - 1].version} (${newer[newer.length - 1].subject}).`, 'Open It');
          if (pick) await openSeries(newer[newer.length - 1].messageId.slice(1, -1));
        }
        return file.toString();
      } catch (e) {
        const message = e instanceof FetchError ? e.message : `cannot open the series: ${(e as Error).message}`;
        log().warn(`Open Series: ${message}`);
        void vscode.window.showErrorMessage(`KVM Patch Review: ${message}`);
        return undefined;
      }
    });
  };

  const compare = async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.languageId !== PATCH_LANGUAGE) { void vscode.window.showInformationMessage('KVM Patch Review: open a series first.'); return undefined; }
    const mine = buildSeries(readMailbox(editor.document.getText())).revisions;
    let older: Revision | undefined, newer: Revision | undefined;
    if (mine.length >= 2) [older, newer] = mine.slice(-2);
    else if (mine.length === 1) {
      // another open document of the same series (same shortlog of patch 1 or cover) with another revision
      const stem = subjectStem((mine[0].cover ?? mine[0].patches.find(Boolean))?.subject ?? '');
      const others = vscode.workspace.textDocuments.filter(d => d !== editor.document && d.languageId === PATCH_LANGUAGE)
        .flatMap(d => buildSeries(readMailbox(d.getText())).revisions)
        .filter(r => r.version !== mine[0].version && subjectStem((r.cover ?? r.patches.find(Boolean))?.subject ?? '') === stem);
      const other = others.sort((a, b) => Math.abs(a.version - mine[0].version) - Math.abs(b.version - mine[0].version))[0];
      if (other) [older, newer] = other.version < mine[0].version ? [other, mine[0]] : [mine[0], other];
    }
    if (!older || !newer) { void vscode.window.showInformationMessage('KVM Patch Review: no other revision of this series is open (open it with "Open Series by Message-ID or URL").'); return undefined; }
    const text = rangeDiffText(older, newer);
    const document = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
    await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(0, 0, 0, 0) });
    return text;
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.openSeries, openSeries),
    vscode.commands.registerCommand(COMMANDS.compareRevisions, compare),
  );
}
