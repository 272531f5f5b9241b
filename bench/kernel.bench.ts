// Kernel engine speed on the default tree (`npm run bench`, or `node --expose-gc --import tsx
// bench/kernel.bench.ts`). Prints `name: value` lines: first use on a tree (prepare + first run,
// cold: no caches), a warm preparation, a process that finds the persistent cache, a warm
// nested-vmentry run, the memory of the prepared tree, and the kernel/model ratio for the run.
// Wall-clock figures on a shared machine vary; CPU time is printed beside them.
import { performance } from 'node:perf_hooks';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clearPrepared, prepareTree } from '../src/kernel/front';
import { simulateKernel } from '../src/kernel/engine';
import { fsPrepCache, fsTreeReader } from '../src/io/tree';
import { loadCParser } from '../src/io/kernelEngine';
import { simulate } from '../src/sim';

const out = (name: string, value: string | number) => console.log(`${name}: ${value}`);
const ROOT = path.join(__dirname, '../.cache/linux-source-6.12');

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'arch/x86/kvm/vmx/nested.c'))) { out('kernel', 'skipped (default tree absent: node scripts/setup-tree.mjs)'); return; }
  const nm = path.join(__dirname, '../node_modules');
  const parser = await loadCParser({ runtime: fs.readFileSync(path.join(nm, 'web-tree-sitter/web-tree-sitter.wasm')), language: fs.readFileSync(path.join(nm, 'tree-sitter-c/tree-sitter-c.wasm')) });
  const tree = fsTreeReader(ROOT);
  const info = { path: ROOT, version: '6.12.118' };
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

  // first use: prepare (no cache) + first run
  clearPrepared();
  let c0 = cpu(), t0 = performance.now();
  const cold = prepareTree(tree, { parser });
  const prepMs = performance.now() - t0, prepCpu = cpu() - c0;
  c0 = cpu(); t0 = performance.now();
  const first = simulateKernel(cold.program, info, 'nested-vmentry', { base: 'default' }, { reader: tree });
  const firstRun = performance.now() - t0, firstCpu = cpu() - c0;
  out('kernel first use (prepare + first nested-vmentry run) ms', `${(prepMs + firstRun).toFixed(0)} wall, ${(prepCpu + firstCpu).toFixed(0)} cpu`);
  out('kernel prepare cold ms', `${prepMs.toFixed(0)} wall, ${prepCpu.toFixed(0)} cpu (preprocess ${cold.stats.ms.preprocess.toFixed(0)}, tree-sitter ${cold.stats.ms.parse.toFixed(0)}, convert ${cold.stats.ms.convert.toFixed(0)})`);
  out('kernel files parsed / read for directives', `${cold.stats.filesParsed} / ${cold.stats.filesVisited}`);
  out('kernel functions / structs / unsupported nodes', `${cold.program.functions.size} / ${cold.program.structs.size} / ${cold.program.unsupported}`);
  out('kernel first run outcome', first.outcome.kind + (first.incomplete ? ` (incomplete: ${first.incomplete})` : ''));
  gc?.();
  out('kernel prepared tree heap MB', ((process.memoryUsage().heapUsed - heap0) / 1048576).toFixed(1));

  // warm preparation (memory) and a new process with the persistent cache
  t0 = performance.now();
  prepareTree(tree, { parser });
  out('kernel prepare warm (memory) ms', (performance.now() - t0).toFixed(1));
  const cache = fsPrepCache(fs.mkdtempSync(path.join(os.tmpdir(), 'kvm-bench-prep-')));
  prepareTree(tree, { parser, cache }); // stores it
  clearPrepared();
  t0 = performance.now();
  const disk = prepareTree(tree, { parser, cache });
  out('kernel prepare from the persistent cache ms', `${(performance.now() - t0).toFixed(0)} (${disk.stats.source})`);

  // warm runs
  const N = 20;
  t0 = performance.now();
  for (let i = 0; i < N; i++) simulateKernel(cold.program, info, 'nested-vmentry', { base: 'default' }, { reader: tree });
  const kernelRun = (performance.now() - t0) / N;
  t0 = performance.now();
  for (let i = 0; i < N; i++) simulate('nested-vmentry', { base: 'default' });
  const modelRun = (performance.now() - t0) / N;
  out('kernel warm nested-vmentry run ms', kernelRun.toFixed(2));
  out('model nested-vmentry run ms', modelRun.toFixed(3));
  out('kernel/model run ratio', (kernelRun / modelRun).toFixed(0));
}

void main();
