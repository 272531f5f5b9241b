// Every setting of the extension, read through one typed module.
import * as vscode from 'vscode';
import { log } from './log';
import { maxFileSizeSetting, scenarioSetting } from './trust';

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
  /** Which KVM the model answers for unless a scenario names its own `baseline`. */
  baseline: '6.12.y' | 'kvm-x86';
  /** A Linux tree to open deciding lines in (empty: none); ignored in Restricted Mode. */
  treePath: string;
}

/** Current settings (read fresh each call: cheap, and always up to date). */
export function settings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  // Restricted Mode: a setting that names a file or widens what is read is ignored (once said)
  const trusted = vscode.workspace.isTrusted;
  const scenario = scenarioSetting(c.get<string>('defaultScenario', 'default'), trusted);
  const size = maxFileSizeSetting(c.get<number>('maxFileSizeMB', 64), trusted);
  for (const n of [scenario.notice, size.notice]) if (n) notice(n);
  return {
    maxFileSizeMB: size.maxFileSizeMB,
    defaultScenario: scenario.scenario,
    hoverInCFiles: c.get<boolean>('hover.enableInCFiles', true),
    codeLensEnabled: c.get<boolean>('codeLens.enabled', true),
    publicInboxServer: c.get<string>('publicInbox.server', 'https://lore.kernel.org'),
    publicInboxList: c.get<string>('publicInbox.list', 'all'),
    replyTrailers: c.get<string[]>('reply.trailers', []),
    replyFrom: c.get<string>('reply.from', ''),
    baseline: c.get<string>('baseline', '6.12.y') === 'kvm-x86' ? 'kvm-x86' : '6.12.y',
    treePath: trusted ? (c.get<string>('kernelTree', '') || process.env.KVM_REVIEW_TREE || '') : '',
  };
}

/** Calls `listener` when one of our settings changes. */
export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration(e => { if (e.affectsConfiguration(SECTION)) listener(); });
}

const said = new Set<string>();
/** A Restricted Mode notice: one line in the log and one message, once per session. */
function notice(text: string): void {
  if (said.has(text)) return;
  said.add(text);
  log().warn(text);
  void vscode.window.showInformationMessage(`KVM Patch Review: ${text}`);
}
