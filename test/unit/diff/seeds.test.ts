// The five real seed mails, asserted fact by fact (what a reviewer must see in each).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePatchDocument, toParseJson } from '../../../src/diff';
import { seedText } from '../seeds';

void test('seed 000: a >>-quoted single added line, header-less, inside reviewer prose', t => {
  const text = seedText('000', t); if (!text) return;
  const doc = parsePatchDocument(text);
  assert.equal(doc.hunks.length, 1);
  const [h] = doc.hunks;
  assert.deepEqual([h.added, h.removed, h.header, h.file, h.oldStart], [1, 0, 'none', null, null]);
  assert.ok(h.quoteDepth >= 2);
  assert.equal(text.split('\n')[h.sourceLine].slice(h.lines[0].textColumn).trim().startsWith('root_gfn'), true);
  assert.ok(doc.comments.length > 0 && doc.comments.every(c => c.hunk === 0 && c.afterSourceLine === h.sourceLine));
  assert.ok(doc.comments.every(c => c.quoteDepth < h.quoteDepth));
  // prose bullets quoted with "- " are not diff lines
  assert.equal(doc.hunks.filter(x => x.header === 'none').length, 1);
});

void test('seed 001: two header-less fragments between Chinese paragraphs', t => {
  const text = seedText('001', t); if (!text) return;
  const doc = parsePatchDocument(text);
  assert.equal(doc.hunks.length, 2);
  assert.deepEqual(doc.hunks[0].changedFunctions, ['cpu_has_load_ia32_efer']);
  assert.deepEqual([doc.hunks[0].added, doc.hunks[0].removed], [1, 2]);
  assert.deepEqual(doc.hunks[1].changedFunctions, ['setup_vmcs_config']);
  assert.deepEqual([doc.hunks[1].oldStart, doc.hunks[1].newStart, doc.hunks[1].added], [2614, 2632, 14]);
  assert.equal(doc.hunks[1].complete, false);
  assert.ok(doc.diagnostics.some(d => d.code === 'cut-hunk' && d.sourceLine === doc.hunks[1].sourceLine));
  // the page holds a cover letter and two patches of one series
  assert.deepEqual(doc.messages.map(m => m.patch?.index), [0, 1, 2]);
  assert.equal(doc.series.length, 1);
  assert.equal(doc.series[0].cover, 0);
});

void test('seed 002: >>-quoted damaged patch, then a reviewer diff at > depth', t => {
  const text = seedText('002', t); if (!text) return;
  const doc = parsePatchDocument(text);
  const deep = doc.hunks.filter(h => h.quoteDepth === 2), own = doc.hunks.filter(h => h.quoteDepth === 1);
  assert.equal(deep.length, 3);
  assert.ok(deep.every(h => h.file === 'arch/x86/kvm/vmx/vmx.c' && h.repaired));
  assert.deepEqual(deep.map(h => h.changedFunctions), [[], ['init_vmcs'], ['hardware_setup']]);
  assert.equal(new Set(own.map(h => h.file)).size, 4);
  assert.deepEqual(own.map(h => h.changedFunctions), [[], ['load_vmcs12_host_state'], ['nested_vmx_restore_host_state'], ['init_vmcs'], ['vmx_l1_guest_owned_cr0_bits']]);
  assert.ok(own.every(h => h.complete));
  assert.equal(doc.messages[0].baseCommit?.length, 40);
  // reviewer comments interleaved with the quoted hunks are anchored to them
  assert.ok(doc.comments.some(c => c.hunk === 0) && doc.comments.some(c => c.hunk === 2));
});

void test('seed 003: a "> "-quoted multi-file patch with the review after it', t => {
  const text = seedText('003', t); if (!text) return;
  const doc = parsePatchDocument(text);
  assert.deepEqual(doc.files.map(f => f.newPath), ['arch/x86/include/uapi/asm/kvm.h', 'arch/x86/kvm/vmx/nested.c']);
  assert.deepEqual(doc.hunks.map(h => h.changedFunctions), [[], ['vmx_get_nested_state'], ['vmx_get_nested_state'], ['vmx_set_nested_state']]);
  assert.ok(doc.hunks.every(h => h.complete && h.quoteDepth === 1));
  const last = doc.hunks[3];
  assert.ok(doc.comments.some(c => c.hunk === 3 && c.afterSourceLine === last.endLine && c.quoteDepth === 0));
});

void test('seed 004: a patchwork page with commit message, diffstat and 3 files', t => {
  const text = seedText('004', t); if (!text) return;
  const doc = parsePatchDocument(text);
  const m = doc.messages[0];
  assert.equal(m.kind, 'patchwork');
  assert.deepEqual(m.patch, { version: 1, index: 49, total: 54 });
  assert.deepEqual(m.trailers.map(x => x.name), ['Cc', 'Signed-off-by']);
  assert.equal(m.diffstat.length, 3);
  assert.equal(doc.files.length, 3);
  assert.deepEqual(doc.hunks.map(h => h.changedFunctions), [[], [], ['nested_svm_load_cr3'], ['nested_vmx_load_cr3']]);
  const json = toParseJson(doc);
  assert.equal(json.hunks[3].sourceLine, doc.hunks[3].sourceLine + 1);
  assert.equal(text.split('\n')[json.hunks[3].sourceLine - 1].startsWith('@@ -1098,6 +1098,7 @@'), true);
});
