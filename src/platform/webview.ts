// Webview HTML with a strict CSP: default-src 'none', a fresh nonce per render, local resources only.
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';

/** A new random nonce for one render. */
export function nonce(): string { return crypto.randomBytes(16).toString('base64'); }

/** Options for a webview that may load only from media/ and dist/ of the extension. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist')], retainContextWhenHidden: false };
}

/** Escapes text for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A page whose only script and stylesheet are the extension's files `script` and `style` (paths from the extension root), with `body` as its initial content. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string, body: string, script: string, style: string): string {
  const n = nonce();
  const src = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...f.split('/'))).toString();
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${n}'; img-src ${webview.cspSource};">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${src(style)}"><title>${escapeHtml(title)}</title></head>
<body>${body}<script nonce="${n}" src="${src(script)}"></script></body></html>`;
}
