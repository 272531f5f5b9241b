// Golden traces: scenario file + expected JSON (the exact `kvm-review simulate --json` object) per
// row, so a change in check order, values read or results shows up in review. Regenerate after a
// deliberate change with KVM_REVIEW_UPDATE_GOLDEN=1 and review the diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { simulate } from '../../../src/sim';

const DIR = path.resolve(__dirname, '../../fixtures/sim');
const GOLDEN: [scenario: string, path: string][] = [
  ['default', 'nested-vmentry'],
  ['default', 'module-load'],
  ['lam-host-cr3-no-lam', 'nested-vmentry'],
  ['guest-efer-lma', 'nested-vmentry'],
  ['inconsistent-pair', 'module-load'],
  ['cr0-wp-shadow-paging', 'cr0-write'],
  ['evmcs-restore', 'set-nested-state'],
];

for (const [name, pathId] of GOLDEN) {
  void test(`golden ${name} on ${pathId}`, () => {
    const scenario = JSON.parse(fs.readFileSync(path.join(DIR, `${name}.scenario.json`), 'utf8')) as unknown;
    const actual = JSON.parse(JSON.stringify(simulate(pathId, scenario))) as unknown;
    const file = path.join(DIR, `${name}.${pathId}.expected.json`);
    if (process.env.KVM_REVIEW_UPDATE_GOLDEN === '1') fs.writeFileSync(file, JSON.stringify(actual, null, 2) + '\n');
    assert.deepEqual(actual, JSON.parse(fs.readFileSync(file, 'utf8')));
  });
}
