// Header fields per RFC 5322 `name:value`: relays (ARC, DKIM) write no space after the colon, and
// the fields after them (Subject, From, Date) must still be read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePatchDocument } from '../../../src/diff';
import { readHeaderBlock } from '../../../src/mail';

const RELAYED = [
  'Return-Path: <kvm+bounces-1@vger.example.org>',
  'Delivered-To: reviewer@example.com',
  'Received: from sv.mirrors.example.org (sv.mirrors.example.org [192.0.2.7])',
  '\tby mx.example.com with ESMTPS id abc',
  '\tfor <reviewer@example.com>; Mon, 03 Jun 2024 08:00:01 +0000 (UTC)',
  'Received: from smtp.subspace.example.org (smtp.subspace.example.org [192.0.2.8])',
  '\tby sv.mirrors.example.org (Postfix) with ESMTPS id def',
  '\tfor <reviewer@example.com>; Mon, 03 Jun 2024 08:00:00 +0000 (UTC)',
  'ARC-Seal:i=1; a=rsa-sha256; d=subspace.example.org; s=arc; t=1717400000;',
  '\tcv=none; b=AAAAexampleexampleexample',
  'ARC-Message-Signature:i=1; a=rsa-sha256; d=subspace.example.org; s=arc;',
  '\tt=1717400000; c=relaxed/simple; bh=example',
  'ARC-Authentication-Results:i=1; smtp.subspace.example.org; dkim=pass',
  'Received: from mail.example.org (mail.example.org [192.0.2.1])',
  '\tby smtp.subspace.example.org (Postfix) with ESMTP id ghi',
  'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=k1;',
  '\th=From:To:Subject:Date:Message-ID; bh=example; b=example',
  'From: Ada Example <ada@example.org>',
  'To: kvm@vger.example.org',
  'Subject: [PATCH v2 1/3] KVM: nVMX: Check the LAM bits of HOST_CR3',
  'Date: Mon, 3 Jun 2024 10:00:00 +0200',
  'Message-ID: <relayed-1@example.org>',
  '',
  'Body text.',
  '---',
  'diff --git a/arch/x86/kvm/vmx/nested.c b/arch/x86/kvm/vmx/nested.c',
  '--- a/arch/x86/kvm/vmx/nested.c',
  '+++ b/arch/x86/kvm/vmx/nested.c',
  '@@ -1,3 +1,3 @@',
  ' a;',
  '-b;',
  '+c;',
  ' d;',
  '',
].join('\n');

const CASES: [string, string, string][] = [
  ['name:value (ARC-Seal:i=1)', 'ARC-Seal:i=1; a=rsa-sha256', 'i=1; a=rsa-sha256'],
  ['name: value', 'Subject: x', 'x'],
  ['name:  value (two spaces)', 'Subject:  x', 'x'],
  ['name:value with a tab', 'Subject:\tx', 'x'],
];

for (const [label, line, value] of CASES) {
  test(`header field ${label}`, () => {
    const block = readHeaderBlock([line, 'From: a@b', ''], 0, 3);
    assert.ok(block, 'block read');
    assert.equal(block.fields[0].value, value);
  });
}

test('a relayed mail with ARC-Seal:i=1 headers keeps its subject, from and date', () => {
  const doc = parsePatchDocument(RELAYED, { functions: false });
  assert.equal(doc.messages.length, 1);
  const m = doc.messages[0];
  assert.equal(m.subject, '[PATCH v2 1/3] KVM: nVMX: Check the LAM bits of HOST_CR3');
  assert.equal(m.from, 'Ada Example <ada@example.org>');
  assert.equal(m.date, 'Mon, 3 Jun 2024 10:00:00 +0200');
  assert.deepEqual(m.patch, { version: 2, index: 1, total: 3 });
  assert.equal(doc.hunks.length, 1);
});
