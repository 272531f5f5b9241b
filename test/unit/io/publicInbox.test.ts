// `kvm-review fetch` against a real public-inbox-httpd (Debian package public-inbox) that this test
// starts on 127.0.0.1 with a v2 inbox built from the project's fixture mails (test/fixtures/series),
// everything in a temp dir. Never the internet. Skipped, saying so, when the package is missing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildSeries, readMailbox } from '../../../src/review/series/series';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'dist/cli.js');
const FIXTURES = path.join(ROOT, 'test/fixtures/series');
const TOOLS = ['public-inbox-init', 'public-inbox-mda', 'public-inbox-httpd'];
const missing = TOOLS.filter(t => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const SKIP = missing.length ? `public-inbox is not installed (${missing.join(', ')} missing): apt-get install public-inbox` : false;

let dir = '', server: ChildProcess | undefined, base = '';

/** A port that was free a moment ago (the server binds it right after). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address() as net.AddressInfo; s.close(() => resolve(port)); });
  });
}

before(async () => {
  if (SKIP) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-pi-'));
  const env = { ...process.env, HOME: dir, PI_CONFIG: path.join(dir, 'config') };
  const run = (cmd: string, args: string[], input?: string) => {
    const r = spawnSync(cmd, args, { env: { ...env, ORIGINAL_RECIPIENT: 'kvm@vger.example.org' }, input, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  };
  // level "medium": Xapian search (newer revisions are found by subject words)
  run('public-inbox-init', ['-V2', '-L', 'medium', 'kvm', path.join(dir, 'kvm'), 'http://127.0.0.1/kvm', 'kvm@vger.example.org']);
  run('git', ['config', '-f', env.PI_CONFIG, 'publicinboxmda.spamcheck', 'none']);
  for (const f of fs.readdirSync(FIXTURES).filter(n => n.endsWith('.eml')).sort()) run('public-inbox-mda', ['--no-precheck'], fs.readFileSync(path.join(FIXTURES, f), 'utf8'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // -W0: one process, no workers, so killing it ends the server
  server = spawn('public-inbox-httpd', ['-W0', '-l', base], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let log = '';
    const onData = (b: Buffer) => { log += b.toString(); if (log.includes(`bound ${base}`)) resolve(); };
    server!.stdout!.on('data', onData);
    server!.stderr!.on('data', onData);
    server!.once('exit', code => reject(new Error(`public-inbox-httpd exited (${code}): ${log}`)));
  });
  if (!fs.existsSync(CLI)) spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { stdio: 'inherit' });
});

after(() => {
  if (server && server.exitCode === null) server.kill('SIGTERM');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function fetch(...args: string[]) {
  const out = path.join(dir, `out-${Math.random().toString(36).slice(2)}.mbx`);
  const r = spawnSync(process.execPath, [CLI, 'fetch', ...args, '-o', out], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, out, mbox: () => fs.readFileSync(out, 'utf8') };
}

test('fetch a patch of v1 by Message-ID: the thread ordered, the newer v2 found', { skip: SKIP }, () => {
  const r = fetch('20240506-lam-v1-2@example.org', '--server', base, '--list', 'kvm', '--json');
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout);
  assert.equal(json.url, `${base}/kvm/20240506-lam-v1-2@example.org/t.mbox.gz`);
  assert.deepEqual(json.revisions, [1]);
  assert.deepEqual(json.newer.map((n: { version: number; messageId: string }) => [n.version, n.messageId]), [[2, '<20240513-lam-v2-0@example.org>']]);
  const subjects = r.mbox().split('\n').filter(l => l.startsWith('Subject: '));
  assert.deepEqual(subjects, ['Subject: [PATCH 0/2] KVM: nVMX: Accept LAM bits in vmcs12 CR3 fields', 'Subject: [PATCH 1/2] KVM: x86: Add a CR3 legality helper', 'Subject: [PATCH 2/2] KVM: nVMX: Use the CR3 legality helper on nested entry']);
});

test('fetch v2 by its lore-style URL: trailers from the replies collected onto the patches', { skip: SKIP }, () => {
  const r = fetch(`${base}/kvm/20240513-lam-v2-1@example.org/`);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^v2: cover \+ 2\/2 patches, 3 trailers collected from 2 follow-ups/);
  const series = buildSeries(readMailbox(r.mbox()));
  assert.equal(series.revisions.length, 1);
  const [p1, p2] = series.revisions[0].patches;
  assert.ok(p1!.body.includes('Acked-by: Sean Example <sean@example.com>'), 'cover-letter Acked-by on 1/2');
  assert.ok(p2!.body.includes('Reviewed-by: Paolo Example <paolo@example.net>'), 'Reviewed-by on 2/2');
  assert.ok(p2!.body.includes(`Link: ${base}/kvm/20240513-lam-v2-2@example.org`));
});

test('fetch: a Message-ID the server does not have is exit 1; a server that does not answer is exit 2', { skip: SKIP }, async () => {
  const r = fetch('no-such-message@example.org', '--server', base, '--list', 'kvm');
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /not found/);
  const closed = await freePort();
  const down = fetch('x@example.org', '--server', `http://127.0.0.1:${closed}`);
  assert.equal(down.code, 2);
  assert.match(down.stderr, /cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
});
