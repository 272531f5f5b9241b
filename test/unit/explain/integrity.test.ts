// Integrity of the model's tables: every name a table points at resolves, every field has its
// struct, every function has a file and a source, every path id is one of the six.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explain } from '../../../src/explain';
import { FUNCTIONS } from '../../../src/knowledge/functions';
import { SYMBOLS } from '../../../src/knowledge/symbols';
import { modelIndex } from '../../../src/explain/entities';

const PATH_IDS = new Set(['nested-vmentry', 'nested-vmexit', 'set-nested-state', 'module-load', 'cr0-write', 'cr3-write']);

void test('callers, callees and related names of functions all resolve', () => {
  const dangling: string[] = [];
  for (const f of FUNCTIONS) {
    for (const n of [...(f.callers ?? []), ...(f.callees ?? []), ...f.related]) if (!explain(n).length) dangling.push(`${f.name} → ${n}`);
  }
  assert.deepEqual(dangling, []);
});

void test('related names of every entity resolve', () => {
  const dangling: string[] = [];
  for (const e of modelIndex().entities) for (const n of e.related) if (!explain(n).length) dangling.push(`${e.name} → ${n}`);
  assert.deepEqual(dangling, []);
});

void test('every struct field belongs to a struct the model knows', () => {
  const parents = new Set(SYMBOLS.filter(s => s.parent).map(s => s.parent!));
  for (const p of parents) assert.ok(explain(p).some(e => e.kind === 'struct'), p);
});

void test('functions have a file, a source, a one-line summary and known path ids', () => {
  const names = new Set<string>();
  for (const f of FUNCTIONS) {
    assert.ok(!names.has(f.name), `${f.name} listed twice`);
    names.add(f.name);
    assert.match(f.file, /^(arch|include|virt)\//, f.name);
    assert.ok(f.source, f.name);
    assert.ok(f.summary.length > 15 && !f.summary.includes('\n'), f.name);
    for (const p of f.paths) assert.ok(PATH_IDS.has(p), `${f.name}: path ${p}`);
  }
});
