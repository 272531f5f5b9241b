// Mocha entry loaded INSIDE the extension host (extensionTestsPath): runs every bundled
// out/test/host/*.test.js and writes { passed, failed, skipped } to $KVM_HOST_RESULT.
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
  if (process.env.KVM_HOST_GREP) mocha.grep(process.env.KVM_HOST_GREP);
  for (const f of fs.readdirSync(__dirname).filter(f => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run(failures => {
      const result = { passed: runner.stats?.passes ?? 0, failed: failures, skipped: runner.stats?.pending ?? 0 };
      console.log(`[host] ${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped`);
      if (process.env.KVM_HOST_RESULT) fs.writeFileSync(process.env.KVM_HOST_RESULT, JSON.stringify(result) + '\n');
      if (failures > 0) reject(new Error(`${failures} in-host tests failed`)); else resolve();
    });
  });
}
