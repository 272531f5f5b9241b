// The panel's answer as data: first witness, deciding lines, aligned traces, diagram, and the
// plain statements when nothing diverges or nothing is on the path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parsePatchDocument } from '../../../src/diff';
import { divergeModel } from '../../../src/review/modelDiverge';
import { answerView } from '../../../src/review/answerView';
import { allChecks, listPaths } from '../../../src/sim';

const SAMPLE = path.resolve(__dirname, '../../../samples/lam-cr3.patch');
const source = (id: string) => { const c = allChecks().find(x => x.id === id); return c && { file: c.source, function: c.function }; };
const steps = listPaths().find(p => p.id === 'nested-vmentry')!.steps;

test('answer: the LAM CR3 sample diverges; the first witness leads, with its deciding lines, rows and diagram', async () => {
  const doc = parsePatchDocument(fs.readFileSync(SAMPLE, 'utf8'));
  const r = await divergeModel('nested-vmentry', { base: 'default' }, doc, { maxMs: 20000 });
  const a = answerView({ pathId: 'nested-vmentry', steps, result: r, changes: r.changes, source });
  assert.equal(a.status, 'diverges');
  assert.match(a.headline, /^The patch changes what KVM does on nested-vmentry: /);
  const w = a.witnesses.find(x => x.before.kind === 'vmfail-valid')!;
  assert.equal(w.after.kind, 'entered');
  assert.match(w.before.deciding!.label, /^host-cr3 in nested_vmx_check_host_state \(patch line \d+\)$/);
  assert.equal(typeof w.before.deciding!.mailLine, 'number');
  assert.deepEqual(w.before.deciding!.treeFunction, { file: 'arch/x86/kvm/vmx/nested.c', function: 'nested_vmx_check_host_state' });
  const row = w.rows.find(x => x.check === 'host-cr3')!;
  assert.deepEqual([row.before?.result, row.after?.result, row.differs, row.touched], ['fail', 'pass', true, true]);
  assert.ok(w.rows.filter(x => x.differs).length >= 2, 'rows only the after side runs are marked');
  const box = w.diagram.find(b => b.function === 'nested_vmx_check_host_state')!;
  assert.deepEqual(box.failed, ['before']);
  assert.equal(box.touched, true);
  assert.equal(w.diagram[0].function, steps[0]);
  assert.match(a.searched, /^Searched \d+ scenarios over \d+ inputs \(.*vmcs12\.HOST_CR3.*\) in \d+ ms; /);
});

test('answer: nothing on the path, and nothing found, said plainly', () => {
  const empty = { searched: 0, complete: false, truncated: false, witnesses: [], diverging: [], axes: [], unreached: [], elapsedMs: 0, engine: 'model' };
  const none = answerView({ pathId: 'cr3-write', steps: [], result: { ...empty, status: 'nothing-on-path' }, changes: [{ kind: 'unplaced', check: null, function: 'f', sourceLine: 9, reason: 'no' }], source });
  assert.equal(none.status, 'nothing-on-path');
  assert.equal(none.headline, 'The patch touches nothing the cr3-write path runs (1 change could not be simulated).');
  assert.deepEqual(none.notSimulated, { count: 1, items: [{ line: 9, reason: 'no' }] });
  const same = answerView({ pathId: 'cr3-write', steps: [], result: { ...empty, status: 'changes', searched: 40, complete: true, proof: 'exhaustive', axes: [{ id: 'write.cr3', role: 'condition', values: 39 }], elapsedMs: 12 }, changes: [], source });
  assert.equal(same.status, 'same');
  assert.equal(same.searched, 'Searched 40 scenarios over 1 input (write.cr3) in 12 ms; every combination tried, so this is complete.');
});
