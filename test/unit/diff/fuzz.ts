// Mutation fuzzing of the parser over the golden fixtures: truncation, quote insertion, whitespace
// damage, line shuffles and random bytes. Deterministic (seeded) so any failure can be replayed.
import fs from 'node:fs';
import path from 'node:path';
import { parsePatchDocument } from '../../../src/diff';

const DIR = path.resolve(__dirname, '../../fixtures/parse');

/** Small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function corpus(): string[] {
  return fs.readdirSync(DIR).filter(f => f.endsWith('.txt')).sort().map(f => fs.readFileSync(path.join(DIR, f), 'latin1'));
}

const MUTATIONS: ((s: string, r: () => number) => string)[] = [
  (s, r) => s.slice(0, Math.floor(r() * s.length)),
  (s, r) => s.split('\n').map(l => (r() < 0.3 ? '> ' + l : l)).join('\n'),
  (s, r) => s.split('\n').map(l => (r() < 0.3 ? l.replace(/^ /, '').replace(/\t/g, ' ') : l)).join('\n'),
  (s, r) => { const a = s.split('\n'); for (let k = 0; k < 5; k++) { const i = Math.floor(r() * a.length), j = Math.floor(r() * a.length); [a[i], a[j]] = [a[j], a[i]]; } return a.join('\n'); },
  (s, r) => { const a = s.split(''); for (let k = 0; k < 20; k++) a[Math.floor(r() * a.length)] = String.fromCharCode(Math.floor(r() * 0x3000)); return a.join(''); },
  (s, r) => s.replace(/@@ -\d+,\d+ \+\d+,\d+ @@/g, () => `@@ -${Math.floor(r() * 9)},${Math.floor(r() * 99)} +${Math.floor(r() * 9)},${Math.floor(r() * 99)} @@`),
  (s, r) => s.split('\n').filter(() => r() > 0.2).join('\n'),
  (s, r) => s.replace(/\n/g, () => (r() < 0.1 ? '\r\n' : r() < 0.05 ? '\r' : '\n')),
  (s, r) => { const i = Math.floor(r() * s.length); return s.slice(0, i) + ['@@', '>>>', 'diff --git ', '--- a/x\n+++ b/x\n', '=\n', '-----Original Message-----\n', 'From git@z Thu Jan  1 00:00:00 1970\n'][Math.floor(r() * 7)] + s.slice(i); },
];

/** Runs `count` mutated parses from `seed`; returns the failures (never throws itself). */
export function fuzz(count: number, seed = 1): { cases: number; failures: string[]; slowestMs: number; slowestCase: number; slowestInput: string } {
  const base = corpus();
  const r = rng(seed);
  const failures: string[] = [];
  let slowest = 0, slowestCase = -1, slowestInput = '';
  for (let c = 0; c < count; c++) {
    let s = base[Math.floor(r() * base.length)];
    const steps = 1 + Math.floor(r() * 3);
    for (let k = 0; k < steps; k++) s = MUTATIONS[Math.floor(r() * MUTATIONS.length)](s, r);
    const t0 = performance.now();
    try {
      const doc = parsePatchDocument(s);
      if (doc.diagnostics.some(d => d.message.startsWith('internal parse error'))) failures.push(`case ${c}: ${doc.diagnostics.find(d => d.message.startsWith('internal'))!.message}`);
      for (const h of doc.hunks) if (h.endLine < h.sourceLine || h.lines.some(l => l.sourceLine < h.sourceLine || l.sourceLine > h.endLine)) { failures.push(`case ${c}: hunk lines outside its range`); break; }
    } catch (e) { failures.push(`case ${c}: threw ${(e as Error).message}`); }
    const ms = performance.now() - t0;
    if (ms > slowest) { slowest = ms; slowestCase = c; slowestInput = s; }
    if (failures.length > 20) break;
  }
  return { cases: count, failures, slowestMs: slowest, slowestCase, slowestInput };
}
