// The one LogOutputChannel of the extension ("KVM Patch Review").
import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The shared log channel, created on first use. */
export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('KVM Patch Review', { log: true });
  return channel;
}
