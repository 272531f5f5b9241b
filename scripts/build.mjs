// esbuild bundles: dist/extension.js (vscode external), dist/cli.js, dist/webview/simulate.js (the
// simulation webview), out/test/host/index.js (in-host
// mocha suite), and copies the tree-sitter wasm files next to them (loaded lazily at run time).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const watch = process.argv.includes('--watch');
// web-tree-sitter reads import.meta.url, which a CommonJS bundle lacks: give it the bundle's own URL
const importMetaUrl = "var __import_meta_url = require('url').pathToFileURL(__filename).href;";
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: true, logLevel: 'warning', absWorkingDir: ROOT,
  define: { 'import.meta.url': '__import_meta_url' }, banner: { js: importMetaUrl } };

fs.mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
fs.rmSync(path.join(ROOT, 'out/test'), { recursive: true, force: true });
for (const [from, to] of [['node_modules/web-tree-sitter/web-tree-sitter.wasm', 'dist/web-tree-sitter.wasm'], ['node_modules/tree-sitter-c/tree-sitter-c.wasm', 'dist/tree-sitter-c.wasm']]) {
  fs.copyFileSync(path.join(ROOT, from), path.join(ROOT, to));
}
// The extension bundle holds the editor features only; the pure core (model tables, simulator,
// tree-sitter) is dist/core-impl.js, reached through dist/core.js, which loads it on first use.
const lazyCore = {
  name: 'lazy-core',
  setup(b) { b.onResolve({ filter: /^(\.\.?\/)+core$/ }, () => ({ path: './core.js', external: true })); },
};
const LAZY_LOADER = `// Loads the pure core (core-impl.js) on first use of any of its exports.
let core;
module.exports = new Proxy({}, { get: (_, name) => (core ??= require('./core-impl.js'))[name] });
`;
fs.writeFileSync(path.join(ROOT, 'dist/core.js'), LAZY_LOADER);
const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [lazyCore], minify: !watch },
  { ...common, entryPoints: ['src/core.ts'], outfile: 'dist/core-impl.js', minify: !watch },
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: `#!/usr/bin/env node\n${importMetaUrl}` }, minify: !watch },
  // the simulation webview (a browser page: no node, no vscode module)
  { ...common, entryPoints: ['src/features/simulate/webview/main.ts'], outfile: 'dist/webview/simulate.js', platform: 'browser', format: 'iife', target: 'es2022',
    define: {}, banner: {}, minify: !watch },
  // each in-host test file is its own bundle, added to mocha by out/test/host/index.js
  { ...common, entryPoints: ['test/host/index.ts', ...fs.readdirSync(path.join(ROOT, 'test/host')).filter(f => f.endsWith('.test.ts')).map(f => `test/host/${f}`)],
    outdir: 'out/test/host', external: ['vscode', 'mocha'] },
];
if (watch) { for (const b of builds) await (await esbuild.context(b)).watch(); }
else {
  await Promise.all(builds.map(b => esbuild.build(b)));
  fs.chmodSync(path.join(ROOT, 'dist/cli.js'), 0o755);
  const size = f => (fs.statSync(path.join(ROOT, f)).size / 1024).toFixed(0) + ' KB';
  console.log(`built dist/extension.js ${size('dist/extension.js')} (+ core-impl.js ${size('dist/core-impl.js')}, loaded on first use), dist/cli.js ${size('dist/cli.js')}`);
}
