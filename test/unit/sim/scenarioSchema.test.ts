// The scenario schema is the one list of scenario keys: the parser refuses what it does not list,
// and docs/scenario.md's key table is generated from it (stale doc: this test fails; rewrite it
// with `node --import tsx scripts/scenario-doc.ts`).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { SCENARIO_SCHEMA, scenarioDocTable } from '../../../src/sim/scenarioSchema';
import { simulate, ScenarioError } from '../../../src/sim';

test('docs/scenario.md lists the keys of the schema (generated table, not stale)', () => {
  const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../../docs/scenario.md'), 'utf8');
  assert.equal(doc.slice(doc.indexOf('| key |')), scenarioDocTable());
});

test('every listed key of every section is accepted, and a key not listed is refused naming the closest', () => {
  for (const s of SCENARIO_SCHEMA) {
    const keys = s.keys;
    if (!keys) continue;
    for (const key of keys) {
      try { simulate('nested-vmentry', { base: 'default', [s.section]: { [key]: undefined } }); }
      catch (e) { assert.ok(!(e instanceof ScenarioError) || !/unknown key/.test((e as Error).message), `${s.section}.${key}: ${(e as Error).message}`); }
    }
    assert.throws(() => simulate('nested-vmentry', { base: 'default', [s.section]: { [keys[0] + 'x']: 1 } }),
      (e: Error) => e instanceof ScenarioError && e.message.includes(`unknown key "${keys[0]}x" in ${s.section}`));
  }
  assert.throws(() => simulate('nested-vmentry', { base: 'default', vmcs13: {} }), /unknown key "vmcs13" in scenario; closest valid names: vmcs12/);
});
