// "KVM Patch Review: Simulate This Path": runs a path for a scenario — with the kernel engine on the
// tree found (platform/kernelTree.ts), else the model's checks — and shows the trace in a webview. The page is a static shell; the trace arrives as a typed message after the
// view says it is ready, and the view asks for another scenario with a typed message too. The
// command returns the simulation so scripts and tests can use it.
import * as vscode from 'vscode';
import { allChecks, answerView, compareModel, divergeEngines, divergeWith, jsonProblem, listPaths, presets, simulate, witnessesAsTests, ScenarioError } from '../../core';
import type { SimulationResult } from '../../sim';
import type { EngineDivergence } from '../../core';
import type { PatchDocument } from '../../diff/types';
import { patchOf } from '../../platform/documents';
import { kernelEngine } from '../../platform/kernelTree';
import { settings } from '../../platform/config';
import { log } from '../../platform/log';
import { webviewHtml, webviewOptions } from '../../platform/webview';
import { COMMANDS, INTERNAL_COMMANDS, type SimulateArgs } from '../../platform/commands';
import { parseFromWebview, parsePanelState, type PanelState, type SimulationView, type ToWebview } from './protocol';

export type { SimulationView } from './protocol';

const VIEW_TYPE = 'kvmPatchReview.simulation';

/** Resolves a scenario setting: a preset name, or a JSON file (absolute or workspace-relative). */
// A file's content is never quoted back in an error (only what is wrong with it), and in
// Restricted Mode no scenario file is read at all.
async function loadScenario(scenario: string): Promise<unknown> {
  if (!scenario.endsWith('.json')) return { base: scenario };
  if (!vscode.workspace.isTrusted) throw new ScenarioError(`scenario file ${scenario} not read: Restricted Mode (trust the workspace to use scenario files)`);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri = scenario.startsWith('/') || !folder ? vscode.Uri.file(scenario) : vscode.Uri.joinPath(folder, scenario);
  let text: string;
  try { text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)); }
  catch (e) { throw new ScenarioError(`cannot read scenario file ${scenario}: ${(e as { code?: string }).code ?? 'unreadable'}`); }
  try { return JSON.parse(text); } catch (e) { throw new ScenarioError(`scenario file ${scenario} is not valid JSON: ${jsonProblem(e)}`); }
}

/** The scenario with the kvmPatchReview.baseline setting, unless it names its own `baseline`. */
function withBaseline(scenario: unknown): unknown {
  if (!scenario || typeof scenario !== 'object' || Array.isArray(scenario) || 'baseline' in scenario) return scenario;
  return { ...scenario, baseline: settings().baseline };
}

/** A scenario in one line: its base and what it sets, e.g. `default + cpuid.features.LAM=true, vmcs12.HOST_CR3=0x…`. */
function describeScenario(scenario: unknown): string {
  const parts: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) for (const [k, v] of Object.entries(value)) walk(v, prefix ? `${prefix}.${k}` : k);
    // the base is named first; the baseline is in the panel's title
    else if (prefix !== 'base' && prefix !== 'baseline') parts.push(`${prefix}=${JSON.stringify(value).replace(/^"|"$/g, '')}`);
  };
  walk(scenario, '');
  const base = (scenario as { base?: string }).base ?? 'default';
  return parts.length ? `${base} + ${parts.join(', ')}` : base;
}

/** Where a model check lives in the tree (file, function), for the deciding-line links. */
const checkSource = (id: string) => {
  const c = allChecks().find(x => x.id === id);
  return c ? { file: c.source, function: c.function } : undefined;
};

/** Time budget of the search the panel leads with (the CLI's --budget). */
const PANEL_BUDGET_MS = 1500;

/** One simulation panel: owns its webview, its state and its message handling. */
class SimulationPanel {
  private state: PanelState;
  private ready = false;
  private view: SimulationView | undefined;
  /** The search from the starting scenario, per document version, path and scenario. */
  private found: { key: string; result: EngineDivergence } | undefined;

