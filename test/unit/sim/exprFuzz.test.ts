// The interpreter fuzzed: 10,000 random expressions and macro bodies raise nothing but ExprError,
// and none takes long (`npm run fuzz` runs 100,000).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzExpressions } from './exprFuzz';

void test('10,000 random expressions and macro bodies: a value or an ExprError, nothing else, none slow', () => {
  const r = fuzzExpressions(10_000, 7);
  assert.deepEqual(r.failures.slice(0, 5), []);
  assert.ok(r.exprErrors > 100 && r.exprErrors < r.cases, `${r.exprErrors} ExprErrors of ${r.cases}: the generator reaches both outcomes`);
  assert.ok(r.slowestMs < 500, `slowest ${r.slowestMs.toFixed(1)} ms for ${r.slowestInput}`);
});
