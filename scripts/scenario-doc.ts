// Rewrites the key table of docs/scenario.md from the scenario schema (src/sim/scenarioSchema.ts):
//   node --import tsx scripts/scenario-doc.ts
import fs from 'node:fs';
import path from 'node:path';
import { scenarioDocTable } from '../src/sim/scenarioSchema';

const file = path.join(path.resolve(import.meta.dirname, '..'), 'docs/scenario.md');
const text = fs.readFileSync(file, 'utf8');
const start = text.indexOf('| key |');
if (start < 0) throw new Error('docs/scenario.md: no key table');
fs.writeFileSync(file, text.slice(0, start) + scenarioDocTable());
console.log('docs/scenario.md: key table rewritten');