  constructor(private readonly panel: vscode.WebviewPanel, ctx: vscode.ExtensionContext, state: PanelState) {
    this.state = state;
    panel.webview.options = webviewOptions(ctx.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, ctx.extensionUri, 'KVM Simulation', '<main id="app"><p>Simulating…</p></main>', 'dist/webview/simulate.js', 'media/simulate.css');
    panel.webview.onDidReceiveMessage((received: unknown) => {
      const m = parseFromWebview(received);
      if (!m) { log().warn(`simulation view: ignored a malformed message ${JSON.stringify(received)?.slice(0, 200)}`); return; }
      if (m.type === 'ready') { this.ready = true; this.post(); }
      else if (m.type === 'scenario') void this.run({ ...this.state, scenario: m.name, custom: undefined, lead: undefined });
      else if (m.type === 'diverge') void this.diverge();
      else if (m.type === 'useDiverging') {
        const found = this.view?.divergence?.diverging[m.index];
        if (found) void this.run({ ...this.state, custom: found.scenario, lead: undefined });
      } else if (m.type === 'useWitness') {
        const w = this.found?.result.witnesses[m.index];
        if (w) void this.run({ ...this.state, custom: w.scenario, lead: undefined });
      } else if (m.type === 'openLine') void this.openLine(m.witness, m.side);
      else if (m.type === 'writeTest') void this.writeTest(m.suite);
    });
  }

  get disposed(): vscode.Event<void> { return this.panel.onDidDispose; }
  reveal(): void { this.panel.reveal(undefined, true); }

  /** Simulates and shows the result; returns it (undefined when the scenario was unusable). */
  async run(state: PanelState): Promise<SimulationResult | undefined> {
    this.state = state;
    const path = listPaths().find(p => p.id === state.pathId);
    const title = `${state.pathId}${state.function ? ` (from ${state.function})` : ''}`;
    let result: SimulationResult | null = null, patch: SimulationView['patch'] = null, answer: SimulationView['answer'] = null, error: string | null = null;
    let engine: SimulationView['engine'] = { name: 'model' };
    let shown: unknown = state.custom;
    try {
      const start = withBaseline(await loadScenario(state.scenario));
      const document = await this.patchDocument(state);
      if (document) {
        // the answer first: what the patch changes on this path, searched from the starting scenario
        const found = await this.search(state.pathId, start, document);
        const kernelTree = (await kernelEngine())?.tree;
        const applied = found.applied === 'already-applied' ? 'already-applied' as const : found.engine === 'model' && found.fallbacks.some(f => /does not apply/.test(f.reason)) ? 'does-not-apply' as const : undefined;
        answer = answerView({ pathId: state.pathId, steps: path?.steps ?? [], result: found, changes: found.changes, source: checkSource, ...(applied ? { applied } : {}), ...(kernelTree ? { treeVersion: kernelTree.version } : {}) });
        // opened from a lens: the simulation below shows the first witness, not the starting scenario
        if (state.lead && shown === undefined && found.witnesses.length) shown = found.witnesses[0].scenario;
      }
      const scenario = withBaseline(shown ?? start);
      // the kernel engine when a tree is found and it runs this path; else the model, saying why
      const kernel = await kernelEngine();
      if (kernel && kernel.canRun(state.pathId)) {
        let note: string | undefined;
        try {
          // the first preparation of a tree takes seconds: done in steps, the host stays responsive
          const stats = await kernel.ready();
          if (stats.source !== 'memory') log().info(`kernel tree prepared (${stats.source}): ${stats.filesParsed} files parsed in ${stats.ms.total} ms`);
          const ran = kernel.simulate(state.pathId, scenario);
          if (ran.incomplete) note = `the kernel engine could not finish the path (${ran.incomplete}); the model engine ran instead`;
          else { result = ran as unknown as SimulationResult; engine = { name: 'kernel', tree: ran.tree }; }
        } catch (e) {
          if (e instanceof ScenarioError) throw e;
          note = `the kernel engine could not run (${(e as Error).message}); the model engine ran instead`;
        }
        if (note) { log().warn(note); engine = { name: 'model', tree: kernel.tree, note }; }
      } else if (kernel) engine = { name: 'model', tree: kernel.tree, note: `the kernel engine does not run path ${state.pathId} yet` };
      result ??= simulate(state.pathId, scenario);
      if (engine.note) result = { ...result, warnings: [...result.warnings, engine.note] };
      if (document) {
        const cmp = engine.name === 'kernel' && kernel ? kernel.comparePatch(state.pathId, scenario, document.parsed) as unknown as ReturnType<typeof compareModel> : compareModel(state.pathId, scenario as Record<string, unknown>, document.parsed);
        patch = { ...cmp, document: document.name };
      }
    } catch (e) {
      error = e instanceof ScenarioError ? e.message : `simulation failed: ${(e as Error).message}`;
      log().error(error);
      void vscode.window.showErrorMessage(`KVM Patch Review: ${error}`);
    }
    if (result) log().info(`simulated ${title}, scenario ${state.scenario}${shown !== undefined ? ' (a witness)' : ''}: ${result.outcome.kind} (${engine.name} engine${engine.tree && engine.name === 'kernel' ? `, ${engine.tree.path} ${engine.tree.version}` : ''})`);
    this.panel.title = `KVM Simulation: ${state.pathId}${result ? ` (${result.baseline ?? engine.tree?.version ?? ''})` : ''}`;
    const scenarioLabel = shown !== undefined ? describeScenario(shown) : state.scenario;
    const preset = shown === undefined ? state.scenario : undefined;
    this.view = { pathId: state.pathId, title, steps: path?.steps ?? [], scenarioLabel, preset, presets: presets(), result, patch, answer, divergence: null, error, state, engine };
    this.post();
    return result ?? undefined;
  }

