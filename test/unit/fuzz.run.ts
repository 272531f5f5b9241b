// `npm run fuzz`: 1,000,000 parser mutation cases and 100,000 interpreter cases (random expressions
// and macro bodies); seed from argv[2] (default 1), parser count argv[3], interpreter count argv[4].
// Then the kernel interpreter's fuzz: a tenth of the parser count of random C expressions
// (test/unit/kernel/interpfuzz.ts). Prints figures, exits 1 on failure.
import fs from 'node:fs';
import { fuzz } from './diff/fuzz';
import { fuzzExpressions } from './sim/exprFuzz';
import { fuzzInterp } from './kernel/interpfuzz';

const seed = Number(process.argv[2] ?? 1);
const count = Number(process.argv[3] ?? 1_000_000);
const exprCount = Number(process.argv[4] ?? 100_000);
const t0 = Date.now();
const r = fuzz(count, seed);
console.log(`parser cases: ${r.cases}`);
console.log(`parser failures: ${r.failures.length}`);
console.log(`parser slowest case ms: ${r.slowestMs.toFixed(1)} (case ${r.slowestCase}, ${r.slowestInput.length} chars)`);
if (process.env.FUZZ_DUMP) fs.writeFileSync(process.env.FUZZ_DUMP, r.slowestInput);
const t1 = Date.now();
const x = fuzzExpressions(exprCount, seed);
console.log(`interpreter cases: ${x.cases} (${x.exprErrors} ExprError, ${x.cases - x.exprErrors - x.failures.length} values)`);
console.log(`interpreter failures (an exception other than ExprError): ${x.failures.length}`);
console.log(`interpreter slowest case ms: ${x.slowestMs.toFixed(1)} (${JSON.stringify(x.slowestInput).slice(0, 120)}); ${((Date.now() - t1) / 1000).toFixed(1)} s`);
console.log(`total s: ${((Date.now() - t0) / 1000).toFixed(1)}`);
for (const f of [...r.failures, ...x.failures.slice(0, 20)]) console.log(f);
const t2 = Date.now();
const k = fuzzInterp(Math.max(1, Math.floor(count / 10)), seed);
console.log(`kernel interpreter cases: ${k.cases} (values ${k.values}, InterpErrors ${k.errors})`);
console.log(`kernel interpreter failures: ${k.failures.length}`);
console.log(`kernel interpreter total s: ${((Date.now() - t2) / 1000).toFixed(1)}`);
for (const f of k.failures.slice(0, 20)) console.log(f);
process.exit(r.failures.length || x.failures.length || k.failures.length ? 1 : 0);
