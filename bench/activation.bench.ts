// Extension activation cost: loads the built dist/extension.js with a stand-in `vscode` module (every
// API call answers with another stand-in) and times require + activate(). This measures our own
// activation work (feature registration, no parsing, no model build), not VS Code's.
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

function standIn(): unknown {
  const fn = function () { /* stand-in */ };
  return new Proxy(fn, {
    get: (_t, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => 0 : standIn()),
    apply: () => standIn(),
    construct: () => standIn() as object,
  });
}

const originalResolve = (Module as unknown as { _resolveFilename: (...a: unknown[]) => string })._resolveFilename;
(Module as unknown as { _resolveFilename: (...a: unknown[]) => string })._resolveFilename = function (request: unknown, ...rest: unknown[]) {
  return request === 'vscode' ? 'vscode' : originalResolve.call(this, request, ...rest);
};
// the bundle copies the module's own names: give it every top-level name of the vscode API
const api = fs.readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
const exportsObject: Record<string, unknown> = {};
for (const m of api.matchAll(/^\t{1}(?:export )?(?:class|enum|namespace|const|function) (\w+)/gm)) exportsObject[m[1]] = standIn();
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: exportsObject } as unknown as NodeJS.Module;

const t0 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const extension = require(path.resolve(__dirname, '../dist/extension.js')) as { activate(ctx: unknown): void };
const t1 = performance.now();
extension.activate({ subscriptions: [], extensionUri: standIn() });
const t2 = performance.now();
console.log(`extension require (ms): ${(t1 - t0).toFixed(2)}`);
console.log(`extension activate (ms): ${(t2 - t1).toFixed(2)}`);
console.log(`extension activation total (ms): ${(t2 - t0).toFixed(2)}`);
process.exit(0);   // the stand-in cannot feed tree-sitter's background load: stop before it runs
