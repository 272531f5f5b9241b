// The line-mapped MIME decoding checked against postal-mime (the well-kept parser, used here as
// the oracle): same decoded text for quoted-printable, base64 and multipart fixtures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import PostalMime from 'postal-mime';
import { splitLines, readHeaderBlock, decodeBody, type BodyLine } from '../../../src/mail';

const DIR = path.resolve(__dirname, '../../fixtures/parse');
const norm = (s: string) => s.replace(/\r\n?/g, '\n').split('\n').map(l => l.trimEnd()).filter(l => l !== '').join('\n');

for (const name of ['c01-lore-multipart-rfc2047', 'h01-quoted-printable', 'h02-base64', 'h03-base64-crlf-footer']) {
  void test(`MIME body of ${name} decodes as postal-mime decodes it`, async () => {
    let text = fs.readFileSync(path.join(DIR, `${name}.txt`), 'utf8');
    if (text.startsWith('From ')) text = text.slice(text.indexOf('\n') + 1); // mbox separator line
    const lines = splitLines(text);
    const head = readHeaderBlock(lines, 0, lines.length)!;
    const out: BodyLine[] = [];
    decodeBody(lines, head, head.bodyLine, lines.length, out, []);
    const ours = norm(out.map(l => l.text).join('\n'));
    const email = await PostalMime.parse(text);
    const parts = [email.text ?? '', ...email.attachments.filter(a => /^text\//.test(a.mimeType)).map(a => typeof a.content === 'string' ? a.content : new TextDecoder().decode(a.content))];
    assert.equal(ours, norm(parts.join('\n')));
    for (const l of out) assert.ok(l.sourceLine >= head.bodyLine && l.sourceLine < lines.length);
  });
}
