// `npm test`: 10,000 mutation cases of the fixtures; no throw, no internal error, ranges consistent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz } from './fuzz';

void test('fuzz: 10,000 mutated patch mails parse without error', () => {
  const r = fuzz(10000, 20251121);
  assert.deepEqual(r.failures, []);
});
