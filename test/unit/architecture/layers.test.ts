// The floors of src/ are lint rules (eslint.config.mjs): these cases lint one import each, as if
// it were written in the named file, and assert the rule's verdict, so removing or loosening a
// rule fails here. Typed linting is off for speed: the rule under test needs no types.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { MAY_IMPORT } from '../../../eslint.config.mjs';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parserOptions: { projectService: false } }, rules: { '@typescript-eslint/no-floating-promises': 'off' } }],
});

async function restricted(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: path.join(ROOT, file) });
  return r!.messages.filter(m => m.ruleId === 'no-restricted-imports' || m.fatal).map(m => m.message);
}

// [file the import is written in, the import, wrong-way?]
const CASES: [string, string, boolean][] = [
  ['src/mail/x.ts', "import { CONSTANT_ROWS } from '../knowledge/constants';", true],
  ['src/mail/x.ts', "import { splitLines } from './text';", false],
  ['src/knowledge/x.ts', "import { simulate } from '../sim';", true],
  ['src/knowledge/checks/x.ts', "import type { World } from '../../sim/scenario';", true],
  ['src/knowledge/checks/x.ts', "import { CONSTANT_ROWS } from '../../constants';", false],
  ['src/cfunctions/x.ts', "import { parsePatchDocument } from '../diff';", true],
  ['src/cfunctions/x.ts', "import { FUNCTIONS } from '../knowledge/functions';", false],
  ['src/diff/x.ts', "import { checkChangesOf } from '../review/checkChanges';", true],
  ['src/diff/x.ts', "import { simulate } from '../sim';", true],
  ['src/diff/x.ts', "import { explain } from '../explain';", true],
  ['src/diff/x.ts', "import type { Tree } from '../kernel/types';", true],
  ['src/diff/x.ts', "import { heuristicLocator } from '../cfunctions';", false],
  ['src/sim/x.ts', "import { parsePatchDocument } from '../diff';", true],
  ['src/sim/x.ts', "import type { Tree } from '../kernel/types';", true],
  ['src/sim/x.ts', "import { ALL_CHECKS } from '../knowledge/checks';", false],
  ['src/kernel/x.ts', "import { comparePatch } from '../review/patchSimulation';", true],
  ['src/kernel/x.ts', "import { settings } from '../features/x';", true],
  ['src/kernel/deep/x.ts', "import type { World } from '../../sim/scenario';", false],
  ['src/review/x.ts', "import { explain } from '../explain';", true],
  ['src/review/x.ts', "import * as vscode from 'vscode';", true],
  ['src/review/x.ts', "import fs from 'node:fs';", true],
  ['src/review/x.ts', "import { simulate } from '../sim';", false],
  ['src/explain/x.ts', "import { settings } from '../platform/config';", true],
  ['src/explain/x.ts', "import { summarizeChange } from '../review/hunkChange';", false],
  ['src/io/x.ts', "import * as vscode from 'vscode';", true],
  ['src/core.ts', "import * as vscode from 'vscode';", true],
  ['src/platform/x.ts', "import { explain } from '../explain';", true],
  ['src/platform/x.ts', "import type { PatchDocument } from '../diff';", false],
  ['src/features/x.ts', "import { register } from './codeLens';", true],
  ['src/features/x.ts', "import type { SimulationView } from './simulate/panel';", true],
  ['src/features/simulate/x.ts', "import { register } from '../codeLens';", true],
  ['src/features/simulate/x.ts', "import { explain } from '../../core';", false],
  ['src/features/simulate/x.ts', "import { parse } from './protocol';", false],
  ['src/features/x.ts', "import { simulate } from '../sim';", true],
  ['src/features/x.ts', "import type { PathInfo } from '../sim';", false],
];

for (const [file, code, wrong] of CASES) {
  test(`${file}: ${code} is ${wrong ? 'a wrong-way import' : 'allowed'}`, async () => {
    const errors = await restricted(file, code);
    if (wrong) assert.equal(errors.length, 1, `expected one no-restricted-imports error, got: ${JSON.stringify(errors)}`);
    else assert.deepEqual(errors, []);
  });
}

test('every folder of src/ has a floor in eslint.config.mjs (a new folder needs its rule)', () => {
  const entries = fs.readdirSync(path.join(ROOT, 'src'), { withFileTypes: true }).map(e => e.isDirectory() ? e.name : e.name.replace(/\.ts$/, ''));
  assert.deepEqual(entries.filter(e => !(e in MAY_IMPORT)), []);
});

test('no pure folder imports vscode (what the before-stop hook greps)', () => {
  const pure = Object.entries(MAY_IMPORT).filter(([, may]) => !may.includes('core')).map(([d]) => d).filter(d => fs.existsSync(path.join(ROOT, 'src', d)));
  const bad: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/from ['"]vscode['"]|require\(['"]vscode['"]\)/.test(fs.readFileSync(p, 'utf8'))) bad.push(path.relative(ROOT, p));
    }
  };
  for (const d of pure) walk(path.join(ROOT, 'src', d));
  assert.deepEqual(bad, []);
});

test('package.json contributes exactly the commands of src/platform/commands.ts', async () => {
  const { COMMANDS } = await import('../../../src/platform/commands');
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
  assert.deepEqual(pkg.contributes.commands.map(c => c.command).sort(), Object.values(COMMANDS).sort());
});
