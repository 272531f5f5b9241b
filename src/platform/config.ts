// Every setting of the extension, read through one typed module.
import * as vscode from 'vscode';

export const SECTION = 'kvmPatchReview';

export interface Settings {
  maxFileSizeMB: number;
  defaultScenario: string;
  hoverInCFiles: boolean;
  codeLensEnabled: boolean;
  /** public-inbox server for Open Series (lore.kernel.org by default) */
  publicInboxServer: string;
  /** list part of message URLs when only a Message-ID is given (`all` on lore) */
  publicInboxList: string;
  /** Trailers Draft Reply puts after the comments ("Reviewed-by", or "Name: value") */
  replyTrailers: string[];
  /** The replier, "Name <addr>" (From: of the reply, value of bare trailers) */
  replyFrom: string;
}

/** Current settings (read fresh each call: cheap, and always up to date). */
export function settings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    maxFileSizeMB: c.get<number>('maxFileSizeMB', 64),
    defaultScenario: c.get<string>('defaultScenario', 'default'),
    hoverInCFiles: c.get<boolean>('hover.enableInCFiles', true),
    codeLensEnabled: c.get<boolean>('codeLens.enabled', true),
    publicInboxServer: c.get<string>('publicInbox.server', 'https://lore.kernel.org'),
    publicInboxList: c.get<string>('publicInbox.list', 'all'),
    replyTrailers: c.get<string[]>('reply.trailers', []),
    replyFrom: c.get<string>('reply.from', ''),
  };
}

/** Calls `listener` when one of our settings changes. */
export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration(e => { if (e.affectsConfiguration(SECTION)) listener(); });
}
