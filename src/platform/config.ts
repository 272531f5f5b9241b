// Every setting of the extension, read through one typed module.
import * as vscode from 'vscode';

export const SECTION = 'kvmPatchReview';

export interface Settings {
  maxFileSizeMB: number;
  defaultScenario: string;
  hoverInCFiles: boolean;
  codeLensEnabled: boolean;
  /** A Linux tree to open deciding lines in (empty: none). */
  treePath: string;
}

/** Current settings (read fresh each call: cheap, and always up to date). */
export function settings(): Settings {
  const c = vscode.workspace.getConfiguration(SECTION);
  return {
    maxFileSizeMB: c.get<number>('maxFileSizeMB', 64),
    defaultScenario: c.get<string>('defaultScenario', 'default'),
    hoverInCFiles: c.get<boolean>('hover.enableInCFiles', true),
    codeLensEnabled: c.get<boolean>('codeLens.enabled', true),
    treePath: c.get<string>('tree', '') || process.env.KVM_REVIEW_TREE || '',
  };
}

/** Calls `listener` when one of our settings changes. */
export function onDidChangeSettings(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration(e => { if (e.affectsConfiguration(SECTION)) listener(); });
}
