// `kvm-review reply` (cli-contract.md v2): golden replies for the project's own fixture mails (one
// row per case file in test/fixtures/reply/), the contract's invariants checked on every golden and
// on the five real seeds (skipped when absent; their replies are checked, never stored), and the
// errors that are exit 2 in the CLI. UPDATE_GOLDENS=1 rewrites the expected replies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildReplies, repliesText, ReplyError, replySubject, type Reply, type ReplyComment } from '../../../src/review/series/reply';
import { splitLines, decodeHeader } from '../../../src/mail';
import { SEED_IDS, seedText } from '../seeds';

const DIR = path.resolve(__dirname, '../../fixtures/reply');
const DATE = new Date(Date.UTC(2026, 11, 3, 9, 0, 0));

/** Every case file and what it shows. */
const CASES: [string, string][] = [
  ['r01-series-two-hunks', 'two comments in two hunks of patch 2/2 of an mbx: file header once, each hunk header, context, elisions, trailer'],
  ['r02-series-two-messages', 'comments in patches 1/2 and 2/2: one reply per message, as an mbox'],
  ['r03-quoted-reply-deeper', 'comments on an already-quoted patch line and on reviewer prose: quoted one level deeper'],
  ['r04-quoted-printable', 'a quoted-printable lore mail (ARC-Seal:i=1 header, RFC 2047 From, folded Subject, >From): decoded quote, bare trailer name takes --from'],
  ['r05-re-subject', '"RE: Re:" subject gives one "Re:"; References from In-Reply-To when the mail has none; Cc de-duplicated'],
  ['r06-trailers-only-cover', 'no comments: the trailers answer the cover letter'],
  ['r07-commit-message-comment', 'comments on commit-message and cover-letter prose'],
];

interface Case { mail: string; comments: ReplyComment[]; trailers: string[]; from?: string }
const load = (name: string): Case => JSON.parse(fs.readFileSync(path.join(DIR, `${name}.case.json`), 'utf8')) as Case;

test('every reply case file has a row in the table', () => {
  const files = fs.readdirSync(DIR).filter(f => f.endsWith('.case.json')).map(f => f.replace(/\.case\.json$/, '')).sort();
  assert.deepEqual(files, CASES.map(c => c[0]).sort());
});

/** The contract's invariants of one reply to `mail`. */
function checkReply(mail: string, r: Reply, comments: ReplyComment[]): void {
  const lines = splitLines(mail);
  const header = (name: string) => r.headers.find(h => h.name === name)?.value;
  const subject = header('Subject') ?? '';
  assert.match(subject, /^Re: /);
  assert.doesNotMatch(subject, /^Re: \s*(?:re|aw)\s*:/i, 'no double Re:');
  const irt = header('In-Reply-To');
  if (irt) assert.ok(header('References')?.split(' ').at(-1) === irt, 'References ends with the Message-ID');
  const body = splitLines(r.body);
  assert.match(body[0], /wrote:$/, 'attribution line');
  const originals = new Set(lines.map(l => l.replace(/\s+$/, '')));
  let previous = '';
  for (const l of body.slice(1)) {
    if (l.startsWith('>')) {
      if (l === '> [...]') assert.notEqual(previous, '> [...]', 'one [...] per elided run');
      previous = l;
    } else if (l.trim()) previous = '';
  }
  // each comment stands right after its anchor line, quoted
  for (const c of comments) {
    const first = splitLines(c.text.trim())[0];
    const at = body.indexOf(first);
    assert.ok(at > 1, `comment "${first}" is in the body`);
    assert.equal(body[at - 1], '', 'blank line before the comment');
    const anchor = body[at - 2];
    assert.ok(anchor.startsWith('>'), `the line above "${first}" is quoted: ${anchor}`);
    // quoted lines are original lines (decoded ones for encoded mails are checked by the goldens)
    if (!/quoted-printable|base64/i.test(mail)) assert.ok(originals.has(anchor.replace(/^> ?/, '').replace(/\s+$/, '')), `anchor "${anchor}" is an original line`);
  }
}

for (const [name, what] of CASES) {
  test(`reply ${name}: ${what}`, () => {
    const c = load(name);
    const mail = fs.readFileSync(path.join(DIR, c.mail), 'utf8');
    const replies = buildReplies(mail, { comments: c.comments, trailers: c.trailers, from: c.from, date: DATE });
    for (const r of replies) checkReply(mail, r, c.comments.filter(k => r.body.includes(splitLines(k.text)[0])));
    const got = repliesText(replies);
    const file = path.join(DIR, `${name}.expected.eml`);
    if (process.env.UPDATE_GOLDENS) fs.writeFileSync(file, got);
    assert.equal(got, fs.readFileSync(file, 'utf8'));
  });
}

