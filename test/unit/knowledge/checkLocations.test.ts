// Every check row of the 6.12.y baseline names a function that its source file in the default tree
// (Debian linux-source-6.12, 6.12.118) defines, and for rows KVM wraps in CC() that function's body
// holds a CC(; skipped when the tree is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ALL_CHECKS } from '../../../src/knowledge/checks';
import { activeIn } from '../../../src/knowledge/checks/types';

const TREE = path.resolve(__dirname, '../../../.cache/linux-source-6.12');

/** The body of C function `fn` in `text` (from its definition line to the first closing brace at column 0). */
function body(text: string, fn: string): string | null {
  const m = new RegExp(`^[A-Za-z_][\\w \\t*]*[ \\t*]${fn}\\s*\\([^;]*?\\)\\s*\\{`, 'ms').exec(text);
  if (!m) return null;
  const end = text.indexOf('\n}', m.index);
  return text.slice(m.index, end < 0 ? undefined : end);
}

test('each 6.12.y check row names a function defined in its source file of the default tree', t => {
  if (!fs.existsSync(TREE)) { t.skip(`${TREE} absent`); return; }
  const cache = new Map<string, string>();
  const missing: string[] = [];
  for (const c of ALL_CHECKS.filter(x => activeIn(x, '6.12.y'))) {
    const file = c.source.split(' ')[0];
    let text = cache.get(file);
    if (text === undefined) { text = fs.existsSync(path.join(TREE, file)) ? fs.readFileSync(path.join(TREE, file), 'utf8') : ''; cache.set(file, text); }
    const b = body(text, c.function);
    if (b === null) { missing.push(`${c.id}: ${c.function} not in ${file}`); continue; }
    // entry-msr-load: its CC()s are in the per-entry helpers nested_vmx_load_msr_check / nested_vmx_msr_check_common
    if (!c.noCC && !/\bCC\(/.test(b) && c.id !== 'entry-msr-load') missing.push(`${c.id}: ${c.function} has no CC() (mark the row noCC?)`);
  }
  assert.deepEqual(missing, []);
});
