// Base finding in a small git repository the test builds from the default tree's nested.c: an older
// commit, a patch written against it (`git format-patch --base`, with index lines and base-commit),
// a newer commit that changed the lines the patch touches; the patch runs on its own base (the
// older blob) while the user's work tree and index stay exactly as they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { findBase, type GitObjects } from '../../../src/kernel/base';
import { patchTrees } from '../../../src/kernel/apply';
import { openGitCheckout } from '../../../src/io/git';
import { parsePatchDocument } from '../../../src/diff';
import { documentHunks } from '../../../src/review/kernelCompare';
import type { TreeReader } from '../../../src/kernel/types';

const DEFAULT_TREE = path.resolve(__dirname, '../../../.cache/linux-source-6.12');
const NESTED = 'arch/x86/kvm/vmx/nested.c';

function fsTree(root: string): TreeReader {
  return {
    root,
    read: rel => { try { return fs.readFileSync(path.join(root, rel), 'utf8'); } catch { return undefined; } },
    stamp: rel => { try { const s = fs.statSync(path.join(root, rel)); return `${s.mtimeMs}:${s.size}`; } catch { return undefined; } },
  };
}

const GIT_ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid', GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });

function haveGit(): boolean { try { git(os.tmpdir(), '--version'); return true; } catch { return false; } }

interface Repo { dir: string; older: string; newer: string; olderText: string; newerText: string; patch: string; hostLine: number }

/**
 * older: nested.c as the default tree has it; a patch against it changes the host-CR3 check;
 * newer (checked out): the three lines above that check changed, so the patch does not apply to
 * the work tree without its base.
 */
function buildRepo(): Repo {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-base-'));
  const file = path.join(dir, NESTED);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const olderText = fs.readFileSync(path.join(DEFAULT_TREE, NESTED), 'utf8');
  const lines = olderText.split('\n');
  const hostLine = lines.findIndex(l => l.includes('CC(!kvm_vcpu_is_legal_cr3(vcpu, vmcs12->host_cr3))')) + 1;
  assert.ok(hostLine > 10);
  fs.writeFileSync(file, olderText);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', NESTED);
  git(dir, 'commit', '-q', '-m', 'older');
  const older = git(dir, 'rev-parse', 'HEAD').trim();
  // the patch, written against the older commit on a side branch
  git(dir, 'checkout', '-q', '-b', 'topic');
  const patched = lines.slice();
  patched[hostLine - 1] = patched[hostLine - 1].replace('vmcs12->host_cr3)', 'vmcs12->host_cr3 & ~1ull)');
  fs.writeFileSync(file, patched.join('\n'));
  git(dir, 'commit', '-q', '-am', 'KVM: nVMX: test patch');
  const patch = git(dir, 'format-patch', '-1', '--stdout', `--base=${older}`);
  // the newer commit on main: the lines just above the check changed
  git(dir, 'checkout', '-q', 'main');
  const newer = lines.slice();
  for (const k of [hostLine - 2, hostLine - 3, hostLine - 4]) newer[k] = newer[k] + ' /* newer */';
  newer.splice(100, 0, '/* five */', '/* lines */', '/* added */', '/* near the */', '/* top */');
  const newerText = newer.join('\n');
  fs.writeFileSync(file, newerText);
  git(dir, 'commit', '-q', '-am', 'newer');
  return { dir, older, newer: git(dir, 'rev-parse', 'HEAD').trim(), olderText, newerText, patch, hostLine };
}

/** Everything that says the work tree and index are untouched. */
function snapshot(dir: string) {
  return {
    status: git(dir, 'status', '--porcelain=v1', '--untracked-files=all'),
    head: git(dir, 'rev-parse', 'HEAD'),
    index: fs.readFileSync(path.join(dir, '.git/index')).toString('base64'),
    file: fs.readFileSync(path.join(dir, NESTED), 'utf8'),
    refs: git(dir, 'for-each-ref'),
  };
}

