// `npm run fuzz`: 1,000,000 mutation cases (seed from argv[2], default 1); prints figures, exits 1 on failure.
import fs from 'node:fs';
import { fuzz } from './diff/fuzz';

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
process.exit(r.failures.length ? 1 : 0);
