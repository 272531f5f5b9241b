// Content sniffing for files that do not say what they are (a saved page as .txt).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { looksLikePatchMail } from '../../../src/mail/sniff';
import { SEED_IDS, seedText } from '../seeds';

const FIX = path.resolve(__dirname, '../../fixtures');
const CASES: [string, string, boolean][] = [
  ['a format-patch mail', fs.readFileSync(path.join(FIX, 'series/v1-1.eml'), 'utf8'), true],
  ['a quoted review reply', fs.readFileSync(path.join(FIX, 'reply/r03-quoted-reply.eml'), 'utf8'), true],
  ['a quoted mail without a patch', 'Hi,\n\n> a\n> b\n> c\n> d\n> e\n\nok\n', false],
  ['a page with a [PATCH] subject and hunk headers', '[PATCH v2 1/2] KVM: x\n\nsome words\n@@ -1,2 +1,2 @@ int f(void)\n-a;\n+b;\n', true],
  ['shopping list', 'milk\neggs\n- bread\n+ butter\n', false],
  ['prose that mentions [PATCH]', 'I sent [PATCH] yesterday, please look.\n', false],
];
for (const [what, text, patch] of CASES) test(`sniff: ${what}`, () => assert.equal(looksLikePatchMail(text).patch, patch));

for (const id of SEED_IDS) {
  test(`sniff: seed ${id} (a saved page) reads as a patch mail`, t => {
    const text = seedText(id, t);
    if (text !== undefined) assert.equal(looksLikePatchMail(text).patch, true, looksLikePatchMail(text).reason);
  });
}
