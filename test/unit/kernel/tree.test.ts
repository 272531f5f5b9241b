// Trees: the version from a Makefile, the choice among candidates, the read-only fs reader (which
// refuses paths and symlinks leaving the tree), finding a tree, and the persistent prepare cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chooseTree, treeVersion, TREE_MARKER, type TreeCandidate } from '../../../src/kernel/tree';
import { findTree, fsPrepCache, fsTreeReader } from '../../../src/io/tree';

const VERSIONS: [makefile: string, version: string | null][] = [
  ['# SPDX\nVERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 118\nEXTRAVERSION =\nNAME = Baby Opossum Posse\n', '6.12.118'],
  ['VERSION = 6\nPATCHLEVEL = 13\nSUBLEVEL = 0\nEXTRAVERSION = -rc3\n', '6.13.0-rc3'],
  ['VERSION = 4\nPATCHLEVEL = 19\nSUBLEVEL =\nEXTRAVERSION =\n', '4.19'],
  ['all:\n\techo no version\n', null],
];
for (const [mk, v] of VERSIONS) test(`treeVersion: ${JSON.stringify(v)}`, () => assert.equal(treeVersion(mk), v));

test('treeVersion: the default tree says 6.12.118 (skips without it)', t => {
  const mk = path.join(__dirname, '../../../.cache/linux-source-6.12/Makefile');
  if (!fs.existsSync(mk)) { t.skip('default tree absent: run node scripts/setup-tree.mjs'); return; }
  assert.equal(treeVersion(fs.readFileSync(mk, 'utf8')), '6.12.118');
});

type ChoiceRow = [name: string, candidates: TreeCandidate[], trees: string[], chosen: string | null, rejected: RegExp[]];
const CHOICES: ChoiceRow[] = [
  ['--tree wins over everything', [{ dir: '/d', source: 'default' }, { dir: '/e', source: 'env' }, { dir: '/o', source: 'option' }], ['/d', '/e', '/o'], '/o', []],
  ['workspace before env before default', [{ dir: '/d', source: 'default' }, { dir: '/e', source: 'env' }, { dir: '/w', source: 'workspace' }], ['/d', '/e', '/w'], '/w', []],
  ['env before default', [{ dir: '/d', source: 'default' }, { dir: '/e', source: 'env' }], ['/d', '/e'], '/e', []],
  ['a candidate without nested.c is rejected with a reason, the next is taken', [{ dir: '/o', source: 'option' }, { dir: '/d', source: 'default' }], ['/d'], '/d', [/^--tree \/o: no arch\/x86\/kvm\/vmx\/nested\.c/]],
  ['nothing usable', [{ dir: '/nope', source: 'setting' }], [], null, [/^setting kvmPatchReview\.kernelTree \/nope: no such directory$/]],
];
for (const [name, cands, trees, chosen, rejected] of CHOICES) {
  test(`chooseTree: ${name}`, () => {
    const dirs = new Set([...trees, '/o']);
    const r = chooseTree(cands, (dir, rel) => (rel === '' ? dirs.has(dir) : rel === TREE_MARKER && trees.includes(dir)));
    assert.equal(r.chosen?.dir ?? null, chosen);
    assert.equal(r.rejected.length, rejected.length, r.rejected.map(x => x.reason).join('\n'));
    r.rejected.forEach((x, i) => assert.match(x.reason, rejected[i]!));
  });
}

function tmpTree(): { root: string; outside: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-tree-'));
  const root = path.join(base, 'linux');
  fs.mkdirSync(path.join(root, 'arch/x86/kvm/vmx'), { recursive: true });
  fs.writeFileSync(path.join(root, 'arch/x86/kvm/vmx/nested.c'), 'int nested;\n');
  fs.writeFileSync(path.join(root, 'Makefile'), 'VERSION = 6\nPATCHLEVEL = 14\nSUBLEVEL = 2\nEXTRAVERSION =\n');
  const outside = path.join(base, 'secret.h');
  fs.writeFileSync(outside, 'secret\n');
  fs.symlinkSync(outside, path.join(root, 'escape.h'));
  fs.symlinkSync('arch/x86/kvm/vmx/nested.c', path.join(root, 'inside.c'));
  return { root, outside };
}

test('fsTreeReader: reads inside the tree; refuses .., absolute paths and symlinks out of it', () => {
  const { root, outside } = tmpTree();
  const r = fsTreeReader(root);
  assert.equal(r.read('arch/x86/kvm/vmx/nested.c'), 'int nested;\n');
  assert.equal(r.read('inside.c'), 'int nested;\n', 'a symlink within the tree is fine');
  assert.equal(r.read('../secret.h'), undefined);
  assert.equal(r.read(outside), undefined);
  assert.equal(r.read('escape.h'), undefined);
  assert.equal(r.stamp('escape.h'), undefined);
  assert.equal(r.read('arch'), undefined, 'a directory is not a file');
  assert.equal(r.isDir!('arch/x86'), true);
  assert.equal(r.read('absent.c'), undefined);
  assert.match(r.stamp('Makefile')!, /^\d+(\.\d+)?:\d+$/);
});

test('fsTreeReader: a file change changes its stamp; the reader never writes', () => {
  const { root } = tmpTree();
  const r = fsTreeReader(root);
  const before = fs.readdirSync(root).sort();
  const s1 = r.stamp('Makefile');
  fs.appendFileSync(path.join(root, 'Makefile'), '# more\n');
  assert.notEqual(r.stamp('Makefile'), s1);
  r.read('Makefile'); r.read('nope'); r.isDir!('x');
  assert.deepEqual(fs.readdirSync(root).sort(), before);
});

test('findTree: --tree, workspace folder, KVM_REVIEW_TREE; version from the Makefile', () => {
  const { root } = tmpTree();
  const other = tmpTree().root;
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-ws-'));
  assert.equal(findTree({ option: root, env: { KVM_REVIEW_TREE: other } }).info?.path, root);
  const ws = findTree({ workspaceFolders: [empty, other], env: { KVM_REVIEW_TREE: root } });
  assert.deepEqual([ws.info?.path, ws.source, ws.info?.version], [other, 'workspace', '6.14.2']);
  assert.equal(findTree({ workspaceFolders: [empty], env: { KVM_REVIEW_TREE: root } }).source, 'env');
  const bad = findTree({ option: empty });
  assert.equal(bad.info, null);
  assert.match(bad.rejected[0]!.reason, /^--tree .*: no arch\/x86\/kvm\/vmx\/nested\.c/);
});

test('fsPrepCache: round trip; a missing key is undefined; an unwritable dir is no cache', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-prep-'));
  const c = fsPrepCache(dir);
  assert.equal(c.get('k1'), undefined);
  c.put('k1', 'x'.repeat(10000) + 'é');
  assert.equal(c.get('k1'), 'x'.repeat(10000) + 'é');
  const file = path.join(dir, 'blocker');
  fs.writeFileSync(file, '');
  const bad = fsPrepCache(path.join(file, 'sub'));
  bad.put('k', 'v');
  assert.equal(bad.get('k'), undefined);
});
