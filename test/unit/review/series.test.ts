// The series layer over the project's fixture mails (test/fixtures/series): ordering whatever the
// mailbox order, trailers from follow-ups (cover-letter trailers onto every patch), the mbox
// written back, newer revisions by change-id or subject, and the message locations fetch accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildSeries, readMailbox, revisionMbox, newerRevisions, subjectStem, trailersIn } from '../../../src/review/series/series';
import { parseMessageLocation, messageUrl, revisionQuery } from '../../../src/io/publicInbox';

const DIR = path.resolve(__dirname, '../../fixtures/series');
const mbox = (names: string[]) => names.map(n => `From mboxrd@z Thu Jan  1 00:00:00 1970\n${fs.readFileSync(path.join(DIR, n), 'utf8')}`).join('\n');
const V1 = ['v1-2.eml', 'v1-1-reply.eml', 'v1-0.eml', 'v1-1.eml'];
const V2 = ['v2-2-reply.eml', 'v2-1.eml', 'v2-0-reply.eml', 'v2-2.eml', 'v2-0.eml'];

test('a thread in any order is ordered into cover, 1/N..N/N', () => {
  const s = buildSeries(readMailbox(mbox(V1)));
  assert.equal(s.revisions.length, 1);
  const r = s.revisions[0];
  assert.equal(r.version, 1);
  assert.equal(r.cover?.messageId, '<20240506-lam-v1-0@example.org>');
  assert.deepEqual(r.patches.map(p => p?.messageId), ['<20240506-lam-v1-1@example.org>', '<20240506-lam-v1-2@example.org>']);
  assert.equal(r.followUps.length, 1);
  assert.equal(r.changeId, '20240501-lam-cr3-1a2b3c');
});

test('trailers from replies go onto their patch; a trailer to the cover letter onto every patch', () => {
  const r = buildSeries(readMailbox(mbox(V2))).revisions[0];
  const names = (id: string) => (r.trailers.get(id) ?? []).map(t => `${t.name}: ${t.value}`);
  assert.deepEqual(names('<20240513-lam-v2-1@example.org>'), ['Acked-by: Sean Example <sean@example.com>']);
  assert.deepEqual(names('<20240513-lam-v2-2@example.org>'), ['Reviewed-by: Paolo Example <paolo@example.net>', 'Acked-by: Sean Example <sean@example.com>'], 'in the order the replies were sent');
});

test('the mbox written back: series order, trailers after the patch\'s own, before ---', () => {
  const r = buildSeries(readMailbox(mbox(V2))).revisions[0];
  const text = revisionMbox(r, 'https://lore.example.org/r');
  const subjects = text.split('\n').filter(l => l.startsWith('Subject: '));
  assert.deepEqual(subjects, ['Subject: [PATCH v2 0/2] KVM: nVMX: Accept LAM bits in vmcs12 CR3 fields', 'Subject: [PATCH v2 1/2] KVM: x86: Add a CR3 legality helper', 'Subject: [PATCH v2 2/2] KVM: nVMX: Use the CR3 legality helper on nested entry']);
  assert.match(text, /Signed-off-by: Ada Example <ada@example.org>\nReviewed-by: Paolo Example <paolo@example.net>\nAcked-by: Sean Example <sean@example.com>\nLink: https:\/\/lore.example.org\/r\/20240513-lam-v2-2@example.org\n---\n/);
  // read back, it is the same series
  const again = buildSeries(readMailbox(text)).revisions[0];
  assert.deepEqual(again.patches.map(p => p?.subject), r.patches.map(p => p?.subject));
});

test('quoted trailers and trailers without an address are not collected', () => {
  const [m] = readMailbox('From: a@example.org\nSubject: Re: [PATCH] x\nMessage-ID: <q@x>\n\n> Reviewed-by: Quoted Person <q@example.org>\nReviewed-by: nobody\nTested-by: Real Person <r@example.org>\n');
  assert.deepEqual(trailersIn(m).map(t => t.name + ': ' + t.value), ['Tested-by: Real Person <r@example.org>']);
});

test('newer revisions: v2 found for v1 by change-id, none for v2', () => {
  const v1 = buildSeries(readMailbox(mbox(V1)));
  const candidates = readMailbox(mbox([...V1, ...V2]));
  assert.deepEqual(newerRevisions(v1, candidates).map(n => [n.version, n.messageId, n.via]), [[2, '<20240513-lam-v2-0@example.org>', 'change-id']]);
  assert.deepEqual(newerRevisions(buildSeries(readMailbox(mbox(V2))), candidates), []);
  // without a change-id the subject stem decides
  const noId = buildSeries(readMailbox(mbox(V1).replace(/^(X-Change-ID|change-id):.*$/gm, '')));
  assert.deepEqual(newerRevisions(noId, readMailbox(mbox(V2).replace(/^(X-Change-ID|change-id):.*$/gm, ''))).map(n => [n.version, n.via]), [[2, 'subject']]);
});

test('subject stems', () => {
  assert.equal(subjectStem('Re: [PATCH v2 1/2] KVM: x86: Add a  CR3 helper'), 'kvm: x86: add a cr3 helper');
  assert.equal(subjectStem('[RFC PATCH 0/3] [net-next] KVM: x'), 'kvm: x');
  assert.equal(revisionQuery('kvm: x86: add a cr3 legality helper'), 's:kvm s:x86 s:add s:cr3 s:legality s:helper');
});

const LOCATIONS: [string, string, string, string][] = [
  ['20240506-lam-v1-1@example.org', 'https://lore.kernel.org', 'all', '20240506-lam-v1-1@example.org'],
  ['<20240506-lam-v1-1@example.org>', 'https://lore.kernel.org', 'all', '20240506-lam-v1-1@example.org'],
  ['https://lore.kernel.org/kvm/20240506-lam-v1-1@example.org/', 'https://lore.kernel.org', 'kvm', '20240506-lam-v1-1@example.org'],
  ['https://lore.kernel.org/all/20240506-lam-v1-1@example.org/T/#u', 'https://lore.kernel.org', 'all', '20240506-lam-v1-1@example.org'],
  ['https://lore.kernel.org/r/20240506-lam-v1-1@example.org', 'https://lore.kernel.org', 'all', '20240506-lam-v1-1@example.org'],
  ['http://127.0.0.1:8080/kvm/a%2Bb@example.org/raw', 'http://127.0.0.1:8080', 'kvm', 'a+b@example.org'],
];
for (const [input, server, list, id] of LOCATIONS) {
  test(`message location of ${input}`, () => assert.deepEqual(parseMessageLocation(input), { server, list, messageId: id }));
}
test('message URLs escape what public-inbox escapes', () => {
  assert.equal(messageUrl({ server: 'https://lore.kernel.org/', list: 'kvm', messageId: 'a+b/c@x' }, 'raw'), 'https://lore.kernel.org/kvm/a%2Bb%2Fc@x/raw');
  assert.throws(() => parseMessageLocation('no id here'), /neither a Message-ID/);
});
