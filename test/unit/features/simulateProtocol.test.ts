// The simulation panel's protocol (src/features/simulate/protocol.ts): what either side receives is
// parsed, and anything unknown or malformed is refused (the receiver ignores it and logs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFromWebview, parsePanelState, parseToWebview, type PanelState, type SimulationView } from '../../../src/features/simulate/protocol';

test('messages from the webview: the four kinds pass, anything else is refused', () => {
  for (const m of [{ type: 'ready' }, { type: 'diverge' }, { type: 'scenario', name: 'guest-toggles-wp' }, { type: 'useDiverging', index: 3 }]) assert.deepEqual(parseFromWebview(m), m);
  assert.deepEqual(parseFromWebview({ type: 'ready', extra: 1 }), { type: 'ready' });
  for (const bad of [null, 'ready', [], {}, { type: 'run' }, { type: 'scenario' }, { type: 'scenario', name: '' }, { type: 'scenario', name: 7 },
    { type: 'scenario', name: 'x'.repeat(5000) }, { type: 'useDiverging', index: -1 }, { type: 'useDiverging', index: 1.5 }, { type: 'useDiverging', index: '2' }, { type: '__proto__' }]) {
    assert.equal(parseFromWebview(bad), undefined, JSON.stringify(bad));
  }
});

test('saved state keeps the scenario object and the document URI (a restored panel is the same panel)', () => {
  const state: PanelState = { pathId: 'nested-vmentry', scenario: 'default', custom: { base: 'default', vmcs12: { HOST_CR3: '0x4000000000001000' } }, function: 'nested_vmx_check_host_state', uri: 'file:///tmp/a.patch' };
  assert.deepEqual(parsePanelState(JSON.parse(JSON.stringify(state))), state);
  assert.deepEqual(parsePanelState({ pathId: 'cr0-write', scenario: 'default' }), { pathId: 'cr0-write', scenario: 'default' });
  for (const bad of [undefined, null, { pathId: 'cr0-write' }, { scenario: 'default' }, { pathId: 1, scenario: 'default' }, { pathId: 'x', scenario: 'y', uri: 3 }]) {
    assert.equal(parsePanelState(bad), undefined, JSON.stringify(bad));
  }
});

test('messages to the webview: a show with a whole view passes, a partial one is refused', () => {
  const view: SimulationView = { pathId: 'cr0-write', title: 'cr0-write', steps: ['handle_cr'], scenarioLabel: 'default', preset: 'default', presets: [], result: null, patch: null,
    divergence: null, error: null, state: { pathId: 'cr0-write', scenario: 'default' } };
  assert.deepEqual(parseToWebview({ type: 'show', view }), { type: 'show', view });
  for (const bad of [{ type: 'show' }, { type: 'hide', view }, { type: 'show', view: { ...view, state: { pathId: 'x' } } }, { type: 'show', view: { ...view, steps: 'a' } }]) {
    assert.equal(parseToWebview(bad), undefined, JSON.stringify(bad));
  }
});
