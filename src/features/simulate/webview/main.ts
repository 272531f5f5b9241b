// Simulation view (runs in the webview, bundled by scripts/build.mjs to dist/webview/simulate.js).
// Renders what the extension sends ({type:'show', view}) with textContent only (never innerHTML
// of data), saves the view's state (the scenario itself and the patch document, for a reload),
// and asks for another scenario with {type:'scenario', name}. Messages: ../protocol.ts.
import { parseToWebview, type FromWebview, type PanelState, type SimulationView } from '../protocol';
import type { AnswerView, WitnessView, DiagramBox } from '../../../review/answerView';

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
    lastView = view;
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
    if (view.answer) parts.push(answerSection(view.answer));
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

  const SVG = 'http://www.w3.org/2000/svg';
  function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** The path as boxes in call order, wrapped in rows; the function whose check fails is red (before, after or both). */
  function diagram(boxes: DiagramBox[]): SVGElement {
    const w = 188, h = 40, gap = 22, perRow = 4;
    const rows = Math.ceil(boxes.length / perRow);
    const W = perRow * (w + gap), H = rows * (h + gap) + 4;
    const root = svg('svg', { id: 'diagram', class: 'diagram', viewBox: `0 0 ${W} ${H}`, width: '100%', preserveAspectRatio: 'xMinYMin meet', role: 'img', 'aria-label': 'the path' });
    boxes.forEach((b, i) => {
      const x = (i % perRow) * (w + gap) + 2, y = Math.floor(i / perRow) * (h + gap) + 2;
      const cls = ['box', b.failed.length ? 'failed' : '', b.touched ? 'touched' : ''].filter(Boolean).join(' ');
      const g = svg('g', { class: cls, 'data-function': b.function });
      g.append(svg('rect', { x, y, width: w, height: h, rx: 5 }));
      const name = b.function.length > 26 ? `${b.function.slice(0, 25)}…` : b.function;
      g.append(svg('text', { x: x + 8, y: y + 16, class: 'fn' }, name));
      const note = [b.checks ? `${b.checks} step${b.checks === 1 ? '' : 's'}` : '', b.failed.length ? `fails ${b.failed.join(' & ')}` : '', b.touched ? 'patched' : ''].filter(Boolean).join(' · ');
      g.append(svg('text', { x: x + 8, y: y + 32, class: 'note' }, note));
      const title = svg('title', {}, b.function);
      g.append(title);
      root.append(g);
      if (i + 1 < boxes.length) {
        const sameRow = (i + 1) % perRow !== 0;
        if (sameRow) root.append(svg('line', { x1: x + w, y1: y + h / 2, x2: x + w + gap, y2: y + h / 2, class: 'edge' }));
        else root.append(svg('path', { d: `M ${x + w / 2} ${y + h} L ${x + w / 2} ${y + h + gap / 2} L ${w / 2 + 2} ${y + h + gap / 2} L ${w / 2 + 2} ${y + h + gap}`, class: 'edge', fill: 'none' }));
      }
    });
    return root;
  }

  let shownWitness = 0;
  function sideCard(w: WitnessView, index: number, side: 'before' | 'after'): HTMLElement {
    const s = w[side];
    const link = s.deciding
      ? el('a', { href: '#', id: `decide-${side}`, title: s.deciding.tree ? `${s.deciding.tree.file}:${s.deciding.tree.line}` : s.deciding.mailLine ? `patch line ${s.deciding.mailLine}` : s.deciding.label,
        on: { click: e => { e.preventDefault(); vscode.postMessage({ type: 'openLine', witness: index, side }); } } }, s.deciding.label)
      : el('span', { class: 'model' }, 'no check fails');
    return el('div', { class: `side ${side}`, id: `answer-${side}` },
      el('div', { class: 'side-title' }, side === 'before' ? 'Before the patch' : 'After the patch', el('span', { class: 'engine' }, ` (${s.engine} engine)`)),
      el('div', { class: 'side-outcome' }, el('strong', {}, s.kind), s.text.replace(/^[\w-]+,?\s*/, ' ')),
      ...s.warnings.map(x => el('div', { class: 'warning' }, x)),
      el('div', { class: 'decides' }, 'decided at ', link));
  }

  function answerSection(a: AnswerView): HTMLElement {
    const box = el('section', { class: `answer ${a.status}`, id: 'answer' },
      el('h2', { id: 'answer-headline' }, a.headline),
      el('p', { class: 'searched', id: 'answer-searched' }, a.searched));
    if (a.notSimulated.count) {
      box.append(el('details', { class: 'unsimulated', id: 'not-simulated' },
        el('summary', {}, `${a.notSimulated.count} change${a.notSimulated.count === 1 ? '' : 's'} could not be simulated`),
        el('ul', {}, ...a.notSimulated.items.map(i => el('li', {}, `patch line ${i.line}: ${i.reason}`)))));
    }
    if (!a.witnesses.length) return box;
    if (shownWitness >= a.witnesses.length) shownWitness = 0;
    const w = a.witnesses[shownWitness];
    box.append(
      el('p', { class: 'witness-label', id: 'witness-label' }, `Witness ${shownWitness + 1} of ${a.witnesses.length}: `, el('code', {}, w.label),
        ` (${w.count} diverging scenario${w.count === 1 ? '' : 's'} like it) `,
        el('a', { href: '#', id: 'use-witness', on: { click: e => { e.preventDefault(); vscode.postMessage({ type: 'useWitness', index: shownWitness }); } } }, 'simulate it below')),
      el('div', { class: 'sides-grid' }, sideCard(w, shownWitness, 'before'), sideCard(w, shownWitness, 'after')),
      diagram(w.diagram));
    const rows = w.rows.map(r => el('tr', { class: [r.differs ? 'differs' : '', r.touched ? 'touched' : ''].filter(Boolean).join(' ') },
      el('td', {}, r.function), el('td', {}, r.check, r.touched ? el('span', { class: 'tag' }, ' patched') : null),
      el('td', { class: `res ${r.before?.result ?? 'none'}` }, r.before?.result ?? '—'), el('td', { class: `res ${r.after?.result ?? 'none'}` }, r.after?.result ?? '—'),
      el('td', { class: 'values' }, r.differs && r.before && r.after && r.before.values !== r.after.values ? `${r.before.values} → ${r.after.values}` : (r.after ?? r.before)?.values ?? '')));
    const differing = w.rows.filter(r => r.differs).length;
    box.append(el('details', { class: 'aligned', id: 'aligned', open: '' },
      el('summary', {}, `The two traces aligned: ${w.rows.length} rows, ${differing} differ`),
      el('table', { id: 'aligned-trace' }, el('thead', {}, el('tr', {}, ...['function', 'check', 'before', 'after', 'values read'].map(h => el('th', {}, h)))), el('tbody', {}, ...rows))));
    const buttons = el('p', { class: 'actions' },
      el('button', { id: 'write-kut', on: { click: () => vscode.postMessage({ type: 'writeTest', suite: 'kvm-unit-tests' }) } }, 'Write as test: kvm-unit-tests'), ' ',
      el('button', { id: 'write-selftest', on: { click: () => vscode.postMessage({ type: 'writeTest', suite: 'selftest' }) } }, 'Write as test: selftest'));
    box.append(buttons);
    if (a.witnesses.length > 1) {
      box.append(el('ol', { class: 'witnesses' }, ...a.witnesses.map((x, i) => el('li', { class: i === shownWitness ? 'shown' : '' },
        el('a', { href: '#', on: { click: e => { e.preventDefault(); shownWitness = i; if (lastView) render(lastView); } } }, x.label),
        ` — ${x.before.kind} → ${x.after.kind} (${x.count})`))));
    }
    return box;
  }

  let lastView: SimulationView | undefined;
  window.addEventListener('message', (e: MessageEvent) => {
    const m = parseToWebview(e.data);
    if (m) render(m.view);
    else console.warn('KVM simulation view: ignored a malformed message');
  });
  vscode.postMessage({ type: 'ready' });
})();
