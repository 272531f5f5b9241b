// Golden explain outputs: input query file + expected JSON (name, kind, value, decoded of every
// reading, in order) in test/fixtures/explain, one row per case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { explain } from '../../../src/explain';

const DIR = path.resolve(__dirname, '../../fixtures/explain');

const CASES = [
  'vmcs-encoding-padded', 'msr-index', 'sdm-hex', 'exit-reason-failed-entry', 'cr0-value', 'bit-ull-62', 'shift-61-cr3', 'vmfailvalid-8',
  'host-cr3-member', 'function-load-cr3', 'control-bit-load-efer', 'macro-possible-cr0', 'request-get-nested-state-pages', 'ioctl-set-nested-state',
  'state-flag-evmcs', 'module-param-ept', 'struct-page-role', 'field-cr3-ctrl-bits', 'unnamed-encoding', 'genmask-pt-base', 'short-name-load-efer',
];

for (const id of CASES) {
  void test(`explain golden: ${id}`, () => {
    const query = fs.readFileSync(path.join(DIR, `${id}.query.txt`), 'utf8').trim();
    const expected = JSON.parse(fs.readFileSync(path.join(DIR, `${id}.expected.json`), 'utf8')) as unknown[];
    const actual = explain(query).map(e => ({ name: e.name, kind: e.kind, ...(e.value !== undefined ? { value: e.value } : {}), ...(e.decoded ? { decoded: e.decoded } : {}) }));
    assert.deepEqual(actual, expected);
  });
}

void test('every fixture in the folder has a row in the table', () => {
  const ids = fs.readdirSync(DIR).filter(f => f.endsWith('.query.txt')).map(f => f.replace(/\.query\.txt$/, '')).sort();
  assert.deepEqual(ids, [...CASES].sort());
});

void test('every explanation has the contract fields with the right types', () => {
  for (const id of CASES) {
    const query = fs.readFileSync(path.join(DIR, `${id}.query.txt`), 'utf8').trim();
    for (const r of explain(query)) {
      for (const k of ['name', 'kind', 'summary', 'details', 'sdm'] as const) assert.equal(typeof r[k], 'string', `${id}: ${k}`);
      assert.ok(Array.isArray(r.kernelFiles) && Array.isArray(r.related), id);
      if (r.value !== undefined) assert.match(r.value, /^0x[0-9A-F]+$/, `${id}: value is a hex string`);
    }
  }
});
