// Composition root: wires the features, nothing else.
import * as vscode from 'vscode';
import { log } from './platform/log';
import { initDocuments } from './platform/documents';
import * as hover from './features/hover';
import * as codeLens from './features/codeLens';
import * as simulate from './features/simulate/panel';
import * as reviewAsPatch from './features/reviewAsPatch';
import * as explain from './features/explain';
import * as outline from './features/outline';
import * as folding from './features/folding';
import * as diagnostics from './features/diagnostics';
import * as reviewComments from './features/reviewComments';
import * as diffDecorations from './features/diffDecorations';
import * as series from './features/series';
import * as sniff from './features/sniff';
import * as kernelStatus from './features/kernelStatus';

// kernelStatus first: it sets up the kernel tree choice the simulation panel uses
const FEATURES = [kernelStatus, hover, codeLens, simulate, reviewAsPatch, explain, outline, folding, diagnostics, reviewComments, diffDecorations, series, sniff];

export function activate(ctx: vscode.ExtensionContext): void {
  const t0 = Date.now();
  try {
    ctx.subscriptions.push(log());
    // tree-sitter's wasm loads in the background with the first patch parsed; analyses refresh then
    ctx.subscriptions.push(initDocuments(ctx.extensionUri));
    for (const feature of FEATURES) ctx.subscriptions.push(feature.register(ctx));
    log().info(`activated in ${Date.now() - t0} ms`);
  } catch (e) {
    const message = `KVM Patch Review failed to activate: ${(e as Error).message}`;
    log().error(message);
    void vscode.window.showErrorMessage(message);
    throw e;
  }
}

export function deactivate(): void {}