void test('base: a patch against an older commit runs on its own base; work tree and index untouched', t => {
  if (!fs.existsSync(path.join(DEFAULT_TREE, NESTED))) { t.skip('default tree absent'); return; }
  if (!haveGit()) { t.skip('git not installed'); return; }
  const repo = buildRepo();
  try {
    const before = snapshot(repo.dir);
    assert.equal(before.status, '', 'a clean checkout to start with');
    const doc = parsePatchDocument(repo.patch);
    const file = doc.files[0];
    assert.equal(file.oldPath, NESTED);
    assert.match(file.oldBlob ?? '', /^[0-9a-f]{7,}$/, 'the parser keeps the index line\'s blob ids');
    assert.equal(doc.messages[0].baseCommit, repo.older);
    const tree = fsTree(repo.dir);
    const { hunks } = documentHunks(doc);

    // on the work tree alone the patch does not apply: its context changed in the newer commit
    const plain = patchTrees(tree, hunks);
    assert.deepEqual(plain.apply.map(a => a.status), ['failed']);

    const checkout = openGitCheckout(repo.dir);
    assert.ok(checkout, 'the repository is a git checkout');
    assert.equal(checkout.head, repo.newer);
    const base = findBase(tree, [{ path: NESTED, oldBlob: file.oldBlob, newBlob: file.newBlob }], checkout, doc.messages[0].baseCommit);
    assert.equal(base.used, true);
    assert.equal(base.files[0].from, 'index');
    assert.equal(base.tree.read(NESTED), repo.olderText, 'the pre-image is the older blob');
    assert.equal(base.baseCommit, repo.older);
    const r = patchTrees(base.tree, hunks);
    assert.deepEqual(r.apply.map(a => [a.status, a.line]), [['applied', repo.hostLine - 3]]);
    assert.equal(r.before.read(NESTED), repo.olderText);
    assert.equal(r.after.read(NESTED)!.split('\n')[repo.hostLine - 1].includes('host_cr3 & ~1ull'), true);

    // without usable index lines, the base-commit trailer finds the same base
    const byCommit = findBase(tree, [{ path: NESTED, oldBlob: 'deadbee', newBlob: 'feedbee' }], checkout, repo.older.slice(0, 12));
    assert.equal(byCommit.files[0].from, 'base-commit');
    assert.equal(byCommit.tree.read(NESTED), repo.olderText);

    // neither: the tree itself, with the reason
    const none = findBase(tree, [{ path: NESTED, oldBlob: 'deadbee' }], checkout, '0123456789abcdef');
    assert.equal(none.used, false);
    assert.equal(none.files[0].from, 'tree');
    assert.match(none.files[0].reason!, /blob deadbee is not in the repository; base-commit 0123456789abcdef is not in the repository/);
    assert.equal(none.tree.read(NESTED), repo.newerText);

    // a work tree that holds the patch's result is its own base (the patch is then already applied)
    const held = findBase(fsTree(repo.dir), [{ path: NESTED, oldBlob: file.oldBlob, newBlob: git(repo.dir, 'rev-parse', 'topic:' + NESTED).trim() }], {
      ...checkout, readBlob: id => (id === git(repo.dir, 'rev-parse', 'topic:' + NESTED).trim() ? repo.newerText : checkout.readBlob(id)),
    }, null);
    assert.equal(held.files[0].from, 'tree');
    assert.equal(held.used, false);

    assert.deepEqual(snapshot(repo.dir), before, 'git status, HEAD, index, refs and the file are as they were');
  } finally {
    fs.rmSync(repo.dir, { recursive: true, force: true });
  }
});

