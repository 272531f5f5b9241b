// "KVM Patch Review: Simulate This Path": runs the modeled checks of a path for a scenario and shows
// the trace in a webview. The page is a static shell; the trace arrives as a typed message after the
// view says it is ready, and the view asks for another scenario with a typed message too. The
// command returns the simulation so scripts and tests can use it.
import * as vscode from 'vscode';
import { listPaths, presets, simulate, ScenarioError, type SimulationResult } from '../sim';
import { settings } from '../platform/config';
import { log } from '../platform/log';
import { webviewHtml, webviewOptions } from '../platform/webview';
import type { SimulateArgs } from './codeLens';

/** What the view shows. */
export interface SimulationView {
  pathId: string;
  title: string;
  steps: string[];
  scenario: string;
  presets: { name: string; summary: string }[];
  result: SimulationResult | null;
  error: string | null;
}
/** Messages the extension sends to the webview. */
export type ToWebview = { type: 'show'; view: SimulationView };
/** Messages the webview sends to the extension. */
export type FromWebview = { type: 'ready' } | { type: 'scenario'; name: string };
/** Saved with the panel so it comes back after a reload. */
interface PanelState { pathId: string; scenario: string; function?: string }

const VIEW_TYPE = 'kvmPatchReview.simulation';

/** Resolves a scenario setting: a preset name, or a JSON file (absolute or workspace-relative). */
async function loadScenario(scenario: string): Promise<unknown> {
  if (!scenario.endsWith('.json')) return { base: scenario };
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = scenario.startsWith('/') || !folder ? vscode.Uri.file(scenario) : vscode.Uri.joinPath(folder, scenario);
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  try { return JSON.parse(text); } catch (e) { throw new ScenarioError(`${scenario} is not valid JSON: ${(e as Error).message}`); }
}

/** One simulation panel: owns its webview, its state and its message handling. */
class SimulationPanel {
  private state: PanelState;
  private ready = false;
  private view: SimulationView | undefined;

  constructor(private readonly panel: vscode.WebviewPanel, ctx: vscode.ExtensionContext, state: PanelState) {
    this.state = state;
    panel.webview.options = webviewOptions(ctx.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, ctx.extensionUri, 'KVM Simulation', '<main id="app"><p>Simulating…</p></main>', 'simulate.js', 'simulate.css');
    panel.webview.onDidReceiveMessage((m: FromWebview) => {
      if (m.type === 'ready') { this.ready = true; this.post(); }
      else if (m.type === 'scenario') void this.run({ ...this.state, scenario: m.name });
    });
  }

  get disposed(): vscode.Event<void> { return this.panel.onDidDispose; }
  reveal(): void { this.panel.reveal(undefined, true); }

  /** Simulates and shows the result; returns it (undefined when the scenario was unusable). */
  async run(state: PanelState): Promise<SimulationResult | undefined> {
    this.state = state;
    const path = listPaths().find(p => p.id === state.pathId);
    const title = `${state.pathId}${state.function ? ` (from ${state.function})` : ''}`;
    let result: SimulationResult | null = null, error: string | null = null;
    try { result = simulate(state.pathId, await loadScenario(state.scenario)); }
    catch (e) {
      error = e instanceof ScenarioError ? e.message : `simulation failed: ${(e as Error).message}`;
      log().error(error);
      void vscode.window.showErrorMessage(`KVM Patch Review: ${error}`);
    }
    if (result) log().info(`simulated ${title}, scenario ${state.scenario}: ${result.outcome.kind}`);
    this.panel.title = `KVM Simulation: ${state.pathId}`;
    this.view = { pathId: state.pathId, title, steps: path?.steps ?? [], scenario: state.scenario, presets: presets(), result, error };
    this.post();
    return result ?? undefined;
  }

  /** State for the serializer. */
  get saved(): PanelState { return this.state; }

  private post(): void {
    if (this.ready && this.view) void this.panel.webview.postMessage({ type: 'show', view: this.view } satisfies ToWebview);
  }
}

let current: SimulationPanel | undefined;

function adopt(panel: SimulationPanel): SimulationPanel {
  current = panel;
  panel.disposed(() => { if (current === panel) current = undefined; });
  return panel;
}

async function command(ctx: vscode.ExtensionContext, args: SimulateArgs = {}): Promise<SimulationResult | undefined> {
  let pathId = args.pathId;
  if (!pathId) {
    const pick = await vscode.window.showQuickPick(listPaths().map(p => ({ label: p.id, description: p.title, detail: p.steps.join(' → ') })), { placeHolder: 'Path to simulate' });
    if (!pick) return undefined;
    pathId = pick.label;
  }
  const panel = current ?? adopt(new SimulationPanel(
    vscode.window.createWebviewPanel(VIEW_TYPE, 'KVM Simulation', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(ctx.extensionUri)),
    ctx, { pathId, scenario: settings().defaultScenario }));
  panel.reveal();
  return panel.run({ pathId, scenario: args.scenario ?? settings().defaultScenario, function: args.function });
}

/** Registers the command and the serializer that restores panels after a reload. */
export function register(ctx: vscode.ExtensionContext): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('kvmPatchReview.simulatePath', (args?: SimulateArgs) => command(ctx, args)),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown) {
        const saved = state as PanelState | undefined;
        const panel = adopt(new SimulationPanel(webviewPanel, ctx, saved ?? { pathId: 'nested-vmentry', scenario: settings().defaultScenario }));
        await panel.run(panel.saved);
      },
    }),
  );
}
