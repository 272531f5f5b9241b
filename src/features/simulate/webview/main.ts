// Simulation view (runs in the webview, bundled by scripts/build.mjs to dist/webview/simulate.js).
// Renders what the extension sends ({type:'show', view}) with textContent only (never innerHTML
// of data), saves the view's state (the scenario itself and the patch document, for a reload),
// and asks for another scenario with {type:'scenario', name}. Messages: ../protocol.ts.
import { parseToWebview, type FromWebview, type PanelState, type SimulationView } from '../protocol';

interface VsCodeApi { postMessage(message: FromWebview): void; setState(state: PanelState): void }
declare function acquireVsCodeApi(): VsCodeApi;

(function () {
  const vscode = acquireVsCodeApi();
  const app = document.getElementById('app')!;

  type Child = Node | string | number | null | undefined;
  type Attrs = { on?: Record<string, (e: Event) => void>; [attribute: string]: unknown };
  function el(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'class') e.className = String(v);
      else if (k === 'on') for (const [ev, f] of Object.entries(v as Record<string, (e: Event) => void>)) e.addEventListener(ev, f);
      else e.setAttribute(k, String(v));
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  type Outcome = NonNullable<SimulationView['result']>['outcome'];
  function outcomeText(o: Outcome): string {
    const fields = Object.entries(o).filter(([k]) => k !== 'kind' && k !== 'vmcsConfig').map(([k, v]) => `${k} ${String(v)}`);
    return fields.length ? ` (${fields.join(', ')})` : '';
  }

  function render(view: SimulationView): void {
    vscode.setState(view.state);
    const select = el('select', { id: 'scenario', on: { change: e => vscode.postMessage({ type: 'scenario', name: (e.target as HTMLSelectElement).value }) } });
    if (view.preset === undefined || !view.presets.some(p => p.name === view.preset)) {
      const o = el('option', { value: '' }, view.scenarioLabel) as HTMLOptionElement;
      o.selected = true;
      o.disabled = view.preset === undefined;
      select.append(o);
    }
    for (const p of view.presets) {
      const o = el('option', { value: p.name, title: p.summary }, p.name) as HTMLOptionElement;
      if (p.name === view.preset) o.selected = true;
      select.append(o);
    }
    const r = view.result;
    const parts: HTMLElement[] = [
      el('h1', {}, `Simulation: ${view.title}`),
      el('p', { class: 'engine', id: 'engine' }, view.engine?.name === 'kernel' && view.engine.tree
        ? `Kernel engine: the tree's own code, ${view.engine.tree.version} at ${view.engine.tree.path}`
        : `Model engine: the model's check tables (Linux v6.12)${view.engine?.note ? ` — ${view.engine.note}` : ''}`),
      el('p', { class: 'path' }, view.steps.join(' → ')),
      el('p', {}, el('label', { for: 'scenario' }, 'Scenario: '), select),
    ];
    if (view.error) parts.push(el('p', { class: 'failed' }, view.error));
    if (view.patch) parts.push(patchSection(view.patch, view.divergence));
    if (r) {
      parts.push(el('p', { class: 'outcome', id: 'outcome' }, 'Outcome: ', el('strong', {}, r.outcome.kind), outcomeText(r.outcome),
        el('span', { class: 'model' }, view.patch && view.engine?.name !== 'kernel' ? ' (the model, Linux v6.12)' : '')));
      if (r.failedCheck) parts.push(el('p', { class: 'failed' }, 'Failed check ', el('code', {}, r.failedCheck.id), ' in ', el('code', {}, r.failedCheck.function), ': ',
        el('code', {}, r.failedCheck.condition), r.failedCheck.sdm ? ` — ${r.failedCheck.sdm}` : ''));
      for (const w of r.warnings) parts.push(el('p', { class: 'warning' }, w));
      const config = r.outcome.vmcsConfig as Record<string, unknown> | undefined;
      if (config) parts.push(el('pre', { class: 'config' }, Object.entries(config).map(([k, v]) => `${k} = ${String(v)}`).join('\n')));
      const rows = r.trace.map(t => el('tr', { class: t.result }, el('td', { class: 'result' }, t.result), el('td', {}, t.function), el('td', {}, t.check),
        el('td', { class: 'values' }, Object.entries(t.values).map(([k, v]) => `${k}=${v}`).join('\n'))));
      parts.push(el('table', { id: 'trace' }, el('thead', {}, el('tr', {}, ...['result', 'function', 'check', 'values read'].map(h => el('th', {}, h)))), el('tbody', {}, ...rows)));
    }
    app.replaceChildren(...parts);
  }

  type Side = NonNullable<SimulationView['patch']>['before'];
  function sideText(side: Side): string {
    return side.outcome.kind + outcomeText(side.outcome) + (side.failedCheck ? ` — fails ${side.failedCheck.id} in ${side.failedCheck.function}` : '');
  }

  function patchSection(patch: NonNullable<SimulationView['patch']>, divergence: SimulationView['divergence']): HTMLElement {
    const box = el('section', { class: 'patch', id: 'patch' },
      el('h2', {}, `Before and after ${patch.document}`),
      el('p', { class: patch.differs ? 'differs' : 'same' }, patch.differs ? 'The patch changes the outcome of this scenario.' : 'Same outcome before and after the patch for this scenario.'),
      el('table', { class: 'sides' }, el('tbody', {},
        el('tr', {}, el('th', {}, 'before'), el('td', { id: 'before' }, sideText(patch.before))),
        el('tr', {}, el('th', {}, 'after'), el('td', { id: 'after' }, sideText(patch.after))))));
    const checks = patch.changedChecks.map(c => el('li', { class: c.check || c.define ? 'mapped' : 'unmapped' },
      c.check ? el('code', {}, c.check) : c.define ? el('code', {}, `#define ${c.define}`) : el('em', {}, 'not mapped'), ` (line ${c.sourceLine}): `,
      el('code', {}, c.before ?? '(none)'), ' → ', el('code', {}, c.after ?? '(none)'), c.reason ? ` — ${c.reason}` : ''));
    box.append(el('p', {}, checks.length ? 'Checks the patch touches:' : 'The patch touches no modeled check of this path.'), el('ul', {}, ...checks));
    if (patch.changedChecks.some(c => c.check || c.define)) {
      box.append(el('button', { id: 'diverge', on: { click: () => vscode.postMessage({ type: 'diverge' }) } }, 'Find scenarios where the patch changes the outcome'));
    }
    if (divergence) {
      box.append(el('p', { id: 'divergence' }, `Searched ${divergence.searched} scenarios around this one: ${divergence.diverging.length} differ${divergence.diverging.length ? ' (click one to simulate it)' : ''}.`));
      box.append(el('ol', { class: 'diverging' }, ...divergence.diverging.map((d, i) => {
        return el('li', {}, el('a', { href: '#', on: { click: e => { e.preventDefault(); vscode.postMessage({ type: 'useDiverging', index: i }); } } },
          d.label), ` — before ${sideText(d.before)}; after ${sideText(d.after)}`);
      })));
    }
    return box;
  }

  window.addEventListener('message', (e: MessageEvent) => {
    const m = parseToWebview(e.data);
    if (m) render(m.view);
    else console.warn('KVM simulation view: ignored a malformed message');
  });
  vscode.postMessage({ type: 'ready' });
})();
