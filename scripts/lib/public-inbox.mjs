// A local public-inbox server for tests: a v2 inbox built from mail files in a temp dir
// (public-inbox-init -V2 -L medium, public-inbox-mda per mail) served by public-inbox-httpd on
// 127.0.0.1 (a free port, one process: -W0). `missing` names the tools that are not installed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const TOOLS = ['public-inbox-init', 'public-inbox-mda', 'public-inbox-httpd'];

/** The public-inbox tools that are not on the PATH. */
export function missingTools() {
  return TOOLS.filter(t => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer(); s.unref(); s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Builds inbox `list` from `mails` (file paths) and serves it; resolves once the server is bound. */
export async function startInbox({ mails, list = 'kvm', address = 'kvm@vger.example.org' }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-pi-'));
  const env = { ...process.env, HOME: dir, PI_CONFIG: path.join(dir, 'config') };
  const run = (cmd, args, input) => {
    const r = spawnSync(cmd, args, { env: { ...env, ORIGINAL_RECIPIENT: address }, input, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  };
  run('public-inbox-init', ['-V2', '-L', 'medium', list, path.join(dir, list), `http://127.0.0.1/${list}`, address]);
  run('git', ['config', '-f', env.PI_CONFIG, 'publicinboxmda.spamcheck', 'none']);
  for (const f of mails) run('public-inbox-mda', ['--no-precheck'], fs.readFileSync(f, 'utf8'));
  const url = `http://127.0.0.1:${await freePort()}`;
  const proc = spawn('public-inbox-httpd', ['-W0', '-l', url], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise((resolve, reject) => {
    let log = '';
    const onData = b => { log += b.toString(); if (log.includes(`bound ${url}`)) resolve(); };
    proc.stdout.on('data', onData); proc.stderr.on('data', onData);
    proc.once('exit', code => reject(new Error(`public-inbox-httpd exited (${code}): ${log}`)));
  });
  return {
    url, list, dir,
    stop() { if (proc.exitCode === null) proc.kill('SIGTERM'); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}
