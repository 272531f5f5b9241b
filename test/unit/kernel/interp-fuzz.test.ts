// 10,000 random expressions through the kernel interpreter (interpfuzz.ts): every run ends in a
// value of its type or an InterpError with a one-line reason, never another exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzzInterp } from './interpfuzz';

test('interp fuzz: 10,000 random expressions give a value or an InterpError', () => {
  const r = fuzzInterp(10_000, 7);
  assert.equal(r.cases, 10_000);
  assert.deepEqual(r.failures.slice(0, 5), []);
  // both outcomes occur (the generator is not degenerate)
  assert.ok(r.values > 1000, `values ${r.values}`);
  assert.ok(r.errors > 1000, `errors ${r.errors}`);
});
