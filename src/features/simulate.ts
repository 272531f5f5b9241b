// "KVM Patch Review: Simulate This Path": runs the modeled checks of a path for the configured
// scenario and shows the trace in a webview. Returns the simulation so scripts and tests can use it.
import * as vscode from 'vscode';
import { listPaths, simulate, ScenarioError, type SimulationResult } from '../sim';
import { settings } from '../platform/config';
import { log } from '../platform/log';
import { escapeHtml, webviewHtml, webviewOptions } from '../platform/webview';
import type { SimulateArgs } from './codeLens';

/** Messages the extension sends to the webview. */
export type ToWebview = { type: 'result'; result: SimulationResult; title: string };
/** Messages the webview sends to the extension. */
export type FromWebview = { type: 'ready' } | { type: 'rerun' };

const VIEW_TYPE = 'kvmPatchReview.simulation';
let panel: vscode.WebviewPanel | undefined;

function renderBody(title: string, r: SimulationResult): string {
  const outcome = Object.entries(r.outcome).filter(([k]) => k !== 'kind').map(([k, v]) => `${k} ${escapeHtml(String(v))}`).join(', ');
  const rows = r.trace.map(t => `<tr class="${t.result}"><td class="result">${t.result}</td><td>${escapeHtml(t.function)}</td><td>${escapeHtml(t.check)}</td>`
    + `<td>${escapeHtml(Object.entries(t.values).map(([k, v]) => `${k}=${v}`).join(' '))}</td></tr>`).join('');
  return `<main><h1>${escapeHtml(title)}</h1>
<p class="outcome" id="outcome">Outcome: <strong>${escapeHtml(r.outcome.kind)}</strong>${outcome ? ` (${outcome})` : ''}</p>
${r.failedCheck ? `<p class="failed">Failed check <code>${escapeHtml(r.failedCheck.id)}</code> in <code>${escapeHtml(r.failedCheck.function)}</code>: <code>${escapeHtml(r.failedCheck.condition)}</code> ${escapeHtml(r.failedCheck.sdm)}</p>` : ''}
${r.warnings.map(w => `<p class="warning">${escapeHtml(w)}</p>`).join('')}
<table id="trace"><thead><tr><th>result</th><th>function</th><th>check</th><th>values read</th></tr></thead><tbody>${rows}</tbody></table></main>`;
}

async function run(ctx: vscode.ExtensionContext, args: SimulateArgs = {}): Promise<SimulationResult | undefined> {
  let pathId = args.pathId;
  if (!pathId) {
    const pick = await vscode.window.showQuickPick(listPaths().map(p => ({ label: p.id, description: p.title, detail: p.steps.join(' → ') })), { placeHolder: 'Path to simulate' });
    if (!pick) return undefined;
    pathId = pick.label;
  }
  let result: SimulationResult;
  try { result = simulate(pathId, { base: settings().defaultScenario }); }
  catch (e) {
    const message = e instanceof ScenarioError ? e.message : `simulation failed: ${(e as Error).message}`;
    log().error(message);
    void vscode.window.showErrorMessage(`KVM Patch Review: ${message}`);
    return undefined;
  }
  const title = `Simulation: ${pathId}${args.function ? ` (from ${args.function})` : ''}, scenario ${settings().defaultScenario}`;
  log().info(`${title}: ${result.outcome.kind}`);
  if (!panel) {
    panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'KVM Simulation', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(ctx.extensionUri));
    panel.onDidDispose(() => { panel = undefined; });
    panel.webview.onDidReceiveMessage((m: FromWebview) => { if (m.type === 'ready') log().debug('simulation view ready'); });
  }
  panel.title = `KVM Simulation: ${pathId}`;
  panel.webview.html = webviewHtml(panel.webview, ctx.extensionUri, title, renderBody(title, result), 'simulate.js', 'simulate.css');
  panel.reveal(undefined, true);
  return result;
}

/** Registers the command. */
export function register(ctx: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand('kvmPatchReview.simulatePath', (args?: SimulateArgs) => run(ctx, args));
}