test('r02: comments in two messages give two replies, each threaded to its own patch', () => {
  const c = load('r02-series-two-messages');
  const mail = fs.readFileSync(path.join(DIR, c.mail), 'utf8');
  const replies = buildReplies(mail, { comments: c.comments, date: DATE });
  assert.deepEqual(replies.map(r => r.headers.find(h => h.name === 'In-Reply-To')?.value), ['<20240506-lam-v1-1@example.org>', '<20240506-lam-v1-2@example.org>']);
  assert.match(repliesText(replies), /^From git@z /);
});

test('r03: a comment on a line that is already quoted quotes it one level deeper', () => {
  const c = load('r03-quoted-reply-deeper');
  const [r] = buildReplies(fs.readFileSync(path.join(DIR, c.mail), 'utf8'), { comments: c.comments });
  assert.ok(splitLines(r.body).includes('> > +	return kvm_vcpu_is_legal_gpa(vcpu, cr3 & ~(X86_CR3_LAM_U48 | X86_CR3_LAM_U57));'));
});

const ERRORS: [string, () => unknown, RegExp][] = [
  ['a sourceLine past the end', () => buildReplies('Subject: x\nFrom: a@b\n\nbody\n', { comments: [{ sourceLine: 9, text: 'x' }] }), /outside the mail \(lines 1\.\.4\)/],
  ['a sourceLine of 0', () => buildReplies('Subject: x\nFrom: a@b\n\nbody\n', { comments: [{ sourceLine: 0, text: 'x' }] }), /outside the mail/],
  ['comments that are not an array', () => buildReplies('Subject: x\n', { comments: {} as unknown as ReplyComment[] }), /JSON array/],
  ['a comment without text', () => buildReplies('Subject: x\n', { comments: [{ sourceLine: 1, text: ' ' }] }), /non-empty/],
  ['a malformed trailer', () => buildReplies('Subject: x\n', { comments: [], trailers: ['not a trailer'] }), /Name: value/],
  ['a bare trailer name without --from', () => buildReplies('Subject: x\n', { comments: [], trailers: ['Reviewed-by'] }), /no --from/],
  ['a --from that is no address', () => buildReplies('Subject: x\n', { comments: [], from: 'just a name' }), /not an address/],
];
for (const [what, run, message] of ERRORS) {
  test(`reply error: ${what}`, () => assert.throws(run, (e: unknown) => e instanceof ReplyError && message.test((e as Error).message)));
}

const SUBJECTS: [string, string][] = [
  ['[PATCH] x', 'Re: [PATCH] x'], ['Re: [PATCH] x', 'Re: [PATCH] x'], ['RE: Re: [PATCH] x', 'Re: [PATCH] x'],
  ['Re[2]: x', 'Re: x'], ['AW: x', 'Re: x'], ['Regarding x', 'Re: Regarding x'],
];
for (const [subject, expected] of SUBJECTS) test(`reply subject of "${subject}"`, () => assert.equal(replySubject(subject), expected));

// The seeds: one comment on a diff line (when the seed has one) and one on prose, per seed.
for (const id of SEED_IDS) {
  test(`reply on seed ${id} keeps the contract`, t => {
    const mail = seedText(id, t);
    if (mail === undefined) return;
    const lines = splitLines(mail);
    const diffLine = lines.findIndex((l, i) => i > 5 && /^(?:> ?)*[-+][^-+]/.test(l));
    const proseLine = lines.findIndex((l, i) => i > 5 && l.length > 20 && /^[^-+ >@\s[]/.test(l));
    const comments = [diffLine, proseLine].filter(i => i > 0).map((i, k) => ({ sourceLine: i + 1, text: `Seed comment ${k} on line ${i + 1}.` }));
    assert.ok(comments.length > 0);
    const replies = buildReplies(mail, { comments, trailers: ['Reviewed-by: Rev Iewer <rev@example.com>'], date: DATE });
    for (const r of replies) {
      checkReply(mail, r, comments.filter(k => r.body.includes(k.text)));
      assert.ok(r.body.trimEnd().endsWith('Reviewed-by: Rev Iewer <rev@example.com>'));
      assert.ok(splitLines(r.body).length < lines.length, 'the quote is trimmed');
    }
  });
}

test('a subject in RFC 2047 words: its Re: seen after decoding; ASCII comes out plain, other text encoded', () => {
  const mail = (subject: string) => `From: a@example.org\nSubject: ${subject}\nMessage-ID: <s@example.org>\n\nbody\n`;
  const subjectOf = (m: string) => buildReplies(m, { comments: [] })[0].headers.find(h => h.name === 'Subject')?.value;
  assert.equal(subjectOf(mail('=?UTF-8?q?Re=3A_=5BPATCH=5D_KVM=3A_x?=')), 'Re: [PATCH] KVM: x');
  const encoded = subjectOf(mail('=?UTF-8?q?=5BPATCH=5D_Fix_M=C3=BCller=27s_check?='))!;
  assert.match(encoded, /^=\?UTF-8\?Q\?[^ ]*\?=$/);
  assert.equal(decodeHeader(encoded), "Re: [PATCH] Fix Müller's check");
});
