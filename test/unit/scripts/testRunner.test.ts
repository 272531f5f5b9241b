// `npm test` says what it is doing: a header per layer and a line per finished unit file (the unit
// layer used to be silent for ~50 s), then the closing totals line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

test('the unit layer prints its header and one progress line per file', () => {
  const r = spawnSync(process.execPath, ['scripts/test.mjs', 'unit'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, UNIT_FILTER: 'test/unit/mail/' } });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const lines = r.stdout.split('\n');
  const header = lines.findIndex(l => /^\[test\] ── unit: /.test(l));
  assert.ok(header >= 0, 'layer header');
  const progress = lines.filter(l => /^\[test\] unit +\d+\/\d+ (?:ok|FAIL) +test\/unit\/mail\/\S+\.test\.ts: \d+ passed/.test(l));
  assert.ok(progress.length >= 2, r.stdout);
  assert.match(lines.filter(Boolean).at(-1)!, /^\d+ passed, 0 failed, \d+ skipped$/);
});