  /** The divergence search from `start`, cached per document version. */
  private async search(pathId: string, start: unknown, document: { parsed: PatchDocument; name: string; version: number; uri: string }): Promise<EngineDivergence> {
    const key = `${document.uri}@${document.version}:${pathId}:${JSON.stringify(start)}`;
    if (this.found?.key === key) return this.found.result;
    const t0 = Date.now();
    // the kernel engine on the tree when there is one (prepared in steps first: the host stays
    // responsive) and it can run the patch; else the model, and the answer says why
    let kernel = await kernelEngine();
    if (kernel) {
      try { await kernel.ready(); } catch (e) { log().warn(`kernel engine unavailable for diverge (${(e as Error).message}): the model engine searches`); kernel = null; }
    }
    const result = await divergeWith(divergeEngines(kernel), pathId, start as Record<string, unknown>, document.parsed, { maxMs: PANEL_BUDGET_MS });
    for (const f of result.fallbacks) log().info(`diverge ${pathId}: ${f.engine} engine: ${f.reason}; the ${result.engine} engine searched`);
    log().info(`diverge ${pathId} for ${document.name}: ${result.witnesses.length} witnesses from ${result.searched} scenarios${result.complete ? ' (complete)' : ''}, ${result.notSimulated} changes not simulated (${Date.now() - t0} ms)`);
    this.found = { key, result };
    return result;
  }

  /** Searches scenarios where before and after the patch differ around the shown one, and lists them. */
  async diverge(): Promise<EngineDivergence | undefined> {
    const document = await this.patchDocument(this.state);
    if (!document || !this.view) return undefined;
    const start = withBaseline(this.state.custom ?? await loadScenario(this.state.scenario));
    const found = await this.search(this.state.pathId, start, document);
    this.view = { ...this.view, divergence: { searched: found.searched, diverging: found.diverging.map(d => ({ ...d, label: describeScenario(d.scenario) })) } };
    this.post();
    return found;
  }

