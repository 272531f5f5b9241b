// The project's default kernel tree: Debian's linux-source-6.12 package, of which only what the
// kernel engine reads (arch/x86, include, virt, tools/testing/selftests/kvm, Makefile and the KVM
// x86 maintainer notes) is extracted into the ignored cache .cache/linux-source-6.12. Idempotent:
// once extracted (a stamp names the tarball it came from) it does nothing. As root it installs the
// package with apt when the tarball is missing; otherwise it says how and leaves the tree absent
// (tests that need it then skip with a message).
//   node scripts/setup-tree.mjs          (also run by scripts/lib/ensure-deps.mjs)
// Node built-ins only. Never writes anywhere but the cache; a symlinked cache (git worktrees)
// is left as it is.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const PACKAGE = 'linux-source-6.12';
const TARBALL = `/usr/src/${PACKAGE}.tar.xz`;
const MEMBERS = ['arch/x86', 'include', 'virt', 'tools/testing/selftests/kvm', 'Makefile', 'Documentation/process/maintainer-kvm-x86.rst'];
const STAMP = '.kvm-review-extracted';
const MARKER = 'arch/x86/kvm/vmx/nested.c';

/** Returns the tree directory when it is ready, else null (with the reason printed). */
export function setupTree(root, { quiet = false } = {}) {
  const log = (s) => { if (!quiet) console.log(`[tree] ${s}`); };
  const target = path.join(root, '.cache', PACKAGE);
  let st = null;
  try { st = fs.lstatSync(target); } catch { /* absent */ }
  if (st?.isSymbolicLink()) {
    // a worktree shares the main checkout's tree: use it as it is, never replace the link
    if (fs.existsSync(path.join(target, MARKER))) return target;
    log(`${target} is a symlink to a directory without ${MARKER}; left alone`);
    return null;
  }
  if (st && fs.existsSync(path.join(target, MARKER)) && fs.existsSync(path.join(target, 'Makefile'))) {
    // extracted earlier (by this script, or by hand with the same layout)
    return target;
  }
  if (!fs.existsSync(TARBALL)) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot) {
      log(`${TARBALL} is missing: install it with \`sudo apt-get install ${PACKAGE}\`; the kernel engine's default tree stays absent`);
      return null;
    }
    log(`apt-get install -y ${PACKAGE}`);
    let r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', PACKAGE], { stdio: quiet ? 'ignore' : 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) {
      log('apt-get update');
      spawnSync('apt-get', ['update'], { stdio: quiet ? 'ignore' : 'inherit' });
      r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', PACKAGE], { stdio: quiet ? 'ignore' : 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    }
    if (r.status !== 0 || !fs.existsSync(TARBALL)) { log(`could not install ${PACKAGE}; the default tree stays absent`); return null; }
  }
  const t0 = Date.now();
  log(`extracting ${MEMBERS.join(', ')} from ${TARBALL} (once, ~20 s)`);
  const tmp = path.join(root, '.cache', `${PACKAGE}.tmp-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  const r = spawnSync('tar', ['-xJf', TARBALL, '-C', tmp, '--no-same-owner', ...MEMBERS.map(m => `${PACKAGE}/${m}`)], { stdio: quiet ? 'ignore' : 'inherit' });
  const extracted = path.join(tmp, PACKAGE);
  if (r.status !== 0 || !fs.existsSync(path.join(extracted, MARKER))) {
    fs.rmSync(tmp, { recursive: true, force: true });
    log('extraction failed; the default tree stays absent');
    return null;
  }
  const tarStat = fs.statSync(TARBALL);
  fs.writeFileSync(path.join(extracted, STAMP), JSON.stringify({ tarball: TARBALL, size: tarStat.size, mtimeMs: tarStat.mtimeMs, members: MEMBERS }) + '\n');
  if (st) fs.rmSync(target, { recursive: true, force: true }); // an incomplete earlier extraction
  fs.renameSync(extracted, target);
  fs.rmSync(tmp, { recursive: true, force: true });
  log(`default tree ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${target}`);
  return target;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
  const dir = setupTree(root);
  if (dir) console.log(`[tree] ${dir}`);
}