void test('base: a two-patch series against the older commit applies on its base, the second on the first', t => {
  if (!fs.existsSync(path.join(DEFAULT_TREE, NESTED))) { t.skip('default tree absent'); return; }
  if (!haveGit()) { t.skip('git not installed'); return; }
  const repo = buildRepo();
  try {
    // a second patch on topic, changing the line right below the first patch's change
    git(repo.dir, 'checkout', '-q', 'topic');
    const file = path.join(repo.dir, NESTED);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines[repo.hostLine] = lines[repo.hostLine] + ' /* second */';
    fs.writeFileSync(file, lines.join('\n'));
    git(repo.dir, 'commit', '-q', '-am', 'KVM: nVMX: second');
    const series = git(repo.dir, 'format-patch', '-2', '--stdout', `--base=${repo.older}`);
    const topic = fs.readFileSync(file, 'utf8');
    git(repo.dir, 'checkout', '-q', 'main');
    const before = snapshot(repo.dir);
    const doc = parsePatchDocument(series);
    assert.equal(doc.messages.length, 2);
    assert.equal(doc.files.length, 2);
    assert.equal(doc.files[1].oldBlob, doc.files[0].newBlob, 'the second patch starts where the first left the file');
    const checkout = openGitCheckout(repo.dir)!;
    const base = findBase(fsTree(repo.dir), doc.files.map(f => ({ path: f.oldPath!, oldBlob: f.oldBlob, newBlob: f.newBlob })), checkout, doc.messages.map(m => m.baseCommit).find(Boolean));
    assert.deepEqual(base.files.map(f => f.from), ['index'], 'one base per path: the first patch\'s');
    const r = patchTrees(base.tree, documentHunks(doc).hunks);
    assert.deepEqual(r.apply.map(a => a.status), ['applied', 'applied']);
    assert.equal(r.after.read(NESTED), topic, 'after = the topic branch\'s file');
    assert.deepEqual(snapshot(repo.dir), before);
  } finally {
    fs.rmSync(repo.dir, { recursive: true, force: true });
  }
});

void test('base: a tree that is not the top of a git checkout has no git (the project\'s own cache included)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-nogit-'));
  try {
    assert.equal(openGitCheckout(dir), undefined);
    assert.equal(openGitCheckout(path.join(dir, 'missing')), undefined);
    if (fs.existsSync(DEFAULT_TREE) && haveGit()) assert.equal(openGitCheckout(DEFAULT_TREE), undefined, 'inside the project repository, not its top');
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

void test('base: the adapter refuses option-like and malformed input without running git on it', t => {
  if (!haveGit()) { t.skip('git not installed'); return; }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-bad-'));
  try {
    git(dir, 'init', '-q');
    const c = openGitCheckout(dir)!;
    assert.ok(c);
    assert.equal(c.head, null, 'unborn branch');
    for (const bad of ['--output=/tmp/x', 'HEAD', 'abc', 'zzzzzzz', '-1234567']) {
      assert.equal(c.resolveBlob(bad), undefined, bad);
      assert.equal(c.resolveCommit(bad), undefined, bad);
    }
    assert.equal(c.readAt('a'.repeat(40), '../etc/passwd'), undefined);
    assert.equal(c.readAt('a'.repeat(40), '-x'), undefined);
  } finally { fs.rmSync(dir, { recursive: true, force: true }); }
});

void test('findBase: per-file rules over a fake repository', () => {
  const blobs = new Map([['1111111111111111111111111111111111111111', 'old\n'], ['2222222222222222222222222222222222222222', 'new\n']]);
  const fake: GitObjects = {
    resolveBlob: a => [...blobs.keys()].find(k => k.startsWith(a)),
    readBlob: id => blobs.get(id),
    resolveCommit: r => (r.startsWith('abcdef1') ? 'abcdef1'.padEnd(40, '0') : undefined),
    readAt: (_c, rel) => (rel === 'c.c' ? 'at-commit\n' : undefined),
  };
  const tree: TreeReader = { root: '/t', read: rel => ({ 'a.c': 'tree\n', 'b.c': 'new\n', 'c.c': 'tree\n', 'd.c': 'old\n' } as Record<string, string>)[rel], stamp: () => 's' };
  const r = findBase(tree, [
    { path: 'a.c', oldBlob: '1111111', newBlob: '3333333' },
    { path: 'b.c', oldBlob: '1111111', newBlob: '2222222' },
    { path: 'c.c', oldBlob: '4444444' },
    { path: 'd.c', oldBlob: '1111111' },
    { path: 'e.c', oldBlob: '0000000', created: true },
    { path: 'a.c', oldBlob: '2222222' },
  ], fake, 'abcdef1234');
  assert.deepEqual(r.files.map(f => [f.path, f.from]), [['a.c', 'index'], ['b.c', 'tree'], ['c.c', 'base-commit'], ['d.c', 'tree'], ['e.c', 'tree']]);
  assert.equal(r.tree.read('a.c'), 'old\n');
  assert.equal(r.tree.read('b.c'), 'new\n');
  assert.equal(r.tree.read('c.c'), 'at-commit\n');
  assert.notEqual(r.tree.stamp('a.c'), 's', 'a base file has its own stamp');
  assert.equal(r.used, true);
});