  /** Opens the deciding line of one side of a witness: the tree's file when a tree is set, else the patch mail's line. */
  private async openLine(index: number, side: 'before' | 'after'): Promise<void> {
    const link = this.view?.answer?.witnesses[index]?.[side].deciding;
    if (!link) return;
    const tree = settings().treePath;
    if (tree && (link.tree || link.treeFunction)) {
      const file = vscode.Uri.file(`${tree.replace(/\/+$/, '')}/${link.tree?.file ?? link.treeFunction!.file}`);
      try {
        const doc = await vscode.workspace.openTextDocument(file);
        let line = (link.tree?.line ?? 1) - 1;
        if (!link.tree && link.treeFunction) {
          const re = new RegExp(`^\\w[\\w\\s*]*\\b${link.treeFunction.function}\\s*\\(`);
          for (let i = 0; i < doc.lineCount; i++) if (re.test(doc.lineAt(i).text)) { line = i; break; }
        }
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(line, 0, line, 0) });
        return;
      } catch (e) { log().warn(`cannot open ${file.fsPath}: ${(e as Error).message}; showing the patch line`); }
    }
    if (link.mailLine !== undefined && this.state.uri) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(this.state.uri));
      const line = Math.max(0, link.mailLine - 1);
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(line, 0, line, 0) });
    } else void vscode.window.showInformationMessage(`KVM Patch Review: ${link.label} (no tree set in kvmPatchReview.tree to open it in)`);
  }

  /** Writes the witnesses as tests of `suite` and opens them in a new editor. */
  async writeTest(suite: 'kvm-unit-tests' | 'selftest'): Promise<vscode.TextDocument | undefined> {
    const found = this.found?.result;
    if (!found) return undefined;
    const doc = await vscode.workspace.openTextDocument({ language: 'c', content: witnessesAsTests(suite, this.state.pathId, found.witnesses) });
    await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    log().info(`wrote ${found.witnesses.length} witnesses of ${this.state.pathId} as ${suite} tests`);
    return doc;
  }

  private async patchDocument(state: PanelState) {
    if (!state.uri) return undefined;
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(state.uri));
    const parsed = patchOf(document);
    return parsed && { parsed, name: vscode.workspace.asRelativePath(document.uri), version: document.version, uri: document.uri.toString() };
  }

  /** What the panel shows now (for tests). */
  get currentView(): SimulationView | undefined { return this.view; }

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
  // from a lens (a patch document, no scenario asked for): lead with the first witness
  const lead = args.uri !== undefined && args.scenario === undefined ? true : undefined;
  return panel.run({ pathId, scenario: args.scenario ?? settings().defaultScenario, function: args.function, uri: args.uri, ...(lead ? { lead } : {}) });
}

/** Registers the command and the serializer that restores panels after a reload. */
export function register(ctx: vscode.ExtensionContext): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMANDS.simulatePath, (args?: SimulateArgs) => command(ctx, args)),
    // the panel's "Find scenarios where the patch changes the outcome", also for scripts and tests
    vscode.commands.registerCommand(INTERNAL_COMMANDS.diverge, () => current?.diverge()),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.simulationView, () => current?.currentView),
    vscode.commands.registerCommand(INTERNAL_COMMANDS.writeTest, (suite?: 'kvm-unit-tests' | 'selftest') => current?.writeTest(suite ?? 'kvm-unit-tests')),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown) {
        const saved = parsePanelState(state);
        if (state !== undefined && !saved) log().warn('simulation panel: ignored an unreadable saved state');
        const panel = adopt(new SimulationPanel(webviewPanel, ctx, saved ?? { pathId: 'nested-vmentry', scenario: settings().defaultScenario }));
        await panel.run(panel.saved);
      },
    }),
  );
}
