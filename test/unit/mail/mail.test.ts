// The mail layer: quote prefixes, subject prefixes, header blocks, MIME bodies with line maps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quotePrefix, parsePatchPrefix, readHeaderBlock, decodeBody, splitLines, splitMessages, looksLikeC, looksLikeProse, type BodyLine } from '../../../src/mail';

void test('quote prefixes of every shape give depth and the column where the text starts', () => {
  const cases: [string, number, number][] = [['> +x', 1, 2], ['>> +x', 2, 3], ['> > +x', 2, 4], ['>+x', 1, 1], ['>>  x', 2, 3], ['>> > > +\tx', 4, 7], ['x > y', 0, 0], ['>', 1, 1]];
  for (const [line, depth, length] of cases) assert.deepEqual(quotePrefix(line), { depth, length }, line);
});

void test('subject prefixes: revision, index, total and RFC', () => {
  assert.deepEqual(parsePatchPrefix('[PATCH v2 1/2] KVM: x'), { version: 2, index: 1, total: 2, rfc: false, tag: 'PATCH v2 1/2' });
  assert.equal(parsePatchPrefix('[RFC PATCH v1 30/34] x')?.rfc, true);
  assert.deepEqual(parsePatchPrefix('[PATCH 033/104] x')?.index, 33);
  assert.deepEqual(parsePatchPrefix('[v2,3/5] x'), { version: 2, index: 3, total: 5, rfc: false, tag: 'v2,3/5' });
  assert.deepEqual(parsePatchPrefix('[49/54] x')?.total, 54);
  assert.deepEqual(parsePatchPrefix('[PATCH net-next] x'), { version: 1, index: 1, total: 1, rfc: false, tag: 'PATCH net-next' });
  assert.equal(parsePatchPrefix('Re: about [the] bug'), null);
});

void test('header blocks unfold continuation lines and decode RFC 2047 words', () => {
  const lines = ['From: =?UTF-8?q?J=C3=B6rg?= <j@example.org>', 'Subject: [PATCH] a', ' b', '', 'body'];
  const h = readHeaderBlock(lines, 0, lines.length)!;
  assert.equal(h.bodyLine, 4);
  assert.equal(h.fields[1].value, '[PATCH] a b');
  assert.deepEqual(splitMessages(lines)[0].from, 'Jörg <j@example.org>');
});

void test('quoted-printable: soft breaks joined, each decoded line keeps the document line it starts on', () => {
  const lines = ['Content-Transfer-Encoding: quoted-printable', 'Subject: x', '', '@@ -1,1 +1,1 @@ static int f(stru=', 'ct s *p)', '+=09a =3D 1;'];
  const h = readHeaderBlock(lines, 0, lines.length)!;
  const out: BodyLine[] = [];
  decodeBody(lines, h, h.bodyLine, lines.length, out, []);
  assert.deepEqual(out.map(l => [l.text, l.sourceLine]), [['@@ -1,1 +1,1 @@ static int f(struct s *p)', 3], ['+\ta = 1;', 5]]);
});

void test('base64: decoded lines map to the encoded line holding their first byte', () => {
  const text = Array.from({ length: 40 }, (_, i) => `line ${i} of the body`).join('\r\n');
  const b64 = Buffer.from(text).toString('base64');
  const enc = b64.match(/.{1,76}/g)!;
  const lines = ['Content-Transfer-Encoding: base64', 'Subject: x', '', ...enc];
  const h = readHeaderBlock(lines, 0, lines.length)!;
  const out: BodyLine[] = [], bad: { reason: string }[] = [];
  decodeBody(lines, h, h.bodyLine, lines.length, out, bad as never);
  assert.equal(out.length, 40);
  assert.equal(out[39].text, 'line 39 of the body');
  const offset = text.indexOf('line 39');
  assert.equal(out[39].sourceLine, 3 + Math.floor(Math.floor(offset / 3) * 4 / 76));
  assert.equal(bad.length, 0);
});

void test('multipart: text parts decoded, boundaries and part headers left out', () => {
  const lines = splitLines('Content-Type: multipart/mixed; boundary="b"\nSubject: x\n\npreamble\n--b\nContent-Type: text/plain\n\nhello\n--b\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\nAAAA\n--b\nContent-Type: text/x-diff\n\n+x;\n--b--\n');
  const h = readHeaderBlock(lines, 0, lines.length)!;
  const out: BodyLine[] = [];
  decodeBody(lines, h, h.bodyLine, lines.length, out, []);
  assert.deepEqual(out.map(l => l.text), ['hello', '+x;']);
});

void test('messages: mbox separators, page sections, Outlook blocks', () => {
  const mbox = splitLines('From git@z Thu Jan  1 00:00:00 1970\nFrom: a\nSubject: [PATCH 1/2] a\n\nx\nFrom git@z Thu Jan  1 00:00:00 1970\nFrom: a\nSubject: [PATCH 2/2] b\n\ny\n');
  assert.deepEqual(splitMessages(mbox).map(m => [m.kind, m.sourceLine, m.subject]), [['mbox', 0, '[PATCH 1/2] a'], ['mbox', 5, '[PATCH 2/2] b']]);
  const outlook = splitLines('From: a\nSubject: RE: x\n\nok\n-----Original Message-----\nFrom: b\nSubject: [PATCH] x\n\nbody\n');
  assert.deepEqual(splitMessages(outlook).map(m => m.kind), ['mail', 'outlook']);
});

void test('C and prose classifiers', () => {
  for (const c of ['\tif (x) {', 'return -EINVAL;', '}', ' * comment', 'vmx->a = b;', 'foo(a, b);']) assert.ok(looksLikeC(c), c);
  for (const p of ['When EPT on, CR3 is fully under control of guest.', 'Hi everyone!', '这个补丁修改了检查']) assert.ok(looksLikeProse(p), p);
  assert.ok(!looksLikeProse('kvm_state.size += sizeof(x);'));
});

void test('format=flowed: soft line breaks in prose and @@ labels are undone, diff lines are left alone', () => {
  const lines = ['Content-Type: text/plain; charset=utf-8; format=flowed', 'Subject: x', '',
    '> @@ -1,3 +1,3 @@ static int f(int a, ', '> int b)', '>  x = 1; ', '> -y = 2; ', '> +y = 3;', '>  ',
    'A paragraph the mailer ', 'wrapped in two.', '-- ', 'sig'];
  const h = readHeaderBlock(lines, 0, lines.length)!;
  const out: BodyLine[] = [];
  decodeBody(lines, h, h.bodyLine, lines.length, out, []);
  assert.deepEqual(out.map(l => [l.text, l.sourceLine]), [
    ['> @@ -1,3 +1,3 @@ static int f(int a, int b)', 3], ['>  x = 1; ', 5], ['> -y = 2; ', 6], ['> +y = 3;', 7], ['>  ', 8],
    ['A paragraph the mailer wrapped in two.', 9], ['-- ', 11], ['sig', 12]]);
  const delSp = ['Content-Type: text/plain; format=flowed; delsp=yes', 'Subject: x', '', 'one long wor ', 'd split'];
  const out2: BodyLine[] = [];
  const h2 = readHeaderBlock(delSp, 0, delSp.length)!;
  decodeBody(delSp, h2, h2.bodyLine, delSp.length, out2, []);
  assert.deepEqual(out2.map(l => l.text), ['one long word split']);
});
