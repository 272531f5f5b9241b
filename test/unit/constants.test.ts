import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CONSTANT_ROWS } from '../../src/knowledge/constants';

const TSV = path.resolve(__dirname, '../../../shared/reference/constants.tsv');

test('every row of the reference constants table is in the model with the same kind and value', t => {
  if (!fs.existsSync(TSV)) { t.skip(`${TSV} absent`); return; }
  const rows = fs.readFileSync(TSV, 'utf8').trim().split('\n').slice(1).map(l => l.split('\t'));
  const model = new Map(CONSTANT_ROWS.map(r => [r[0], r]));
  assert.equal(rows.length, 632);
  for (const [name, kind, value] of rows) {
    const m = model.get(name);
    assert.ok(m, `${name} missing from the model`);
    assert.equal(m[1], kind, `${name} kind`);
    assert.equal(BigInt(m[2]), BigInt(value), `${name} value`);
  }
});
