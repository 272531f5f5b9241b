// `npm run fuzz`: 1,000,000 mutation cases (seed from argv[2], default 1); prints figures, exits 1 on failure.
// Then the kernel interpreter's fuzz: a tenth as many random C expressions (test/unit/kernel/interpfuzz.ts).
import fs from 'node:fs';
import { fuzz } from './diff/fuzz';
import { fuzzInterp } from './kernel/interpfuzz';

const seed = Number(process.argv[2] ?? 1);
const count = Number(process.argv[3] ?? 1_000_000);
const t0 = Date.now();
const r = fuzz(count, seed);
console.log(`cases: ${r.cases}`);
console.log(`failures: ${r.failures.length}`);
console.log(`slowest case ms: ${r.slowestMs.toFixed(1)} (case ${r.slowestCase}, ${r.slowestInput.length} chars)`);
if (process.env.FUZZ_DUMP) fs.writeFileSync(process.env.FUZZ_DUMP, r.slowestInput);
console.log(`total s: ${((Date.now() - t0) / 1000).toFixed(1)}`);
for (const f of r.failures) console.log(f);
const t1 = Date.now();
const k = fuzzInterp(Math.max(1, Math.floor(count / 10)), seed);
console.log(`interpreter cases: ${k.cases} (values ${k.values}, InterpErrors ${k.errors})`);
console.log(`interpreter failures: ${k.failures.length}`);
console.log(`interpreter total s: ${((Date.now() - t1) / 1000).toFixed(1)}`);
for (const f of k.failures.slice(0, 20)) console.log(f);
process.exit(r.failures.length || k.failures.length ? 1 : 0);
