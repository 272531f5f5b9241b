// The simulation panel's protocol, imported by the host (panel.ts) and the webview (webview/main.ts):
// the messages both ways and the state the webview saves for a reload. Everything received crosses
// a trust boundary (a webview can post anything), so each direction has a parser that returns
// undefined for an unknown or malformed message; the receiver ignores it and logs one line.
// Types only from the core (erased): this module is bundled into the webview too.
import type { SimulationResult } from '../../sim';
import type { ModelComparison } from '../../review/modelDiverge';
import type { ScenarioJson, SideRun } from '../../review/divergeTypes';
import type { AnswerView } from '../../review/answerView';

/** What the view shows. */
export interface SimulationView {
  pathId: string;
  title: string;
  steps: string[];
  /** The scenario in words: a preset name, or a preset plus what the scenario sets. */
  scenarioLabel: string;
  /** The preset selected in the scenario list (undefined for a scenario given as JSON). */
  preset?: string;
  presets: { name: string; summary: string }[];
  result: SimulationResult | null;
  /** Before/after the patch the simulation was started from (a lens in a patch document). */
  patch: (ModelComparison & { document: string }) | null;
  /** What the patch changes on this path, found from the starting scenario (the panel leads with it). */
  answer: AnswerView | null;
  /** Scenarios near this one where before and after differ, once asked for. */
  divergence: { searched: number; diverging: { scenario: ScenarioJson; before: SideRun; after: SideRun; label: string }[] } | null;
  error: string | null;
  /** What the webview saves so that a reload restores this same simulation. */
  state: PanelState;
  /** Which engine produced the result, on which tree, and why the model ran when a tree was there. */
  engine?: { name: 'kernel' | 'model'; tree?: { path: string; version: string }; note?: string };
}

/**
 * A panel's simulation as the webview saves it (vscode.setState) and the serializer restores it:
 * the scenario itself (never its display label) and the patch document's URI.
 */
export interface PanelState {
  pathId: string;
  /** Preset name or scenario JSON file. */
  scenario: string;
  /** A scenario given as JSON (e.g. picked from the diverging list); wins over `scenario`. */
  custom?: unknown;
  function?: string;
  /** The patch document the simulation came from. */
  uri?: string;
  /** Opened from a lens: show the first witness's scenario (not the starting one) when the patch changes the outcome. */
  lead?: boolean;
}

/** The suites a witness can be written for (review/asTest.ts). */
export type TestSuiteName = 'kvm-unit-tests' | 'selftest';

/** Messages the extension sends to the webview. */
export type ToWebview = { type: 'show'; view: SimulationView };
/** Messages the webview sends to the extension. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'scenario'; name: string }
  | { type: 'diverge' }
  | { type: 'useDiverging'; index: number }
  /** Open the deciding line of one side of a witness (the tree's file, else the hunk line in the mail). */
  | { type: 'openLine'; witness: number; side: 'before' | 'after' }
  /** Write the witnesses as tests in a new editor. */
  | { type: 'writeTest'; suite: TestSuiteName }
  /** Simulate a witness's scenario. */
  | { type: 'useWitness'; index: number };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_NAME = 4096;

/** A message from the webview, or undefined when it is not one of FromWebview. */
export function parseFromWebview(m: unknown): FromWebview | undefined {
  if (!isObject(m)) return undefined;
  switch (m.type) {
    case 'ready': case 'diverge': return { type: m.type };
    case 'scenario': return typeof m.name === 'string' && m.name.length > 0 && m.name.length <= MAX_NAME ? { type: 'scenario', name: m.name } : undefined;
    case 'useDiverging': case 'useWitness': return Number.isSafeInteger(m.index) && (m.index as number) >= 0 ? { type: m.type, index: m.index as number } : undefined;
    case 'openLine': return Number.isSafeInteger(m.witness) && (m.witness as number) >= 0 && (m.side === 'before' || m.side === 'after') ? { type: 'openLine', witness: m.witness as number, side: m.side } : undefined;
    case 'writeTest': return m.suite === 'kvm-unit-tests' || m.suite === 'selftest' ? { type: 'writeTest', suite: m.suite } : undefined;
    default: return undefined;
  }
}

/** Saved panel state, or undefined when `s` is not one (an old or foreign state). */
export function parsePanelState(s: unknown): PanelState | undefined {
  if (!isObject(s) || typeof s.pathId !== 'string' || typeof s.scenario !== 'string') return undefined;
  if (s.function !== undefined && typeof s.function !== 'string') return undefined;
  if (s.uri !== undefined && typeof s.uri !== 'string') return undefined;
  const state: PanelState = { pathId: s.pathId, scenario: s.scenario };
  if (s.custom !== undefined) state.custom = s.custom;
  if (s.function !== undefined) state.function = s.function as string;
  if (s.uri !== undefined) state.uri = s.uri as string;
  if (s.lead === true) state.lead = true;
  return state;
}

/** A message from the extension, or undefined when it is not one of ToWebview. */
export function parseToWebview(m: unknown): ToWebview | undefined {
  if (!isObject(m) || m.type !== 'show' || !isObject(m.view)) return undefined;
  const v = m.view;
  const ok = typeof v.pathId === 'string' && typeof v.title === 'string' && typeof v.scenarioLabel === 'string' && Array.isArray(v.steps) && Array.isArray(v.presets)
    && (v.result === null || isObject(v.result)) && (v.patch === null || isObject(v.patch)) && (v.divergence === null || isObject(v.divergence)) && (v.answer === undefined || v.answer === null || isObject(v.answer))
    && (v.error === null || typeof v.error === 'string') && parsePanelState(v.state) !== undefined;
  return ok ? { type: 'show', view: v as unknown as SimulationView } : undefined;
}
