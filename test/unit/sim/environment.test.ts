// The evaluation environment is an object bound per evaluation (src/sim/env.ts Environment), so
// two simulations whose runners interleave each read their own scenario.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { machine } from '../../../src/sim/env';
import { Runner } from '../../../src/sim/run';
import { resolveScenario } from '../../../src/sim/scenario';
import { CHECK_PATHS } from '../../../src/sim/paths';
import { simulate } from '../../../src/sim';

test('interleaved runners read their own scenarios (the environment is re-entered, not re-pointed)', () => {
  const good = { base: 'default' }, bad = { base: 'default', vmcs12: { HOST_CR3: '0x0010000000001000' } };
  const path = CHECK_PATHS.find(p => p.id === 'nested-vmentry')!;
  const first = new Runner(machine(resolveScenario(good)), {});
  const second = new Runner(machine(resolveScenario(bad)), {});
  const outcomeSecond = path.run(second).outcome;
  const outcomeFirst = path.run(first).outcome;
  assert.deepEqual(outcomeFirst, simulate('nested-vmentry', good).outcome);
  assert.deepEqual(outcomeSecond, simulate('nested-vmentry', bad).outcome);
  assert.notDeepEqual(outcomeFirst, outcomeSecond);
});
